package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkDepthwise measures the depthwise 3×3 convolution of one
// MobileFaceNet-like 64×56×56 feature map (stride 1 and 2), forward and
// backward, in GFLOP/s (2 FLOPs per multiply-add).
func BenchmarkDepthwise(b *testing.B) {
	for _, s := range []int{1, 2} {
		g := ConvGeom{C: 64, H: 56, W: 56, KH: 3, KW: 3, SH: s, SW: s, PH: 1, PW: 1}
		rng := rand.New(rand.NewPCG(1, 2))
		in := make([]float32, g.C*g.H*g.W)
		w := make([]float32, g.C*9)
		out := make([]float32, g.C*g.OutH()*g.OutW())
		fill(rng, in)
		fill(rng, w)
		flops := 2 * float64(len(out)*9)
		b.Run(fmt.Sprintf("forward/stride%d", s), func(b *testing.B) {
			for b.Loop() {
				DepthwiseConv(out, in, w, g)
			}
			b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
		b.Run(fmt.Sprintf("backward/stride%d", s), func(b *testing.B) {
			dIn := make([]float32, len(in))
			dW := make([]float32, len(w))
			for b.Loop() {
				DepthwiseConvBackward(dIn, dW, out, in, w, g)
			}
			b.ReportMetric(2*flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
