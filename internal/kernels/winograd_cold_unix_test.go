//go:build unix

package kernels

import (
	"fmt"
	"testing"

	"golang.org/x/sys/unix"
)

// winoCPUSeconds is the process's user+system CPU time.
func winoCPUSeconds(b *testing.B) float64 {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// BenchmarkWinogradCold runs the four Winograd transforms over a batch of
// tiny's conv2–conv4 shapes whose image tensors (x, dx: 32 MB; y, dy:
// 64 MB) exceed the caches, block by block of tile rows as the layer does
// (a block's V or M, at most 1 MB, stays in cache), with each
// implementation of the loops (avx512, avx2, neon, go); MB/s counts the image
// tensor read (x, dy, dx) or written (y), cpu-ms/op the process CPU time
// per pass (steadier than wall time on a shared machine).
func BenchmarkWinogradCold(b *testing.B) {
	for _, s := range []struct {
		name string
		g    WinogradGeom
	}{
		{"conv2", WinogradGeom{C: 32, K: 64, H: 32, W: 32, M: 4}},
		{"conv3", WinogradGeom{C: 64, K: 128, H: 16, W: 16, M: 4}},
		{"conv4", WinogradGeom{C: 128, K: 256, H: 8, W: 8, M: 2}},
	} {
		g := s.g
		n := (32 << 20) / (4 * g.C * g.H * g.W)
		x, y := make([]float32, n*g.C*g.H*g.W), make([]float32, n*g.K*g.H*g.W)
		for i := range x {
			x[i] = float32(i%7) - 3
		}
		for i := range y {
			y[i] = float32(i%5) - 2
		}
		rows := n * g.TileRows()
		rb := max(1, (1<<18)/(g.Positions()*g.K*g.TileCols()))
		blk := make([]float32, g.Positions()*g.K*rb*g.TileCols())
		run := func(name string, bytes int, f func(r0, r1 int)) {
			for _, impl := range winoImpls() {
				b.Run(fmt.Sprintf("%s/%s/%s", s.name, name, impl.name), func(b *testing.B) {
					saved := wino
					defer func() { wino = saved }()
					wino = impl
					b.SetBytes(int64(4 * bytes))
					cpu := winoCPUSeconds(b)
					for i := 0; i < b.N; i++ {
						for r0 := 0; r0 < rows; r0 += rb {
							f(r0, min(rows, r0+rb))
						}
					}
					b.ReportMetric((winoCPUSeconds(b)-cpu)*1e3/float64(b.N), "cpu-ms/op")
				})
			}
		}
		run("input", len(x), func(r0, r1 int) { WinogradInput(blk, x, g, r0, r1) })
		run("output", len(y), func(r0, r1 int) { WinogradOutput(y, blk, g, r0, r1) })
		run("outputgrad", len(y), func(r0, r1 int) { WinogradOutputGrad(blk, y, g, r0, r1) })
		run("inputgrad", len(x), func(r0, r1 int) { WinogradInputGrad(x, blk, g, r0, r1) })
	}
}
