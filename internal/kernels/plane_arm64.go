//go:build !noasm

package kernels

import "unsafe"

// The NEON plane loops (plane_neon_arm64.s): contracts as in plane.go
// on raw pointers and a length n, a positive multiple of 4.

//go:noescape
func planeSumNEON(x unsafe.Pointer, n int) float32

//go:noescape
func planeSqDevNEON(x unsafe.Pointer, n int, mu float32) float32

//go:noescape
func planeNormNEON(out, in unsafe.Pointer, n int, mu, scale, shift float32)

//go:noescape
func planeGradStatsNEON(dy, x unsafe.Pointer, n int, mu float32) (sdy, sdyx float32)

//go:noescape
func planeNormBackwardNEON(dx, dy, x unsafe.Pointer, n int, mu, k, b, c float32)

//go:noescape
func preluPlaneNEON(out, in unsafe.Pointer, n int, a float32)

//go:noescape
func preluPlaneBackwardNEON(dx, dy, x unsafe.Pointer, n int, a float32) float32

//go:noescape
func reluBackwardNEON(dx, dy, x unsafe.Pointer, n int)

//go:noescape
func planeNormActNEON(out, in unsafe.Pointer, n int, mu, s, t, a float32)

//go:noescape
func planeNormActGradStatsNEON(dy, x unsafe.Pointer, n int, mu, s, t, a float32) (sg, sgd, sda float32)

//go:noescape
func planeNormActBackwardNEON(dx, dy, x unsafe.Pointer, n int, mu, s, t, a, k, kb, kc float32)

// planeNEON wraps the NEON loops: the first len &^ 3 values go through the
// assembly, the last len mod 4 through the Go loops (sums added after).
// Callers pass equal non-zero lengths.
var planeNEON = planeImpl{
	name: "neon",
	sum: func(x []float32) float32 {
		n := len(x) &^ 3
		var s float32
		if n > 0 {
			s = planeSumNEON(unsafe.Pointer(&x[0]), n)
		}
		return s + planeSumGo(x[n:])
	},
	sqDev: func(x []float32, mu float32) float32 {
		n := len(x) &^ 3
		var s float32
		if n > 0 {
			s = planeSqDevNEON(unsafe.Pointer(&x[0]), n, mu)
		}
		return s + planeSqDevGo(x[n:], mu)
	},
	norm: func(out, in []float32, mu, scale, shift float32) {
		out = out[:len(in)]
		n := len(in) &^ 3
		if n > 0 {
			planeNormNEON(unsafe.Pointer(&out[0]), unsafe.Pointer(&in[0]), n, mu, scale, shift)
		}
		planeNormGo(out[n:], in[n:], mu, scale, shift)
	},
	gradStats: func(dy, x []float32, mu float32) (float32, float32) {
		x = x[:len(dy)]
		n := len(dy) &^ 3
		var s, sx float32
		if n > 0 {
			s, sx = planeGradStatsNEON(unsafe.Pointer(&dy[0]), unsafe.Pointer(&x[0]), n, mu)
		}
		ts, tsx := planeGradStatsGo(dy[n:], x[n:], mu)
		return s + ts, sx + tsx
	},
	normBackward: func(dx, dy, x []float32, mu, k, b, c float32) {
		dx, x = dx[:len(dy)], x[:len(dy)]
		n := len(dy) &^ 3
		if n > 0 {
			planeNormBackwardNEON(unsafe.Pointer(&dx[0]), unsafe.Pointer(&dy[0]), unsafe.Pointer(&x[0]), n, mu, k, b, c)
		}
		planeNormBackwardGo(dx[n:], dy[n:], x[n:], mu, k, b, c)
	},
	prelu: func(out, in []float32, a float32) {
		out = out[:len(in)]
		n := len(in) &^ 3
		if n > 0 {
			preluPlaneNEON(unsafe.Pointer(&out[0]), unsafe.Pointer(&in[0]), n, a)
		}
		preluPlaneGo(out[n:], in[n:], a)
	},
	preluBack: func(dx, dy, x []float32, a float32) float32 {
		dx, x = dx[:len(dy)], x[:len(dy)]
		n := len(dy) &^ 3
		var s float32
		if n > 0 {
			s = preluPlaneBackwardNEON(unsafe.Pointer(&dx[0]), unsafe.Pointer(&dy[0]), unsafe.Pointer(&x[0]), n, a)
		}
		return s + preluPlaneBackwardGo(dx[n:], dy[n:], x[n:], a)
	},
	reluBack: func(dx, dy, x []float32) {
		dx, x = dx[:len(dy)], x[:len(dy)]
		n := len(dy) &^ 3
		if n > 0 {
			reluBackwardNEON(unsafe.Pointer(&dx[0]), unsafe.Pointer(&dy[0]), unsafe.Pointer(&x[0]), n)
		}
		reluPlaneBackwardGo(dx[n:], dy[n:], x[n:])
	},
	normAct: func(out, in []float32, mu, s, t, a float32) {
		out = out[:len(in)]
		n := len(in) &^ 3
		if n > 0 {
			planeNormActNEON(unsafe.Pointer(&out[0]), unsafe.Pointer(&in[0]), n, mu, s, t, a)
		}
		planeNormActGo(out[n:], in[n:], mu, s, t, a)
	},
	normActStats: func(dy, x []float32, mu, s, t, a float32) (float32, float32, float32) {
		x = x[:len(dy)]
		n := len(dy) &^ 3
		var g, gd, da float32
		if n > 0 {
			g, gd, da = planeNormActGradStatsNEON(unsafe.Pointer(&dy[0]), unsafe.Pointer(&x[0]), n, mu, s, t, a)
		}
		tg, tgd, tda := planeNormActGradStatsGo(dy[n:], x[n:], mu, s, t, a)
		return g + tg, gd + tgd, da + tda
	},
	normActBack: func(dx, dy, x []float32, mu, s, t, a, k, kb, kc float32) {
		dx, x = dx[:len(dy)], x[:len(dy)]
		n := len(dy) &^ 3
		if n > 0 {
			planeNormActBackwardNEON(unsafe.Pointer(&dx[0]), unsafe.Pointer(&dy[0]), unsafe.Pointer(&x[0]), n, mu, s, t, a, k, kb, kc)
		}
		planeNormActBackwardGo(dx[n:], dy[n:], x[n:], mu, s, t, a, k, kb, kc)
	},
}

// planeImpls lists the plane-loop implementations this build runs, best
// first.
func planeImpls() []planeImpl {
	if hasNEON {
		return []planeImpl{planeNEON, planeGo}
	}
	return []planeImpl{planeGo}
}
