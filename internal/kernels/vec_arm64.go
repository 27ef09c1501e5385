//go:build !noasm

package kernels

import "unsafe"

// The NEON vector loops (vec_neon_arm64.s): contracts as in vec.go on raw
// pointers and a length n, a positive multiple of 4 (the wrappers run the
// last len mod 4 values through the Go loops).

//go:noescape
func axpyNEON(y, x unsafe.Pointer, n int, alpha float32)

//go:noescape
func scaleNEON(x unsafe.Pointer, n int, alpha float32)

//go:noescape
func reluNEON(out, in unsafe.Pointer, n int)

//go:noescape
func dotNEON(x, y unsafe.Pointer, n int) float32

//go:noescape
func dwRowNEON(dst, src, w unsafe.Pointer, n, kw int)

// vecNEON wraps the NEON loops; callers pass equal non-zero lengths.
var vecNEON = vecImpl{
	name: "neon",
	axpy: func(alpha float32, x, y []float32) {
		y = y[:len(x)]
		n := len(x) &^ 3
		if n > 0 {
			axpyNEON(unsafe.Pointer(&y[0]), unsafe.Pointer(&x[0]), n, alpha)
		}
		axpyGo(alpha, x[n:], y[n:])
	},
	scale: func(alpha float32, x []float32) {
		n := len(x) &^ 3
		if n > 0 {
			scaleNEON(unsafe.Pointer(&x[0]), n, alpha)
		}
		scaleGo(alpha, x[n:])
	},
	relu: func(out, in []float32) {
		out = out[:len(in)]
		n := len(in) &^ 3
		if n > 0 {
			reluNEON(unsafe.Pointer(&out[0]), unsafe.Pointer(&in[0]), n)
		}
		reluGo(out[n:], in[n:])
	},
	dot: func(x, y []float32) float32 {
		y = y[:len(x)]
		n := len(x) &^ 3
		var s float32
		if n > 0 {
			s = dotNEON(unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0]), n)
		}
		return s + dotGo(x[n:], y[n:])
	},
	rowCorr: func(dst, src, w []float32) {
		src = src[:len(dst)+len(w)-1]
		n := len(dst) &^ 3
		if n > 0 {
			dwRowNEON(unsafe.Pointer(&dst[0]), unsafe.Pointer(&src[0]), unsafe.Pointer(&w[0]), n, len(w))
		}
		rowCorrGo(dst[n:], src[n:], w)
	},
}

// vecImpls lists the vector-loop implementations this build runs, best
// first.
func vecImpls() []vecImpl {
	if hasNEON {
		return []vecImpl{vecNEON, vecGo}
	}
	return []vecImpl{vecGo}
}
