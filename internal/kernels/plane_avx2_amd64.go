//go:build !noasm

package kernels

import "unsafe"

// The AVX2+FMA plane loops (plane_avx2_amd64.s, generator
// _asm/plane_avx2.go): contracts as in plane.go on raw pointers and a
// length n ≥ 1.

//go:noescape
func planeSumAVX2(x unsafe.Pointer, n int) float32

//go:noescape
func planeSqDevAVX2(x unsafe.Pointer, n int, mu float32) float32

//go:noescape
func planeNormAVX2(out, in unsafe.Pointer, n int, mu, scale, shift float32)

//go:noescape
func planeGradStatsAVX2(dy, x unsafe.Pointer, n int, mu float32) (sdy, sdyx float32)

//go:noescape
func planeNormBackwardAVX2(dx, dy, x unsafe.Pointer, n int, mu, k, b, c float32)

//go:noescape
func preluPlaneAVX2(out, in unsafe.Pointer, n int, a float32)

//go:noescape
func preluPlaneBackwardAVX2(dx, dy, x unsafe.Pointer, n int, a float32) float32

//go:noescape
func reluBackwardAVX2(dx, dy, x unsafe.Pointer, n int)

//go:noescape
func planeNormActAVX2(out, in unsafe.Pointer, n int, mu, s, t, a float32)

//go:noescape
func planeNormActGradStatsAVX2(dy, x unsafe.Pointer, n int, mu, s, t, a float32) (sg, sgd, sda float32)

//go:noescape
func planeNormActBackwardAVX2(dx, dy, x unsafe.Pointer, n int, mu, s, t, a, k, kb, kc float32)

// planeAVX2 wraps the AVX-512 loops; callers pass equal non-zero lengths.
var planeAVX2 = planeImpl{
	name: "avx2",
	sum:  func(x []float32) float32 { return planeSumAVX2(unsafe.Pointer(&x[0]), len(x)) },
	sqDev: func(x []float32, mu float32) float32 {
		return planeSqDevAVX2(unsafe.Pointer(&x[0]), len(x), mu)
	},
	norm: func(out, in []float32, mu, scale, shift float32) {
		out = out[:len(in)]
		planeNormAVX2(unsafe.Pointer(&out[0]), unsafe.Pointer(&in[0]), len(in), mu, scale, shift)
	},
	gradStats: func(dy, x []float32, mu float32) (float32, float32) {
		x = x[:len(dy)]
		return planeGradStatsAVX2(unsafe.Pointer(&dy[0]), unsafe.Pointer(&x[0]), len(dy), mu)
	},
	normBackward: func(dx, dy, x []float32, mu, k, b, c float32) {
		dx, x = dx[:len(dy)], x[:len(dy)]
		planeNormBackwardAVX2(unsafe.Pointer(&dx[0]), unsafe.Pointer(&dy[0]), unsafe.Pointer(&x[0]), len(dy), mu, k, b, c)
	},
	prelu: func(out, in []float32, a float32) {
		out = out[:len(in)]
		preluPlaneAVX2(unsafe.Pointer(&out[0]), unsafe.Pointer(&in[0]), len(in), a)
	},
	preluBack: func(dx, dy, x []float32, a float32) float32 {
		dx, x = dx[:len(dy)], x[:len(dy)]
		return preluPlaneBackwardAVX2(unsafe.Pointer(&dx[0]), unsafe.Pointer(&dy[0]), unsafe.Pointer(&x[0]), len(dy), a)
	},
	reluBack: func(dx, dy, x []float32) {
		dx, x = dx[:len(dy)], x[:len(dy)]
		reluBackwardAVX2(unsafe.Pointer(&dx[0]), unsafe.Pointer(&dy[0]), unsafe.Pointer(&x[0]), len(dy))
	},
	normAct: func(out, in []float32, mu, s, t, a float32) {
		out = out[:len(in)]
		planeNormActAVX2(unsafe.Pointer(&out[0]), unsafe.Pointer(&in[0]), len(in), mu, s, t, a)
	},
	normActStats: func(dy, x []float32, mu, s, t, a float32) (float32, float32, float32) {
		x = x[:len(dy)]
		return planeNormActGradStatsAVX2(unsafe.Pointer(&dy[0]), unsafe.Pointer(&x[0]), len(dy), mu, s, t, a)
	},
	normActBack: func(dx, dy, x []float32, mu, s, t, a, k, kb, kc float32) {
		dx, x = dx[:len(dy)], x[:len(dy)]
		planeNormActBackwardAVX2(unsafe.Pointer(&dx[0]), unsafe.Pointer(&dy[0]), unsafe.Pointer(&x[0]), len(dy), mu, s, t, a, k, kb, kc)
	},
}
