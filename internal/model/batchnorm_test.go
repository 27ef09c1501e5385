package model

import (
	"math"
	"testing"

	"github.com/cocotrain/cocotrain/internal/params"
)

// TestBatchNormSemantics checks training and eval outputs and the running
// statistics against values worked out by hand.
func TestBatchNormSemantics(t *testing.T) {
	ex := NewExec()
	a := params.New()
	bn := NewBatchNorm2d(ex, a, "bn", Shape{2, 1, 2}, true)
	a.Alloc()
	copy(a.Lookup("bn.weight").W, []float32{2, 1})
	copy(a.Lookup("bn.bias").W, []float32{0.5, 0})
	copy(a.Lookup("bn.running_mean").W, []float32{0, 1})
	copy(a.Lookup("bn.running_var").W, []float32{1, 2})
	// Two samples, channel 0 holds {1, 3 | 5, 7}, channel 1 {2, 2 | 2, 6}.
	x := []float32{1, 3, 2, 2, 5, 7, 2, 6}
	out := make([]float32, len(x))
	near := func(what string, got float32, want float64) {
		t.Helper()
		if math.Abs(float64(got)-want) > 1e-5*math.Max(1, math.Abs(want)) {
			t.Errorf("%s = %.7g, want %.7g", what, got, want)
		}
	}

	ex.Training = true
	bn.Forward(out, x, 2)
	// Channel 0: mean 4, biased variance (9+1+1+9)/4 = 5, unbiased 20/3.
	// Channel 1: mean 3, biased variance (1+1+1+9)/4 = 3, unbiased 4.
	s0, s1 := 1/math.Sqrt(5+1e-5), 1/math.Sqrt(3+1e-5)
	want := []float64{
		2*(1-4)*s0 + 0.5, 2*(3-4)*s0 + 0.5, (2 - 3) * s1, (2 - 3) * s1,
		2*(5-4)*s0 + 0.5, 2*(7-4)*s0 + 0.5, (2 - 3) * s1, (6 - 3) * s1,
	}
	for i := range want {
		near("training out", out[i], want[i])
	}
	// running = 0.9·running + 0.1·batch (unbiased variance).
	near("running_mean[0]", a.Lookup("bn.running_mean").W[0], 0.1*4)
	near("running_mean[1]", a.Lookup("bn.running_mean").W[1], 0.9*1+0.1*3)
	near("running_var[0]", a.Lookup("bn.running_var").W[0], 0.9*1+0.1*20.0/3)
	near("running_var[1]", a.Lookup("bn.running_var").W[1], 0.9*2+0.1*4)

	ex.Training = false
	before := append([]float32(nil), a.State...)
	bn.Forward(out, x, 2)
	m0, v0 := 0.4, 0.9+2.0/3
	m1, v1 := 1.2, 2.2
	want = []float64{
		2*(1-m0)/math.Sqrt(v0+1e-5) + 0.5, 2*(3-m0)/math.Sqrt(v0+1e-5) + 0.5, (2 - m1) / math.Sqrt(v1+1e-5), (2 - m1) / math.Sqrt(v1+1e-5),
		2*(5-m0)/math.Sqrt(v0+1e-5) + 0.5, 2*(7-m0)/math.Sqrt(v0+1e-5) + 0.5, (2 - m1) / math.Sqrt(v1+1e-5), (6 - m1) / math.Sqrt(v1+1e-5),
	}
	for i := range want {
		near("eval out", out[i], want[i])
	}
	for i := range before {
		if before[i] != a.State[i] {
			t.Errorf("eval Forward changed running statistic %d: %v → %v", i, before[i], a.State[i])
		}
	}
}

// TestDropoutDeterministic checks the mask statistics, the 1/(1−p) scaling,
// that a reseeded stream repeats and that eval is the identity.
func TestDropoutDeterministic(t *testing.T) {
	ex := NewExec()
	ex.Training = true
	d := NewDropout(ex, "d", Shape{1000, 1, 1}, 0.25)
	x := make([]float32, 2000)
	fill(x, 1)
	out1, out2 := make([]float32, 2000), make([]float32, 2000)
	d.Seed(3)
	d.Forward(out1, x, 2)
	zeros := 0
	for _, v := range out1 {
		switch v {
		case 0:
			zeros++
		case 1 / 0.75:
		default:
			t.Fatalf("dropout output %v, want 0 or 1/0.75", v)
		}
	}
	if zeros < 400 || zeros > 600 {
		t.Errorf("%d of 2000 dropped, want about 500", zeros)
	}
	d.Forward(out2, x, 2)
	if equalFloats(out1, out2) {
		t.Error("two training Forwards drew the same mask")
	}
	d.Seed(3)
	d.Forward(out2, x, 2)
	if !equalFloats(out1, out2) {
		t.Error("reseeding did not repeat the mask")
	}
	ex.Training = false
	d.Forward(out2, x, 2)
	if !equalFloats(out2, x) {
		t.Error("eval dropout is not the identity")
	}
}

func equalFloats(a, b []float32) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}
