//go:build unix

package model

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/cocotrain/cocotrain/internal/params"
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
		fused.Forward(out, x, n) // Backward's caches, when run alone
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

// BenchmarkTinyStage1CPU times tiny's first stage, the single-plane conv
// 1→32 3×3 and its BNActPool on 64×64 planes, as a Sequential in training
// (batch 64, GOMAXPROCS threads, no input gradient as in the net), in CPU
// milliseconds per call: the layers linked by bnstats.go and bnact_map.go.
func BenchmarkTinyStage1CPU(b *testing.B) {
	const n = 64
	ex := NewExec()
	ex.Training = true
	a := params.New()
	bl := &builder{ex: ex, a: a, cur: Shape{1, 64, 64}}
	var layers []Layer
	bl.conv(&layers, "conv", ConvSpec{Out: 32, Kernel: 3, Stride: 1, Pad: 1})
	bl.bnActPool(&layers, "bn", "relu", "pool", true)
	s := bl.seq("stage1", layers)
	if bl.err != nil {
		b.Fatal(bl.err)
	}
	a.Alloc()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range a.Data {
		a.Data[i] = 0.5 + rng.Float32()
	}
	for i := range a.State {
		a.State[i] = 0.5 + rng.Float32()
	}
	x := randn(rng, n*s.InShape().Size())
	dy := randn(rng, n*s.OutShape().Size())
	out := make([]float32, len(dy))
	s.Forward(out, x, n) // Backward's caches, when run alone
	b.Run("forward", func(b *testing.B) {
		cpu := processCPU(b)
		for i := 0; i < b.N; i++ {
			s.Forward(out, x, n)
		}
		b.ReportMetric((processCPU(b)-cpu)/float64(b.N), "cpu-ms/op")
	})
	b.Run("backward", func(b *testing.B) {
		cpu := processCPU(b)
		for i := 0; i < b.N; i++ {
			s.Backward(nil, dy, n)
		}
		b.ReportMetric((processCPU(b)-cpu)/float64(b.N), "cpu-ms/op")
	})
}
