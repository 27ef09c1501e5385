package eval

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
)

// memSet is a two-fold verification set over 8 in-memory images.
func memSet() *data.VerificationSet {
	set := &data.VerificationSet{Images: newMemSource(8), Folds: 2}
	for f := 0; f < 2; f++ {
		set.Left = append(set.Left, 2*f, 4+2*f, 2*f, 4+2*f)
		set.Right = append(set.Right, 2*f+1, 4+2*f+1, 4+2*f, 2*f+1)
		set.Same = append(set.Same, true, true, false, false)
	}
	return set
}

// TestPixelsIsCosineOfPreprocessedVectors: the pixel baseline's distances
// are those of the L2-normalised data.Preprocess vectors.
func TestPixelsIsCosineOfPreprocessedVectors(t *testing.T) {
	set := memSet()
	pp := data.Preprocess{Size: 4, Channels: 1}
	r, err := Pixels(context.Background(), set, pp, Options{BatchSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	vecs := make([]float32, 8*16)
	for i := 0; i < 8; i++ {
		img, _ := set.Images.Image(i)
		if err := pp.Apply(vecs[16*i:16*(i+1)], img); err != nil {
			t.Fatal(err)
		}
		u := unit(vecs[16*i : 16*(i+1)])
		for j := range u {
			vecs[16*i+j] = float32(u[j])
		}
	}
	want, err := NewReport("pixels", Distances(vecs, 16, set.Left, set.Right), nil, set.Same, 2)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range want.HeldOut {
		if math.Abs(r.HeldOut[i]-d) > 1e-6 {
			t.Fatalf("pair %d: distance %v, want %v", i, r.HeldOut[i], d)
		}
	}
	if r.Mirror || r.Method != "pixels" || r.AccuracyMean != want.AccuracyMean {
		t.Errorf("report %q mirror %v accuracy %v, want pixels, false, %v", r.Method, r.Mirror, r.AccuracyMean, want.AccuracyMean)
	}
}

// TestEigenfacesClampsAndRejects: with 4 training images per fold the PCA
// keeps at most 3 components; zero components is an error.
func TestEigenfacesClampsAndRejects(t *testing.T) {
	pp := data.Preprocess{Size: 4, Channels: 1}
	r, err := Eigenfaces(context.Background(), memSet(), pp, 50, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Method != "eigenfaces (3 components)" {
		t.Errorf("method %q, want eigenfaces (3 components)", r.Method)
	}
	if _, err := Eigenfaces(context.Background(), memSet(), pp, 0, Options{}); err == nil || !strings.Contains(err.Error(), "0 components") {
		t.Errorf("0 components: error %v", err)
	}
}

// TestBaselineByName: "pixels" is Pixels, "pca" is Eigenfaces, anything else
// is an error listing the choices.
func TestBaselineByName(t *testing.T) {
	pp := data.Preprocess{Size: 4, Channels: 1}
	ctx := context.Background()
	for name, method := range map[string]string{"pixels": "pixels", "pca": "eigenfaces (3 components)"} {
		r, err := Baseline(ctx, name, memSet(), pp, Options{})
		if err != nil {
			t.Fatalf("Baseline(%q): %v", name, err)
		}
		if r.Method != method {
			t.Errorf("Baseline(%q): method %q, want %q", name, r.Method, method)
		}
	}
	if _, err := Baseline(ctx, "lbp", memSet(), pp, Options{}); err == nil || !strings.Contains(err.Error(), "pixels, pca") {
		t.Errorf("unknown baseline: error %v", err)
	}
}
