package eval

import (
	"testing"

	"gonum.org/v1/plot"
)

// TestROCPlotLogFAR checks that the ROC plot has a log-scale false accept
// axis reaching down to 1e-4 (or the curve's smallest non-zero rate), and
// the given title.
func TestROCPlotLogFAR(t *testing.T) {
	r := ROC{FPR: []float64{0, 2e-5, 1e-3, 0.1, 1}, TPR: []float64{0.2, 0.3, 0.6, 0.9, 1}, Threshold: []float64{0, 1, 2, 3, 4}}
	p, err := r.Plot("ROC: tiny (best.safetensors)")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.X.Scale.(plot.LogScale); !ok || p.X.Min != 2e-5 || p.X.Max != 1 {
		t.Errorf("FAR axis: scale %T, %g..%g; want a log scale from 2e-5 to 1", p.X.Scale, p.X.Min, p.X.Max)
	}
	if p.Title.Text != "ROC: tiny (best.safetensors)" {
		t.Errorf("title %q", p.Title.Text)
	}
	if _, err := (ROC{FPR: []float64{0}, TPR: []float64{0}, Threshold: []float64{0}}).Plot("x"); err == nil {
		t.Error("a curve with no non-zero false accept rate plotted")
	}
}
