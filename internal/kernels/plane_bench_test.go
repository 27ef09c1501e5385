package kernels

import (
	"fmt"
	"testing"
)

// BenchmarkChanOpsCold runs the per-plane loops of plane.go plane by
// plane over a 64 MB input (more than the caches hold, so every pass
// reads memory) for planes of MobileFaceNet's four stages (56×56 … 7×7);
// MB/s counts the input x read (the loops with a second input or an
// output stream move two or three times that).
func BenchmarkChanOpsCold(b *testing.B) { benchChanOps(b, 16<<20) }

// BenchmarkChanOpsHot is BenchmarkChanOpsCold over a 192 KB input (its
// three streams fit in the 1 MB L2 cache): the speed of the loops when
// their data is in cache. Both run every implementation of
// planeImpls().
func BenchmarkChanOpsHot(b *testing.B) { benchChanOps(b, 48<<10) }

// benchChanOps runs the plane loops over inputs x and dy of n floats each.
func benchChanOps(b *testing.B, n int) {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(i%7) - 3
	}
	dy, out := make([]float32, len(x)), make([]float32, len(x))
	for i := range dy {
		dy[i] = float32(i%5) - 2
	}
	var sink float32
	saved := plane
	defer func() { plane = saved }()
	for _, impl := range planeImpls() {
		plane = impl
		benchChanOpsPlanes(b, impl.name, x, dy, out, &sink)
	}
	if sink == 1 {
		b.Log(sink)
	}
}

// benchChanOpsPlanes runs the plane loops of the current implementation
// (named impl) for each plane size.
func benchChanOpsPlanes(b *testing.B, impl string, x, dy, out []float32, sink *float32) {
	for _, W := range []int{56, 28, 14, 7} {
		hw := W * W
		run := func(name string, plane func(p int)) {
			b.Run(fmt.Sprintf("%s/%dx%d/%s", impl, W, W, name), func(b *testing.B) {
				b.SetBytes(int64(4 * (len(x) / hw * hw)))
				for i := 0; i < b.N; i++ {
					for p := 0; p+hw <= len(x); p += hw {
						plane(p)
					}
				}
			})
		}
		run("sum", func(p int) { *sink += PlaneSum(x[p : p+hw]) })
		run("sqdev", func(p int) { *sink += PlaneSqDev(x[p:p+hw], 1) })
		run("norm", func(p int) { PlaneNorm(out[p:p+hw], x[p:p+hw], 1, 2, 3) })
		run("gradstats", func(p int) {
			s, t := PlaneGradStats(dy[p:p+hw], x[p:p+hw], 1)
			*sink += s + t
		})
		run("normbackward", func(p int) { PlaneNormBackward(out[p:p+hw], dy[p:p+hw], x[p:p+hw], 1, 2, 3, 4) })
		run("normact", func(p int) { PlaneNormAct(out[p:p+hw], x[p:p+hw], 1, 2, 3, 0.25) })
		run("normactgradstats", func(p int) {
			s, t, u := PlaneNormActGradStats(dy[p:p+hw], x[p:p+hw], 1, 2, 3, 0.25)
			*sink += s + t + u
		})
		run("normactbackward", func(p int) {
			PlaneNormActBackward(out[p:p+hw], dy[p:p+hw], x[p:p+hw], 1, 2, 3, 0.25, 4, 5, 6)
		})
	}
}
