//go:build !noasm

package kernels

import "unsafe"

// The AVX-512 fused pooling loops (normactpool_avx512_amd64.s): contracts
// as in normactpool.go on raw pointers, OH, OW ≥ 1.

//go:noescape
func normActPoolAVX512(out, arg, in unsafe.Pointer, W, OH, OW int, mu, s, t, a float32)

//go:noescape
func normActPoolStatsAVX512(dy, arg, x unsafe.Pointer, W, OH, OW int, mu, s, t, a float32) (sg, sgd, sda float32)

//go:noescape
func normActPoolBackwardAVX512(dy, arg, x unsafe.Pointer, W, OH, OW int, mu, s, t, a float32, dx unsafe.Pointer, k, kb, kc float32)

// poolAVX512 wraps the AVX-512 loops; callers pass checked shapes.
var poolAVX512 = poolImpl{
	name: "avx512",
	fwd: func(out []float32, arg []uint8, in []float32, W, OW int, mu, s, t, a float32) {
		var ap unsafe.Pointer
		if arg != nil {
			ap = unsafe.Pointer(&arg[0])
		}
		normActPoolAVX512(unsafe.Pointer(&out[0]), ap, unsafe.Pointer(&in[0]), W, len(out)/OW, OW, mu, s, t, a)
	},
	stats: func(dy []float32, arg []uint8, x []float32, W, OW int, mu, s, t, a float32) (float32, float32, float32) {
		return normActPoolStatsAVX512(unsafe.Pointer(&dy[0]), unsafe.Pointer(&arg[0]), unsafe.Pointer(&x[0]), W, len(dy)/OW, OW, mu, s, t, a)
	},
	back: func(dx, dy []float32, arg []uint8, x []float32, W, OW int, mu, s, t, a, k, kb, kc float32) {
		OH := len(dy) / OW
		if len(x) != 2*OH*W || W != 2*OW { // rows or columns no window covers
			PlaneNorm(dx, x, mu, kb, kc)
		}
		normActPoolBackwardAVX512(unsafe.Pointer(&dy[0]), unsafe.Pointer(&arg[0]), unsafe.Pointer(&x[0]), W, OH, OW, mu, s, t, a, unsafe.Pointer(&dx[0]), k, kb, kc)
	},
}

// poolImpls lists the fused pooling implementations this CPU runs, best
// first.
func poolImpls() []poolImpl {
	if hasAVX512 {
		return []poolImpl{poolAVX512, poolGo}
	}
	return []poolImpl{poolGo}
}
