package synth

import (
	"context"
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/eval"
)

// The default set must be hard for raw pixels (real LFW: 61%), so that a
// model's score means something.
func TestDefaultsHardForPixels(t *testing.T) {
	c := DefaultConfig()
	g := newGen(t, c)
	r, err := eval.Pixels(context.Background(), g.Verification(), data.Preprocess{Size: c.Size, Channels: c.Channels}, eval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("raw-pixel verification of the defaults: %.2f%% ± %.2f%%, AUC %.3f", 100*r.AccuracyMean, 100*r.AccuracyStd, r.AUC)
	if r.AccuracyMean >= 0.7 {
		t.Fatalf("raw pixels verify the default set at %.2f%%: want well below 80%%", 100*r.AccuracyMean)
	}
}
