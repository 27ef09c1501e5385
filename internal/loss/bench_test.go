package loss

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkHeadStep times one Forward + Backward of each head on a batch of
// 128 embeddings of dimension 128 over 1000 classes, reporting samples/s and
// the GFLOP/s of its three B×d×K matrix products.
func BenchmarkHeadStep(b *testing.B) {
	const m, d, k = 128, 128, 1000
	for _, typ := range []string{TypeCoCo, TypeSoftmax, TypeArcFace, TypeCenter} {
		b.Run(fmt.Sprintf("%s/B%d_d%d_K%d", typ, m, d, k), func(b *testing.B) {
			cfg := DefaultConfig()
			cfg.Type = typ
			h, a := build(b, cfg, d, k)
			rng := rand.New(rand.NewPCG(1, 1))
			emb := randn(rng, m*d)
			labels := make([]int, m)
			for i := range labels {
				labels[i] = rng.IntN(k)
			}
			dEmb := make([]float32, m*d)
			b.ResetTimer()
			for b.Loop() {
				a.ZeroGrad()
				h.Forward(emb, labels)
				h.Backward(dEmb)
			}
			sec := b.Elapsed().Seconds() / float64(b.N)
			b.ReportMetric(float64(m)/sec, "samples/s")
			b.ReportMetric(3*2*float64(m*d*k)/sec/1e9, "GFLOP/s")
		})
	}
}
