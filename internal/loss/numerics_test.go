package loss

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestNumericsEdgeCases runs every head on degenerate inputs and requires a
// finite loss and finite gradients.
func TestNumericsEdgeCases(t *testing.T) {
	const d, m = 6, 4
	type edge struct {
		name    string
		k       int
		alpha   string
		prepare func(emb []float32, c []float32) // c: the head's class matrix (nil if none)
	}
	edges := []edge{
		{"zero features", 5, "auto", func(emb, c []float32) { clear(emb) }},
		{"tiny features", 5, "auto", func(emb, c []float32) {
			for i := range emb {
				emb[i] *= 1e-30
			}
		}},
		{"duplicate centroids", 5, "auto", func(emb, c []float32) {
			if c != nil {
				for i := 1; i < 5; i++ {
					copy(c[i*d:(i+1)*d], c[:d])
				}
			}
		}},
		{"zero centroid", 5, "auto", func(emb, c []float32) {
			if c != nil {
				clear(c[2*d : 3*d])
			}
		}},
		{"features on centroids", 5, "auto", func(emb, c []float32) {
			if c != nil {
				for i := 0; i < m; i++ {
					copy(emb[i*d:(i+1)*d], c[(i%5)*d:(i%5+1)*d])
				}
			}
		}},
		{"one class", 1, "auto", func(emb, c []float32) {}},
		{"huge alpha", 5, "1e6", func(emb, c []float32) {}},
		{"huge features", 5, "auto", func(emb, c []float32) {
			for i := range emb {
				emb[i] *= 1e18
			}
		}},
	}
	for _, typ := range []string{TypeCoCo, TypeSoftmax, TypeNormFace, TypeCosFace, TypeArcFace, TypeCenter} {
		for _, e := range edges {
			cfg := DefaultConfig()
			cfg.Type, cfg.Alpha = typ, e.alpha
			if typ == TypeCoCo {
				cfg.AuxSoftmaxWeight = 0.4
			}
			if e.alpha != "auto" && typ != TypeCoCo {
				cfg.S = 1e6
			}
			h, a := build(t, cfg, d, e.k)
			rng := rand.New(rand.NewPCG(5, 5))
			emb := randn(rng, m*d)
			var c []float32
			if p := a.Lookup(ParamCentroids); p != nil {
				c = p.W
			}
			e.prepare(emb, c)
			labels := make([]int, m)
			for i := range labels {
				labels[i] = i % e.k
			}
			loss, acc := h.Forward(emb, labels)
			dEmb := make([]float32, m*d)
			h.Backward(dEmb)
			if math.IsNaN(loss) || math.IsInf(loss, 0) || !(acc >= 0 && acc <= 1) ||
				!allFinite(dEmb) || !allFinite(a.Grad) || !allFinite(a.State) || !allFinite(a.Data) {
				t.Errorf("%s / %s: loss %g acc %g, dEmb finite %v, grads finite %v", typ, e.name, loss, acc, allFinite(dEmb), allFinite(a.Grad))
			}
			if e.k == 1 && typ != TypeCenter && loss > 1e-12 {
				t.Errorf("%s with one class: loss %g, want 0", typ, loss)
			}
		}
	}
}
