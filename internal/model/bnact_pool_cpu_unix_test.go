//go:build unix

package model

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkBNActPoolCPU times the fused layer's training Forward and
// Backward alone on tiny's four stages (batch 64, GOMAXPROCS threads) in
// CPU milliseconds of the process per call (see BenchmarkWinogradConvCPU).
func BenchmarkBNActPoolCPU(b *testing.B) {
	const n = 64
	for _, in := range []Shape{{32, 64, 64}, {64, 32, 32}, {128, 16, 16}, {256, 8, 8}} {
		_, fused, _, _ := bnActPoolPair(b, in, true, true)
		rng := rand.New(rand.NewPCG(1, 2))
		x := randn(rng, n*in.Size())
		dy := randn(rng, n*fused.OutShape().Size())
		out, dx := make([]float32, len(dy)), make([]float32, len(x))
		name := fmt.Sprintf("%dx%dx%d", in.C, in.H, in.W)
		b.Run(name+"/forward", func(b *testing.B) {
			cpu := processCPU(b)
			for i := 0; i < b.N; i++ {
				fused.Forward(out, x, n)
			}
			b.ReportMetric((processCPU(b)-cpu)/float64(b.N), "cpu-ms/op")
		})
		b.Run(name+"/backward", func(b *testing.B) {
			cpu := processCPU(b)
			for i := 0; i < b.N; i++ {
				fused.Backward(dx, dy, n)
			}
			b.ReportMetric((processCPU(b)-cpu)/float64(b.N), "cpu-ms/op")
		})
	}
}
