//go:build unix

package model

import (
	"math/rand/v2"
	"testing"

	"github.com/cocotrain/cocotrain/internal/params"
	"golang.org/x/sys/unix"
)

// processCPU is the user + system CPU time the process has used so far, in
// milliseconds.
func processCPU(b *testing.B) float64 {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e6
}

// BenchmarkWinogradConvCPU times the forward and the backward (input and
// weight gradients) of Winograd convolutions alone (GOMAXPROCS threads, in
// training mode: the forward keeps the transformed input) in CPU
// milliseconds of the process per call: tiny's conv2–conv4 (batch 64) and
// iresnet18's stride-1 3×3 convolutions of the 28×28, 14×14 and 7×7
// maps (batch 8). On a shared machine these vary far less than wall-clock
// time, so they are the metrics to compare before/after a change of the
// Winograd path.
func BenchmarkWinogradConvCPU(b *testing.B) {
	for _, c := range []struct {
		name string
		in   Shape
		out  int
		n    int
	}{
		{"conv2", Shape{32, 32, 32}, 64, 64}, {"conv3", Shape{64, 16, 16}, 128, 64}, {"conv4", Shape{128, 8, 8}, 256, 64},
		{"ir28", Shape{128, 28, 28}, 128, 8}, {"ir14", Shape{256, 14, 14}, 256, 8}, {"ir7", Shape{512, 7, 7}, 512, 8},
	} {
		b.Run(c.name, func(b *testing.B) {
			ex := NewExec()
			ex.Training = true
			a := params.New()
			l, err := NewConv2d(ex, a, "c", c.in, ConvSpec{Out: c.out, Kernel: 3, Stride: 1, Pad: 1})
			if err != nil {
				b.Fatal(err)
			}
			a.Alloc()
			rng := rand.New(rand.NewPCG(1, 2))
			copy(a.Data, randn(rng, len(a.Data)))
			n := c.n
			x := randn(rng, n*c.in.Size())
			y := make([]float32, n*l.OutShape().Size())
			dy := randn(rng, len(y))
			dx := make([]float32, len(x))
			ex.weightsChanged()
			l.Forward(y, x, n)
			l.Backward(dx, dy, n)
			var fwd, bwd float64
			b.ResetTimer()
			for range b.N {
				ex.weightsChanged()
				t0 := processCPU(b)
				l.Forward(y, x, n)
				t1 := processCPU(b)
				l.Backward(dx, dy, n)
				t2 := processCPU(b)
				fwd += t1 - t0
				bwd += t2 - t1
			}
			b.ReportMetric(fwd/float64(b.N), "fwd-cpu-ms/op")
			b.ReportMetric(bwd/float64(b.N), "bwd-cpu-ms/op")
		})
	}
}
