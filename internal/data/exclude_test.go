package data

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeTree writes an ImageFolder at root: identity idK has K+1 distinct
// 6×6 grey PNGs, for K < classes.
func writeTree(t *testing.T, root string, classes int) {
	t.Helper()
	for k := range classes {
		dir := filepath.Join(root, fmt.Sprintf("id%d", k))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for i := range k + 1 {
			img := image.NewGray(image.Rect(0, 0, 6, 6))
			for p := range img.Pix {
				img.Pix[p] = uint8(p*(k+1) + 9*i)
			}
			f, err := os.Create(filepath.Join(dir, fmt.Sprintf("id%d_%04d.png", k, i+1)))
			if err != nil {
				t.Fatal(err)
			}
			if err := png.Encode(f, img); err != nil {
				t.Fatal(err)
			}
			f.Close()
		}
	}
}

// writePairs writes p as a pairs file named name under dir.
func writePairs(t *testing.T, dir, name string, p *Pairs) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := p.Write(f); err != nil {
		t.Fatal(err)
	}
	return path
}

// exclusionFiles writes three pairs files about the identities id0..id7 of
// writeTree (idK has K+1 images): a View 1 file (single count header)
// naming id1, id3, id5, id6 and Ghost; a View 2 file (2 folds) naming id2,
// id3, id7, Ghost and Ghost2; and a View 1 file naming only Ghost and
// Ghost2, who are not in the set.
func exclusionFiles(t *testing.T, dir string) []string {
	view1 := &Pairs{Folds: 1, PerFold: 2, Pairs: []Pair{
		{"id3", 1, "id3", 2}, {"id5", 1, "id5", 3},
		{"id1", 1, "id6", 2}, {"id3", 2, "Ghost", 1},
	}}
	view2 := &Pairs{Folds: 2, PerFold: 1, Pairs: []Pair{
		{"id7", 1, "id7", 2}, {"id3", 1, "id2", 1},
		{"id7", 3, "id7", 4}, {"Ghost", 1, "Ghost2", 1},
	}}
	none := &Pairs{Folds: 1, PerFold: 1, Pairs: []Pair{
		{"Ghost", 1, "Ghost", 2}, {"Ghost", 1, "Ghost2", 2},
	}}
	return []string{
		writePairs(t, dir, "pairsDevTest.txt", view1),
		writePairs(t, dir, "pairs.txt", view2),
		writePairs(t, dir, "pairsNone.txt", none),
	}
}

// TestExcludePairs drops the identities three pairs files name from an
// ImageFolder tree and from a pack made of it: every named identity is gone,
// every other kept, and the counts (per file and in all) are right; with
// min_images_per_class the exclusion counts stay those of the set as opened.
func TestExcludePairs(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "train")
	writeTree(t, root, 8)
	files := exclusionFiles(t, dir)
	tree, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	pack, _ := writeTestPack(t, tree, Preprocess{Size: 4, Channels: 1}, false)
	packSrc, err := Open(pack)
	if err != nil {
		t.Fatal(err)
	}
	defer packSrc.(*Pack).Close()
	named := []string{"id1", "id2", "id3", "id5", "id6", "id7"}
	wantFiles := []ExcludeFileStats{
		{Path: files[0], Names: 5, Found: 4, Images: 2 + 4 + 6 + 7},
		{Path: files[1], Names: 5, Found: 3, Images: 8 + 4 + 3},
		{Path: files[2], Names: 2},
	}
	for _, tc := range []struct {
		name string
		src  Source
		min  int
		kept []string
	}{
		{"tree", tree, 0, []string{"id0", "id4"}},
		{"pack", packSrc, 0, []string{"id0", "id4"}},
		{"tree min_images_per_class 2", tree, 2, []string{"id4"}},
	} {
		cfg := Config{ExcludePairs: files, MinImagesPerClass: tc.min}
		l, err := NewLoader(tc.src, cfg, Preprocess{Size: 4, Channels: 1}, 1, 0)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !slices.Equal(l.Classes(), tc.kept) {
			t.Errorf("%s: kept %v, want %v", tc.name, l.Classes(), tc.kept)
		}
		wantImages := 0
		for _, c := range tc.kept {
			var k int
			fmt.Sscanf(c, "id%d", &k)
			wantImages += k + 1
		}
		if l.Len() != wantImages {
			t.Errorf("%s: %d images, want %d", tc.name, l.Len(), wantImages)
		}
		classes := tc.src.Classes()
		for _, i := range l.Order(0) {
			if c := classes[tc.src.Label(i)]; slices.Contains(named, c) {
				t.Errorf("%s: image %s of excluded %s drawn", tc.name, tc.src.Name(i), c)
			}
		}
		st := l.Excluded()
		if st.Classes != len(named) || st.Images != 2+3+4+6+7+8 || st.SetClasses != 8 || st.SetImages != 36 || !slices.Equal(st.Files, wantFiles) {
			t.Errorf("%s: stats %+v", tc.name, st)
		}
		lines := strings.Join(st.Lines(), "\n")
		for _, want := range []string{
			"removed 6 identities and 30 images (of 8 identities, 36 images) named by 3 pairs file(s)",
			files[0] + ": names 5 identities, 4 of them in the training set (19 images)",
			files[2] + ": names 2 identities, none of them in the training set (0 removed)",
		} {
			if !strings.Contains(lines, want) {
				t.Errorf("%s: summary lacks %q:\n%s", tc.name, want, lines)
			}
		}
	}
}

