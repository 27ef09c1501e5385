package kernels

import (
	"fmt"
	"testing"
)

// BenchmarkNormActPoolCold runs the fused pooling kernels plane by plane
// over a 32 MB input (tiny's first stage at batch 64: more than the
// caches hold, so every pass reads memory) for planes W×W as in tiny's
// four stages, on every implementation of poolImpls(); MB/s counts the
// input read.
func BenchmarkNormActPoolCold(b *testing.B) {
	x := make([]float32, 64*32*64*64)
	for i := range x {
		x[i] = float32(i%7) - 3
	}
	dx, out, dy := make([]float32, len(x)), make([]float32, len(x)/4), make([]float32, len(x)/4)
	for i := range dy {
		dy[i] = float32(i%5) - 2
	}
	arg := make([]uint8, len(x)/4)
	saved := pool2x2
	defer func() { pool2x2 = saved }()
	for _, impl := range poolImpls() {
		pool2x2 = impl
		for _, W := range []int{64, 32, 16, 8} {
			hw, ohw := W*W, W*W/4
			run := func(name string, plane func(p, q int)) {
				b.Run(fmt.Sprintf("%s/%dx%d/%s", impl.name, W, W, name), func(b *testing.B) {
					b.SetBytes(int64(4 * len(x)))
					for i := 0; i < b.N; i++ {
						for p := 0; p < len(x); p += hw {
							plane(p, p/4)
						}
					}
				})
			}
			run("forward", func(p, q int) {
				NormActPool2x2(out[q:q+ohw], arg[q:q+ohw], x[p:p+hw], W, W/2, 1, 2, 3, 0)
			})
			run("gradstats", func(p, q int) {
				NormActPool2x2GradStats(dy[q:q+ohw], arg[q:q+ohw], x[p:p+hw], W, W/2, 1, 2, 3, 0)
			})
			run("backward", func(p, q int) {
				NormActPool2x2Backward(dx[p:p+hw], dy[q:q+ohw], arg[q:q+ohw], x[p:p+hw], W, W/2, 1, 2, 3, 0, 1, 2, 3)
			})
		}
	}
}
