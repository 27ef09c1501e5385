package synth

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
)

func TestPairsPerFold(t *testing.T) {
	for _, tc := range []struct{ e, k, want int }{
		{100, 10, 30}, {300, 10, 90}, {1000, 10, 300}, {5000, 10, 300},
		{20, 2, 2}, {20, 3, 6}, {30, 2, 3}, {0, 10, 0},
	} {
		c := Config{EvalIdentities: tc.e, EvalPerIdentity: tc.k}
		if got := c.PairsPerFold(); got != tc.want {
			t.Errorf("%d identities × %d images: %d pairs per fold, want %d", tc.e, tc.k, got, tc.want)
		}
	}
}

func TestPairsLayout(t *testing.T) {
	for _, c := range []Config{smallConfig(), func() Config {
		c := DefaultConfig()
		c.EvalIdentities, c.EvalPerIdentity = 23, 2 // tight: every distinct pair is needed
		return c
	}()} {
		g := newGen(t, c)
		p := g.Pairs()
		per := c.PairsPerFold()
		if p.Folds != Folds || p.PerFold != per || len(p.Pairs) != 2*Folds*per {
			t.Fatalf("%d folds × %d, %d pairs; want %d × %d", p.Folds, p.PerFold, len(p.Pairs), Folds, per)
		}
		foldOf := map[string]int{}
		seen := map[data.Pair]bool{}
		for f := 0; f < Folds; f++ {
			for n, pr := range p.Fold(f) {
				if pr.Same() != (n < per) {
					t.Fatalf("fold %d pair %d: matched=%v out of place", f, n, pr.Same())
				}
				if seen[pr] {
					t.Fatalf("pair %v repeats", pr)
				}
				seen[pr] = true
				if pr.Same() && pr.Index1 == pr.Index2 {
					t.Fatalf("matched pair %v compares an image with itself", pr)
				}
				for _, x := range []struct {
					name string
					idx  int
				}{{pr.Name1, pr.Index1}, {pr.Name2, pr.Index2}} {
					if x.idx < 1 || x.idx > c.EvalPerIdentity {
						t.Fatalf("pair %v: image number out of 1..%d", pr, c.EvalPerIdentity)
					}
					if g, ok := foldOf[x.name]; ok && g != f {
						t.Fatalf("%s appears in folds %d and %d", x.name, g, f)
					}
					foldOf[x.name] = f
				}
			}
		}
		// The text round-trips through the data package's parser.
		var buf bytes.Buffer
		if err := p.Write(&buf); err != nil {
			t.Fatal(err)
		}
		q, err := data.ParsePairs(&buf, "pairs.txt")
		if err != nil || q.Folds != Folds || len(q.Pairs) != len(p.Pairs) {
			t.Fatalf("parsed back: %v, %+v", err, q)
		}
	}
}

func TestVerificationSet(t *testing.T) {
	c := smallConfig()
	g := newGen(t, c)
	v := g.Verification()
	p := g.Pairs()
	if v.Folds != Folds || v.NumPairs() != len(p.Pairs) || len(v.Left) != v.NumPairs() || len(v.Right) != v.NumPairs() {
		t.Fatalf("folds %d, %d pairs (%d/%d), want %d", v.Folds, v.NumPairs(), len(v.Left), len(v.Right), len(p.Pairs))
	}
	train := map[string]bool{}
	for _, n := range g.Train().Classes() {
		train[n] = true
	}
	for _, n := range v.Images.Classes() {
		if train[n] {
			t.Fatalf("%s is both a training and a verification identity", n)
		}
	}
	want := map[string]bool{}
	for k, pr := range p.Pairs {
		l, r := v.Left[k], v.Right[k]
		if v.Images.Name(l) != "synth:lfw/"+pr.Name1+"/"+pr.Name1+"_"+pad4(pr.Index1)+".png" ||
			v.Images.Name(r) != "synth:lfw/"+pr.Name2+"/"+pr.Name2+"_"+pad4(pr.Index2)+".png" {
			t.Fatalf("pair %d = %v refers to %s and %s", k, pr, v.Images.Name(l), v.Images.Name(r))
		}
		if v.Same[k] != (v.Images.Label(l) == v.Images.Label(r)) || v.Same[k] != pr.Same() {
			t.Fatalf("pair %d: Same %v, labels %d %d", k, v.Same[k], v.Images.Label(l), v.Images.Label(r))
		}
		want[v.Images.Name(l)], want[v.Images.Name(r)] = true, true
	}
	if v.Images.Len() != len(want) {
		t.Fatalf("%d images held, %d distinct images referenced", v.Images.Len(), len(want))
	}
	// An image of the set is the generator's image of that identity.
	m, err := v.Images.Image(v.Left[0])
	if err != nil {
		t.Fatal(err)
	}
	it := v.Images.(*evalSource).items[v.Left[0]]
	if !bytes.Equal(pixels(m), pixels(g.Render(c.Identities+it.j, it.k))) {
		t.Fatal("verification image differs from Render of its identity")
	}
}

func pad4(n int) string { return fmt.Sprintf("%04d", n) }

func TestTrainSource(t *testing.T) {
	c := smallConfig()
	g := newGen(t, c)
	s := g.Train()
	if s.Len() != c.Identities*c.PerIdentity || len(s.Classes()) != c.Identities {
		t.Fatalf("Len %d, %d classes", s.Len(), len(s.Classes()))
	}
	if s.Classes()[4] != "id00004" || s.Label(9) != 2 || s.Name(9) != "synth:train/id00002/0002.png" {
		t.Fatalf("names/labels: %s %d %s", s.Classes()[4], s.Label(9), s.Name(9))
	}
	m, err := s.Image(9)
	if err != nil || !bytes.Equal(pixels(m), pixels(g.Render(2, 1))) {
		t.Fatalf("Image(9): %v", err)
	}
	if _, err := s.Image(s.Len()); err == nil {
		t.Fatal("Image out of range gave no error")
	}
	if EvalName(41) != "Synth_Person_0042" {
		t.Fatal(EvalName(41))
	}
}
