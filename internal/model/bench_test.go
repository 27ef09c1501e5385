package model

import (
	"fmt"
	"math/rand/v2"
	"testing"
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
