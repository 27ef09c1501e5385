package model

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestInferMatchesEvalForward checks Infer against Forward in eval mode for
// every architecture, for batches that leave a partial chunk, and that
// Infer's embeddings are bit-identical for any thread count and leave the
// training flag alone.
func TestInferMatchesEvalForward(t *testing.T) {
	for _, cfg := range []Config{
		{Arch: "tiny", InputSize: 16, Channels: 2, EmbeddingDim: 6, Dropout: 0.3},
		{Arch: "tiny", InputSize: 16, Channels: 1, EmbeddingDim: 6},
		{Arch: "small", InputSize: 16, Channels: 3, EmbeddingDim: 6},
		{Arch: "mobilefacenet", InputSize: 32, Channels: 3, EmbeddingDim: 8},
		{Arch: "iresnet18", InputSize: 16, Channels: 3, EmbeddingDim: 8},
	} {
		t.Run(cfg.Arch, func(t *testing.T) {
			net, a := newTestNet(t, cfg, 7)
			rng := rand.New(rand.NewPCG(1, 2))
			perturbBuffers(a, rng)
			const batch = 2*inferChunk + 3
			x := make([]float32, batch*net.InShape().Size())
			for i := range x {
				x[i] = float32(rng.NormFloat64())
			}
			want := slices.Clone(net.Forward(x, batch))
			var first []float32
			for _, threads := range []int{1, 2, 3} {
				net.SetThreads(threads)
				net.SetTraining(true)
				got := net.Infer(x, batch)
				if e := maxRelErr(got, want); e > 1e-5 {
					t.Errorf("%d threads: Infer differs from the eval Forward by %.3g", threads, e)
				}
				if first == nil {
					first = slices.Clone(got)
				} else if !slices.Equal(got, first) {
					t.Errorf("%d threads: Infer not bit-identical to 1 thread", threads)
				}
				if !net.ex.Training {
					t.Error("Infer changed the training flag")
				}
			}
			// Weights changed after an Infer must be seen by the next one.
			for _, p := range a.Params {
				for i := range p.W {
					p.W[i] *= 0.9
				}
			}
			net.SetTraining(false)
			want = slices.Clone(net.Forward(x, batch))
			if e := maxRelErr(net.Infer(x, batch), want); e > 1e-5 {
				t.Errorf("after a weight change: Infer differs from the eval Forward by %.3g", e)
			}
		})
	}
}
