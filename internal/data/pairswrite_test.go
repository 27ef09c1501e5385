package data

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMakePairs(t *testing.T) {
	var classes []string
	var counts []int
	for i := 0; i < 47; i++ {
		classes = append(classes, fmt.Sprintf("id%02d", i))
		counts = append(counts, 1+i%6) // some identities have one image
	}
	p, err := MakePairs(classes, counts, 5, 20, 7)
	if err != nil {
		t.Fatal(err)
	}
	if p.Folds != 5 || p.PerFold != 20 || len(p.Pairs) != 200 {
		t.Fatalf("%d folds of %d, %d pairs", p.Folds, p.PerFold, len(p.Pairs))
	}
	owner := map[string]int{} // identity → fold
	count := map[string]int{}
	for i, c := range classes {
		count[c] = counts[i]
	}
	for f := 0; f < p.Folds; f++ {
		seen := map[Pair]bool{}
		for k, pr := range p.Fold(f) {
			if pr.Same() != (k < p.PerFold) {
				t.Fatalf("fold %d pair %d: same %v", f, k, pr.Same())
			}
			if pr.Same() && pr.Index1 == pr.Index2 {
				t.Fatalf("fold %d: %v pairs an image with itself", f, pr)
			}
			if seen[pr] {
				t.Fatalf("fold %d: %v twice", f, pr)
			}
			seen[pr] = true
			for _, side := range []struct {
				name string
				n    int
			}{{pr.Name1, pr.Index1}, {pr.Name2, pr.Index2}} {
				if side.n < 1 || side.n > count[side.name] {
					t.Fatalf("%v: image %d of %s, which has %d", pr, side.n, side.name, count[side.name])
				}
				if g, ok := owner[side.name]; ok && g != f {
					t.Fatalf("%s is in folds %d and %d", side.name, g, f)
				}
				owner[side.name] = f
			}
		}
	}
	// Written and read back; the same seed gives the same file, another a different one.
	var a, b, c bytes.Buffer
	p.Write(&a)
	back, err := ParsePairs(bytes.NewReader(a.Bytes()), "pairs.txt")
	if err != nil || len(back.Pairs) != 200 || back.Folds != 5 {
		t.Fatalf("read back: %v", err)
	}
	p2, _ := MakePairs(classes, counts, 5, 20, 7)
	p2.Write(&b)
	p3, _ := MakePairs(classes, counts, 5, 20, 8)
	p3.Write(&c)
	if a.String() != b.String() || a.String() == c.String() {
		t.Error("pairs are not a function of the seed")
	}
	// Every matched pair of a small fold: listed exhaustively.
	if _, err := MakePairs([]string{"a", "b"}, []int{3, 2}, 1, 4, 1); err != nil {
		t.Errorf("4 of the 4 possible matched pairs: %v", err)
	}
}

func TestMakePairsErrors(t *testing.T) {
	for _, c := range []struct {
		classes    []string
		counts     []int
		folds, per int
		want       string
	}{
		{[]string{"a", "b", "c"}, []int{2, 2, 2}, 2, 1, "3 identities with images cannot fill 2 folds"},
		{[]string{"a", "b"}, []int{2, 1}, 1, 2, "fold 1 of 1 (2 identities): only 1 distinct matched pairs"},
		{[]string{"a", "b"}, []int{4, 1}, 1, 5, "only 4 distinct mismatched pairs"},
		{[]string{"a b", "c"}, []int{2, 2}, 1, 1, "cannot be written in a pairs file"},
	} {
		_, err := MakePairs(c.classes, c.counts, c.folds, c.per, 1)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v %v: error %v, want %q", c.classes, c.counts, err, c.want)
		}
	}
}

// TestLoadLFWImageFolder reads pairs drawn for an ImageFolder whose files do
// not follow LFW's Name_NNNN naming: image n is the n-th file.
func TestLoadLFWImageFolder(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "faces")
	for _, rel := range []string{"ann/x.png", "ann/y.png", "ann/z.png", "bob/p.png", "bob/q.png", "cy/only.png", "dan/d1.png", "dan/d2.png"} {
		p := filepath.Join(root, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		png.Encode(f, image.NewGray(image.Rect(0, 0, 4, 4)))
		f.Close()
	}
	src, err := OpenImageFolder(root)
	if err != nil {
		t.Fatal(err)
	}
	counts := make([]int, len(src.Classes()))
	for i := 0; i < src.Len(); i++ {
		counts[src.Label(i)]++
	}
	p, err := MakePairs(src.Classes(), counts, 2, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	pairsPath := filepath.Join(dir, "pairs.txt")
	f, _ := os.Create(pairsPath)
	p.Write(f)
	f.Close()
	v, err := LoadLFW(root, pairsPath)
	if err != nil {
		t.Fatal(err)
	}
	for k, pr := range p.Pairs {
		for _, side := range []struct {
			name string
			n, i int
		}{{pr.Name1, pr.Index1, v.Left[k]}, {pr.Name2, pr.Index2, v.Right[k]}} {
			entries, _ := os.ReadDir(filepath.Join(root, side.name))
			if want := filepath.Join(root, side.name, entries[side.n-1].Name()); v.Images.Name(side.i) != want {
				t.Errorf("pair %d: %s %d → %s, want %s", k, side.name, side.n, v.Images.Name(side.i), want)
			}
		}
	}
	// An identity that is not there, and an image number past the end.
	os.WriteFile(pairsPath, []byte("1\t1\nann\t1\t4\nann\t1\tzed\t1\n"), 0o644)
	_, err = LoadLFW(root, pairsPath)
	if err == nil || !strings.Contains(err.Error(), "not directories there: zed") || !strings.Contains(err.Error(), "image 4 of 3") {
		t.Errorf("missing identity: %v", err)
	}
}
