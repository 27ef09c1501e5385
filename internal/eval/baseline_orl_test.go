package eval

import (
	"context"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
)

// orlDir is the ORL face database beside the repository (see BRIEF).
const orlDir = "../../../shared/data/orl"

// orlSet builds an LFW-like verification set on ORL: 10 folds of 4
// identities each (identity-disjoint, as LFW's folds are), each fold 60
// same pairs then 60 different pairs drawn with a fixed seed.
func orlSet(t *testing.T) *data.VerificationSet {
	t.Helper()
	if _, err := os.Stat(orlDir); err != nil {
		t.Skipf("ORL not found: %v", err)
	}
	src, err := data.OpenImageFolder(orlDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(src.Classes()) != 40 {
		t.Fatalf("ORL has %d identities, want 40", len(src.Classes()))
	}
	byID := make([][]int, 40)
	for i := 0; i < src.Len(); i++ {
		byID[src.Label(i)] = append(byID[src.Label(i)], i)
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	set := &data.VerificationSet{Images: src, Folds: 10}
	pick := func(ids []int) int { return ids[rng.IntN(len(ids))] }
	for f := 0; f < 10; f++ {
		people := []int{4 * f, 4*f + 1, 4*f + 2, 4*f + 3}
		for k := 0; k < 60; k++ {
			imgs := byID[people[k%4]]
			a := rng.IntN(len(imgs))
			b := (a + 1 + rng.IntN(len(imgs)-1)) % len(imgs)
			set.Left, set.Right = append(set.Left, imgs[a]), append(set.Right, imgs[b])
			set.Same = append(set.Same, true)
		}
		for k := 0; k < 60; k++ {
			p := k % 4
			q := (p + 1 + rng.IntN(3)) % 4
			set.Left = append(set.Left, pick(byID[people[p]]))
			set.Right = append(set.Right, pick(byID[people[q]]))
			set.Same = append(set.Same, false)
		}
	}
	return set
}

// orlPreprocess: the central 92×92 square of the 92×112 faces, 32×32 grey.
var orlPreprocess = data.Preprocess{Size: 32, Channels: 1, CenterCrop: 92}

// TestBaselinesORL scores the raw-pixel and Eigenfaces baselines on ORL
// pairs with the 10-fold protocol. ORL (40 people, controlled light and
// pose) is far easier than LFW, so both must sit well above chance.
func TestBaselinesORL(t *testing.T) {
	set := orlSet(t)
	ctx := context.Background()
	pix, err := Pixels(ctx, set, orlPreprocess, Options{})
	if err != nil {
		t.Fatal(err)
	}
	pca, err := Eigenfaces(ctx, set, orlPreprocess, 40, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*Report{pix, pca} {
		t.Logf("ORL %s: accuracy %.2f%% ± %.2f%%, AUC %.4f, EER %.2f%%, threshold %.2f",
			r.Method, 100*r.AccuracyMean, 100*r.AccuracyStd, r.AUC, 100*r.EER, r.ThresholdL2)
		if r.Pairs != 1200 || r.Folds != 10 || r.Mirror {
			t.Errorf("%s: %d pairs, %d folds, mirror %v; want 1200, 10, false", r.Method, r.Pairs, r.Folds, r.Mirror)
		}
		if r.AccuracyMean < 0.75 || r.AUC < 0.8 {
			t.Errorf("%s: accuracy %.4f AUC %.4f: want well above chance on ORL", r.Method, r.AccuracyMean, r.AUC)
		}
		if r.NoFlip.AccuracyMean != r.AccuracyMean {
			t.Errorf("%s: no-mirror accuracy %v differs from accuracy %v without a mirror", r.Method, r.NoFlip.AccuracyMean, r.AccuracyMean)
		}
	}
	if pca.Method != "eigenfaces (40 components)" {
		t.Errorf("method %q", pca.Method)
	}
}
