package align

import (
	"image"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
)

func TestSource(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir)
	src, err := data.OpenImageFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	tpl, _ := NewTemplate(ArcFace, 32)
	lm, err := ParseLandmarks([]byte(treeLandmarks), "lm.txt")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewSource(src, dir, lm, tpl); err == nil || !strings.Contains(err.Error(), "lm.txt: no landmarks for 1 of the 3 images") ||
		!strings.Contains(err.Error(), filepath.Join("ann", "2.png")) {
		t.Fatalf("an image without landmarks: %v", err)
	}
	lm, err = ParseLandmarks([]byte(treeLandmarks+"ann/2.png 28 40 52 40 40 55 30 70 50 70\n"), "lm.txt")
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSource(src, dir, lm, tpl)
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != 3 || s.Label(2) != 1 || s.Name(0) != src.Name(0) || len(s.Classes()) != 2 {
		t.Fatal("Source does not pass the listing through")
	}
	got, err := s.Image(1)
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := src.Image(1)
	e, _ := lm.Lookup("ann/2.png")
	want, _, err := Face(orig, e.Points, tpl)
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != image.Rect(0, 0, 32, 32) || string(got.(*image.Gray).Pix) != string(want.(*image.Gray).Pix) {
		t.Error("Source.Image differs from Face")
	}
}
