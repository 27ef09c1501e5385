package model

import (
	"math/rand/v2"
	"testing"
)

// TestStepAllocations requires a warm training step (forward and backward),
// a warm eval forward and a warm Infer on 2 threads to allocate nothing, give or take
// one allocation per step: the kernels' free lists may still grow when the
// workers happen to overlap more than before. The parallel regions run on
// the persistent worker pool with bodies that are methods of the layers.
func TestStepAllocations(t *testing.T) {
	for _, cfg := range []Config{
		{Arch: "tiny", InputSize: 32, Channels: 3, EmbeddingDim: 16, Dropout: 0.1},
		{Arch: "small", InputSize: 32, Channels: 3, EmbeddingDim: 16},
		{Arch: "mobilefacenet", InputSize: 32, Channels: 3, EmbeddingDim: 16},
	} {
		t.Run(cfg.Arch, func(t *testing.T) {
			const batch = 5
			rng := rand.New(rand.NewPCG(2, 3))
			x := randn(rng, batch*cfg.Channels*cfg.InputSize*cfg.InputSize)
			dEmb := randn(rng, batch*cfg.EmbeddingDim)
			net, _ := newTestNet(t, cfg, 4)
			net.SetThreads(2)
			step := func() {
				net.Forward(x, batch)
				net.Backward(dEmb)
			}
			for _, training := range []bool{true, false} {
				net.SetTraining(training)
				f := step
				if !training {
					f = func() { net.Forward(x, batch) }
				}
				for range 3 { // the kernels' free lists grow to the workers' overlap
					f()
				}
				if got := testing.AllocsPerRun(5, f); got > 1 {
					t.Errorf("%s training %v: %v allocations per step, want at most 1", cfg.Arch, training, got)
				}
			}
			infer := func() { net.Infer(x, batch) }
			for range 3 {
				infer()
			}
			if got := testing.AllocsPerRun(5, infer); got > 1 {
				t.Errorf("%s Infer: %v allocations per call, want at most 1", cfg.Arch, got)
			}
		})
	}
}

// smallUnits is a region body whose units sum 1024 floats each.
type smallUnits struct {
	x    [2][1024]float32
	sums [2]float32
}

func (s *smallUnits) unit(_, u int) {
	var t float32
	for _, v := range s.x[u] {
		t += v
	}
	s.sums[u] = t
}

// BenchmarkRegion times a parallel region of two small units on 2 threads:
// what starting and ending a region costs.
func BenchmarkRegion(b *testing.B) {
	e := NewExec()
	e.SetThreads(2)
	s := new(smallUnits)
	b.ReportAllocs()
	for b.Loop() {
		e.run(2, s)
	}
}
