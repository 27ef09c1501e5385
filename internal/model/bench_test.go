package model

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/cocotrain/cocotrain/internal/params"
)

// benchNet measures images/s of one architecture at batch 32 on GOMAXPROCS
// threads: Infer, forward only (eval mode) and forward+backward (training mode),
// with GFLOP/s counting 2·MACs per image for the forward and 3× that for
// forward+backward (the input- and weight-gradient products).
func benchNet(b *testing.B, cfg Config) {
	const batch = 32
	for _, name := range []string{"infer", "forward", "forward+backward"} {
		train := name == "forward+backward"
		b.Run(fmt.Sprintf("%s/%s", cfg.Arch, name), func(b *testing.B) {
			net, a := newTestNet(b, cfg, 1)
			net.SetTraining(train)
			rng := rand.New(rand.NewPCG(1, 2))
			x := randn(rng, batch*net.InShape().Size())
			d := randn(rng, batch*cfg.EmbeddingDim)
			flops := float64(net.Summary().FLOPs())
			if train {
				flops *= 3
			}
			// Size the buffers (and build Infer's replicas) outside the timing.
			if name == "infer" {
				net.Infer(x, batch)
			} else {
				net.Forward(x, batch)
			}
			if train {
				net.Backward(d)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if name == "infer" {
					net.Infer(x, batch)
					continue
				}
				net.Forward(x, batch)
				if train {
					a.ZeroGrad()
					net.Backward(d)
				}
			}
			s := b.Elapsed().Seconds()
			b.ReportMetric(float64(b.N*batch)/s, "images/s")
			b.ReportMetric(float64(b.N*batch)*flops/s/1e9, "GFLOP/s")
		})
	}
}

func BenchmarkTiny(b *testing.B) {
	benchNet(b, Config{Arch: "tiny", InputSize: 64, Channels: 3, EmbeddingDim: 128})
}

func BenchmarkMobileFaceNet(b *testing.B) {
	benchNet(b, Config{Arch: "mobilefacenet", InputSize: 112, Channels: 3, EmbeddingDim: 128})
}

// BenchmarkTinyConvLayers times forward+backward of each of tiny's four
// convolutions alone (1×64×64 input, batch 64, GOMAXPROCS threads; the
// first one without an input gradient, as in the net), with GFLOP/s
// counting 2 × MACs per product (forward, weight gradient and, but for the
// first, input gradient): how far the convolutions are from the GEMM's
// rate.
func BenchmarkTinyConvLayers(b *testing.B) {
	for i, c := range []struct {
		in  Shape
		out int
	}{{Shape{1, 64, 64}, 32}, {Shape{32, 32, 32}, 64}, {Shape{64, 16, 16}, 128}, {Shape{128, 8, 8}, 256}} {
		b.Run(fmt.Sprintf("conv%d", i+1), func(b *testing.B) {
			ex := NewExec()
			a := params.New()
			l, err := NewConv2d(ex, a, "c", c.in, ConvSpec{Out: c.out, Kernel: 3, Stride: 1, Pad: 1})
			if err != nil {
				b.Fatal(err)
			}
			a.Alloc()
			rng := rand.New(rand.NewPCG(1, 2))
			copy(a.Data, randn(rng, len(a.Data)))
			const n = 64
			x := randn(rng, n*c.in.Size())
			y := make([]float32, n*l.OutShape().Size())
			dy := randn(rng, len(y))
			var dx []float32
			if i > 0 {
				dx = make([]float32, len(x))
			}
			step := func() {
				ex.weightsChanged()
				l.Forward(y, x, n)
				l.Backward(dx, dy, n)
			}
			step()
			b.ResetTimer()
			for range b.N {
				step()
			}
			products := 3.0
			if dx == nil {
				products = 2
			}
			b.ReportMetric(float64(b.N*n)*2*products*float64(l.MACs())/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
