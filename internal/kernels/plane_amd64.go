//go:build !noasm

package kernels

import "unsafe"

// The AVX-512 plane loops (plane_avx512_amd64.s): contracts as in
// plane.go on raw pointers and a length n ≥ 1.

//go:noescape
func planeSumAVX512(x unsafe.Pointer, n int) float32

//go:noescape
func planeSqDevAVX512(x unsafe.Pointer, n int, mu float32) float32

//go:noescape
func planeNormAVX512(out, in unsafe.Pointer, n int, mu, scale, shift float32)

//go:noescape
func planeGradStatsAVX512(dy, x unsafe.Pointer, n int, mu float32) (sdy, sdyx float32)

//go:noescape
func planeNormBackwardAVX512(dx, dy, x unsafe.Pointer, n int, mu, k, b, c float32)

//go:noescape
func preluPlaneAVX512(out, in unsafe.Pointer, n int, a float32)

//go:noescape
func preluPlaneBackwardAVX512(dx, dy, x unsafe.Pointer, n int, a float32) float32

//go:noescape
func reluBackwardAVX512(dx, dy, x unsafe.Pointer, n int)

//go:noescape
func planeNormActAVX512(out, in unsafe.Pointer, n int, mu, s, t, a float32)

//go:noescape
func planeNormActGradStatsAVX512(dy, x unsafe.Pointer, n int, mu, s, t, a float32) (sg, sgd, sda float32)

//go:noescape
func planeNormActBackwardAVX512(dx, dy, x unsafe.Pointer, n int, mu, s, t, a, k, kb, kc float32)

// planeAVX512 wraps the AVX-512 loops; callers pass equal non-zero lengths.
var planeAVX512 = planeImpl{
	name: "avx512",
	sum:  func(x []float32) float32 { return planeSumAVX512(unsafe.Pointer(&x[0]), len(x)) },
	sqDev: func(x []float32, mu float32) float32 {
		return planeSqDevAVX512(unsafe.Pointer(&x[0]), len(x), mu)
	},
	norm: func(out, in []float32, mu, scale, shift float32) {
		out = out[:len(in)]
		planeNormAVX512(unsafe.Pointer(&out[0]), unsafe.Pointer(&in[0]), len(in), mu, scale, shift)
	},
	gradStats: func(dy, x []float32, mu float32) (float32, float32) {
		x = x[:len(dy)]
		return planeGradStatsAVX512(unsafe.Pointer(&dy[0]), unsafe.Pointer(&x[0]), len(dy), mu)
	},
	normBackward: func(dx, dy, x []float32, mu, k, b, c float32) {
		dx, x = dx[:len(dy)], x[:len(dy)]
		planeNormBackwardAVX512(unsafe.Pointer(&dx[0]), unsafe.Pointer(&dy[0]), unsafe.Pointer(&x[0]), len(dy), mu, k, b, c)
	},
	prelu: func(out, in []float32, a float32) {
		out = out[:len(in)]
		preluPlaneAVX512(unsafe.Pointer(&out[0]), unsafe.Pointer(&in[0]), len(in), a)
	},
	preluBack: func(dx, dy, x []float32, a float32) float32 {
		dx, x = dx[:len(dy)], x[:len(dy)]
		return preluPlaneBackwardAVX512(unsafe.Pointer(&dx[0]), unsafe.Pointer(&dy[0]), unsafe.Pointer(&x[0]), len(dy), a)
	},
	reluBack: func(dx, dy, x []float32) {
		dx, x = dx[:len(dy)], x[:len(dy)]
		reluBackwardAVX512(unsafe.Pointer(&dx[0]), unsafe.Pointer(&dy[0]), unsafe.Pointer(&x[0]), len(dy))
	},
	normAct: func(out, in []float32, mu, s, t, a float32) {
		out = out[:len(in)]
		planeNormActAVX512(unsafe.Pointer(&out[0]), unsafe.Pointer(&in[0]), len(in), mu, s, t, a)
	},
	normActStats: func(dy, x []float32, mu, s, t, a float32) (float32, float32, float32) {
		x = x[:len(dy)]
		return planeNormActGradStatsAVX512(unsafe.Pointer(&dy[0]), unsafe.Pointer(&x[0]), len(dy), mu, s, t, a)
	},
	normActBack: func(dx, dy, x []float32, mu, s, t, a, k, kb, kc float32) {
		dx, x = dx[:len(dy)], x[:len(dy)]
		planeNormActBackwardAVX512(unsafe.Pointer(&dx[0]), unsafe.Pointer(&dy[0]), unsafe.Pointer(&x[0]), len(dy), mu, s, t, a, k, kb, kc)
	},
}

// planeImpls lists the plane-loop implementations this CPU runs, best first.
func planeImpls() []planeImpl {
	var impls []planeImpl
	if hasAVX512 {
		impls = append(impls, planeAVX512)
	}
	if hasAVX2 {
		impls = append(impls, planeAVX2)
	}
	return append(impls, planeGo)
}
