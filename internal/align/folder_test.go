package align

import (
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree writes a small ImageFolder: two identities, three PNG faces.
func writeTree(t *testing.T, root string) {
	t.Helper()
	for _, rel := range []string{"ann/1.png", "ann/2.png", "bob/1.png"} {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		img := image.NewGray(image.Rect(0, 0, 80, 90))
		for i := range img.Pix {
			img.Pix[i] = uint8(i * 7)
		}
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(f, img); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
}

const treeLandmarks = "ann/1.png 28 40 52 40 40 55 30 70 50 70\nbob/1.png 27 41 53 39 41 56 31 71 51 69\nzed/9.png 1 2 3 4 5 6 7 8 9 10\n"

func TestAlignFolder(t *testing.T) {
	dir := t.TempDir()
	images, out := filepath.Join(dir, "faces"), filepath.Join(dir, "aligned")
	writeTree(t, images)
	lm, err := ParseLandmarks([]byte(treeLandmarks), "lm.txt")
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := NewTemplate(ArcFace, 64)
	var report strings.Builder
	sum, err := AlignFolder(context.Background(), FolderOptions{Images: images, Landmarks: lm, Template: tpl, Out: out, Report: &report})
	if err != nil {
		t.Fatal(err)
	}
	if sum != (FolderSummary{Aligned: 2, NoLandmarks: 1, Unused: 1}) {
		t.Errorf("summary %+v", sum)
	}
	if !strings.Contains(report.String(), filepath.Join("ann", "2.png")) {
		t.Errorf("report %q does not name ann/2.png", report.String())
	}
	for _, rel := range []string{"ann/1.png", "bob/1.png"} {
		img := readPNG(t, filepath.Join(out, rel))
		if img.Bounds() != image.Rect(0, 0, 64, 64) {
			t.Errorf("%s: bounds %v", rel, img.Bounds())
		}
		if _, ok := img.(*image.Gray); !ok {
			t.Errorf("%s: %T, want grey", rel, img)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "ann", "2.png")); !os.IsNotExist(err) {
		t.Errorf("ann/2.png without landmarks was written: %v", err)
	}
	// A second run refuses the non-empty --out.
	if _, err := AlignFolder(context.Background(), FolderOptions{Images: images, Landmarks: lm, Template: tpl, Out: out}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("existing --out: %v", err)
	}
}

func TestAlignFolderErrorWritesNothing(t *testing.T) {
	dir := t.TempDir()
	images, out := filepath.Join(dir, "faces"), filepath.Join(dir, "aligned")
	writeTree(t, images)
	// bob/1.png's landmarks lie far outside its 80×90 image: the error
	// comes after ann/1.png was aligned, and nothing may remain.
	lm, err := ParseLandmarks([]byte("ann/1.png 28 40 52 40 40 55 30 70 50 70\nbob/1.png 28 40 52 40 40 55 30 70 500 70\n"), "lm.txt")
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := NewTemplate(ArcFace, 64)
	_, err = AlignFolder(context.Background(), FolderOptions{Images: images, Landmarks: lm, Template: tpl, Out: out})
	if err == nil || !strings.Contains(err.Error(), "lm.txt:2: bob/1.png: landmark 5") {
		t.Fatalf("error %v, want it to name lm.txt:2 and bob/1.png", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("left behind: %v", names)
	}
}
