//go:build !noasm

package kernels

import "unsafe"

// The AVX2+FMA fused pooling loops (pool_avx2_amd64.s, generator
// _asm/pool_avx2.go): contracts as in pool.go on raw
// pointers, OH, OW ≥ 1. The Flat8 loops take a whole plane 8 wide (W = 8,
// OW = 4, H = 2·OH) of n = OH·4 outputs, 8 outputs (two output rows) per
// iteration instead of a 4-output tail per row (poolFlat8).

//go:noescape
func normActPoolFlat8AVX2(out, arg, in unsafe.Pointer, n int, mu, s, t, a float32)

//go:noescape
func normActPoolStatsFlat8AVX2(dy, arg, x unsafe.Pointer, n int, mu, s, t, a float32) (sg, sgd, sda float32)

//go:noescape
func normActPoolBackwardFlat8AVX2(dy, arg, x unsafe.Pointer, n int, mu, s, t, a float32, dx unsafe.Pointer, k, kb, kc float32)

// poolFlat8 reports a plane the Flat8 loops take: 8 wide, every row and
// column under a window.
func poolFlat8(in []float32, W, OW, n int) bool { return W == 8 && OW == 4 && len(in) == 4*n }

//go:noescape
func normActPoolAVX2(out, arg, in unsafe.Pointer, W, OH, OW int, mu, s, t, a float32)

//go:noescape
func normActPoolStatsAVX2(dy, arg, x unsafe.Pointer, W, OH, OW int, mu, s, t, a float32) (sg, sgd, sda float32)

//go:noescape
func normActPoolBackwardAVX2(dy, arg, x unsafe.Pointer, W, OH, OW int, mu, s, t, a float32, dx unsafe.Pointer, k, kb, kc float32)

// poolAVX2 wraps the AVX2 loops; callers pass checked shapes.
var poolAVX2 = poolImpl{
	name: "avx2",
	fwd: func(out []float32, arg []uint8, in []float32, W, OW int, mu, s, t, a float32) {
		var ap unsafe.Pointer
		if arg != nil {
			ap = unsafe.Pointer(&arg[0])
		}
		if poolFlat8(in, W, OW, len(out)) {
			normActPoolFlat8AVX2(unsafe.Pointer(&out[0]), ap, unsafe.Pointer(&in[0]), len(out), mu, s, t, a)
			return
		}
		normActPoolAVX2(unsafe.Pointer(&out[0]), ap, unsafe.Pointer(&in[0]), W, len(out)/OW, OW, mu, s, t, a)
	},
	stats: func(dy []float32, arg []uint8, x []float32, W, OW int, mu, s, t, a float32) (float32, float32, float32) {
		if poolFlat8(x, W, OW, len(dy)) {
			return normActPoolStatsFlat8AVX2(unsafe.Pointer(&dy[0]), unsafe.Pointer(&arg[0]), unsafe.Pointer(&x[0]), len(dy), mu, s, t, a)
		}
		return normActPoolStatsAVX2(unsafe.Pointer(&dy[0]), unsafe.Pointer(&arg[0]), unsafe.Pointer(&x[0]), W, len(dy)/OW, OW, mu, s, t, a)
	},
	back: func(dx, dy []float32, arg []uint8, x []float32, W, OW int, mu, s, t, a, k, kb, kc float32) {
		if poolFlat8(x, W, OW, len(dy)) {
			normActPoolBackwardFlat8AVX2(unsafe.Pointer(&dy[0]), unsafe.Pointer(&arg[0]), unsafe.Pointer(&x[0]), len(dy), mu, s, t, a, unsafe.Pointer(&dx[0]), k, kb, kc)
			return
		}
		OH := len(dy) / OW
		if len(x) != 2*OH*W || W != 2*OW { // rows or columns no window covers
			PlaneNorm(dx, x, mu, kb, kc)
		}
		normActPoolBackwardAVX2(unsafe.Pointer(&dy[0]), unsafe.Pointer(&arg[0]), unsafe.Pointer(&x[0]), W, OH, OW, mu, s, t, a, unsafe.Pointer(&dx[0]), k, kb, kc)
	},
}
