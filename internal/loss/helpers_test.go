package loss

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cocotrain/cocotrain/internal/params"
)

// build declares and allocates a head of the given config, then inits it.
func build(t testing.TB, cfg Config, d, k int) (Head, *params.Arena) {
	t.Helper()
	a := params.New()
	h, err := New(cfg, d, k, a)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	a.Alloc()
	h.Init(1)
	return h, a
}

// randn returns n standard normal float32 values.
func randn(rng *rand.Rand, n int) []float32 {
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(rng.NormFloat64())
	}
	return out
}

// analytic runs Forward and Backward from zeroed gradients and returns the
// loss, ∂L/∂emb and a copy of the arena gradient. Buffers (the center head's
// centres, which Backward updates) are restored afterwards so that finite
// differences see the same function.
func analytic(h Head, a *params.Arena, emb []float32, labels []int) (float64, []float32, []float32) {
	state := append([]float32(nil), a.State...)
	a.ZeroGrad()
	loss, _ := h.Forward(emb, labels)
	dEmb := make([]float32, len(emb))
	for i := range dEmb {
		dEmb[i] = float32(math.NaN()) // Backward must overwrite
	}
	h.Backward(dEmb)
	copy(a.State, state)
	return loss, dEmb, append([]float32(nil), a.Grad...)
}

// numericGrad is the central difference of the loss in every element of x
// (a slice the head reads: the embeddings or the parameter arena).
func numericGrad(h Head, x, emb []float32, labels []int, step float32) []float64 {
	g := make([]float64, len(x))
	for i := range x {
		orig := x[i]
		x[i] = orig + step
		lp, _ := h.Forward(emb, labels)
		x[i] = orig - step
		lm, _ := h.Forward(emb, labels)
		x[i] = orig
		g[i] = (lp - lm) / float64((orig+step)-(orig-step))
	}
	return g
}

// compareGrad fails unless every |num − ana| ≤ tol·max(1, max|ana|).
func compareGrad(t *testing.T, what string, ana []float32, num []float64, tol float64) {
	t.Helper()
	scale := 1.0
	for _, v := range ana {
		scale = math.Max(scale, math.Abs(float64(v)))
	}
	worst, at := 0.0, -1
	for i := range ana {
		if e := math.Abs(float64(ana[i]) - num[i]); e > worst || math.IsNaN(e) {
			worst, at = e, i
		}
	}
	if !(worst <= tol*scale) {
		t.Errorf("%s: max |analytic − numeric| = %.3g at %d (analytic %g, numeric %g), allowed %.3g",
			what, worst, at, ana[at], num[at], tol*scale)
	}
}

// allFinite reports whether every value is finite.
func allFinite(xs []float32) bool {
	for _, v := range xs {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return false
		}
	}
	return true
}