// TestExcludePairsNone checks that a loader without pairs files keeps every
// identity and reports nothing.
func TestExcludePairsNone(t *testing.T) {
	src := testSource{n: 12, classes: 3, w: 4, h: 4, bad: -1}
	l, err := NewLoader(src, Config{}, Preprocess{Size: 4, Channels: 1}, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	if st := l.Excluded(); len(l.Classes()) != 3 || st.Classes != 0 || st.Lines() != nil {
		t.Fatalf("classes %v, exclusion %+v", l.Classes(), st)
	}
}

// TestExcludePairsErrors: a pairs file that does not parse is an error naming
// it and the line; a missing one names it; a RecordIO set, whose identities
// are numbers, is refused naming the .rec and the pairs file.
func TestExcludePairsErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "pairsDevTest.txt")
	if err := os.WriteFile(bad, []byte("2\nid1 1 2\nid1 x 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := testSource{n: 12, classes: 3, w: 4, h: 4, bad: -1}
	pre := Preprocess{Size: 4, Channels: 1}
	if _, err := NewLoader(src, Config{ExcludePairs: []string{bad}}, pre, 2, 0); err == nil || !strings.Contains(err.Error(), bad+":3:") {
		t.Errorf("unparsable pairs file: %v, want an error naming %s:3", err, bad)
	}
	missing := filepath.Join(dir, "nosuch.txt")
	if _, err := NewLoader(src, Config{ExcludePairs: []string{missing}}, pre, 2, 0); err == nil || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing pairs file: %v", err)
	}
	good := writePairs(t, dir, "pairs.txt", &Pairs{Folds: 1, PerFold: 1, Pairs: []Pair{{"0", 1, "0", 2}, {"0", 1, "1", 1}}})
	rec, err := Open(insightfaceRec(t, dir, []int{3, 2}, true))
	if err != nil {
		t.Fatal(err)
	}
	defer rec.(*RecordIO).Close()
	_, err = NewLoader(rec, Config{ExcludePairs: []string{good}}, pre, 1, 0)
	if err == nil || !strings.Contains(err.Error(), "train.rec") || !strings.Contains(err.Error(), good) || !strings.Contains(err.Error(), "numbers, not names") {
		t.Errorf("RecordIO with exclude_pairs: %v", err)
	}
}

// TestWithSourceCrop: a pack's crop becomes the config's when the config
// sets none (the model learns from cropped images), and a configured crop
// or a source stored uncropped leaves the config as it is.
func TestWithSourceCrop(t *testing.T) {
	src := testSource{n: 6, classes: 2, w: 20, h: 18, bad: -1}
	path, _ := writeTestPack(t, src, Preprocess{Size: 8, Channels: 1, CenterCrop: 12}, false)
	p, err := OpenPack(path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if got := (Config{}).WithSourceCrop(p); got.CenterCrop != 12 || got.Crop != [4]int{} {
		t.Errorf("pack made with center crop 12: config crop %v, center crop %d", got.Crop, got.CenterCrop)
	}
	if got := (Config{CenterCrop: 12}).WithSourceCrop(p); got.CenterCrop != 12 {
		t.Errorf("configured crop changed to %d", got.CenterCrop)
	}
	if got := (Config{}).WithSourceCrop(src); got.CenterCrop != 0 || got.Crop != [4]int{} {
		t.Errorf("a source stored uncropped gave crop %v, center crop %d", got.Crop, got.CenterCrop)
	}
}
