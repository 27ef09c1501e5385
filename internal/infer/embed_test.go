package infer

import (
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
)

func writePNG(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
}

// TestListImages lists image files recursively in sorted order, labelled by
// directory, skipping hidden entries and other files.
func TestListImages(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"b/2.png", "a/1.PNG", "a/0.png", "top.png", ".hidden/x.png", "a/.y.png"} {
		writePNG(t, filepath.Join(dir, p))
	}
	if err := os.WriteFile(filepath.Join(dir, "a", "notes.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	src, names, err := listImages(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a/0.png", "a/1.PNG", "b/2.png", "top.png"}
	if !slices.Equal(names, want) || src.Len() != 4 {
		t.Fatalf("listed %v, want %v", names, want)
	}
	if src.Label(0) != src.Label(1) || src.Label(1) == src.Label(2) || src.Classes()[src.Label(3)] != "." {
		t.Errorf("labels %d %d %d %d classes %v", src.Label(0), src.Label(1), src.Label(2), src.Label(3), src.Classes())
	}
	if _, err := src.Image(2); err != nil {
		t.Error(err)
	}
	if _, _, err := listImages(filepath.Join(dir, "a", "notes.txt")); err == nil || !strings.Contains(err.Error(), "no images") {
		t.Errorf("a directory without images: %v", err)
	}
	if _, _, err := listImages(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing directory listed fine")
	}
}

func TestWithCrop(t *testing.T) {
	pp := withCrop(dataPreprocess(), [4]int{1, 2, 30, 40}, 0)
	if pp.Crop != [4]int{1, 2, 30, 40} || pp.CenterCrop != 0 {
		t.Errorf("crop: %+v", pp)
	}
	pp = withCrop(pp, [4]int{}, 50)
	if pp.Crop != [4]int{} || pp.CenterCrop != 50 {
		t.Errorf("centre crop: %+v", pp)
	}
	if got := withCrop(pp, [4]int{}, 0); got != pp {
		t.Errorf("no crop option changed %+v to %+v", pp, got)
	}
}

func dataPreprocess() data.Preprocess {
	return data.Preprocess{Size: 16, Channels: 1, Crop: [4]int{5, 5, 10, 10}}
}
