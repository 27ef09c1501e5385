//go:build !noasm

package kernels

import "unsafe"

// The AVX-512 vector loops (vec_avx512_amd64.s): contracts as in vec.go on
// raw pointers and a length n ≥ 1.
//
//go:noescape
func axpyAVX512(alpha float32, x, y unsafe.Pointer, n int)

//go:noescape
func scaleAVX512(alpha float32, x unsafe.Pointer, n int)

//go:noescape
func reluAVX512(out, in unsafe.Pointer, n int)

//go:noescape
func dotAVX512(x, y unsafe.Pointer, n int) float32

//go:noescape
func dwRowAVX512(dst, src unsafe.Pointer, n int, w unsafe.Pointer, kw int)

// vecAVX512 wraps the AVX-512 loops; callers pass equal non-zero lengths.
var vecAVX512 = vecImpl{
	name: "avx512",
	axpy: func(alpha float32, x, y []float32) {
		y = y[:len(x)]
		axpyAVX512(alpha, unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0]), len(x))
	},
	scale: func(alpha float32, x []float32) { scaleAVX512(alpha, unsafe.Pointer(&x[0]), len(x)) },
	relu: func(out, in []float32) {
		out = out[:len(in)]
		reluAVX512(unsafe.Pointer(&out[0]), unsafe.Pointer(&in[0]), len(in))
	},
	dot: func(x, y []float32) float32 {
		y = y[:len(x)]
		return dotAVX512(unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0]), len(x))
	},
	rowCorr: func(dst, src, w []float32) {
		_ = src[len(dst)+len(w)-2]
		dwRowAVX512(unsafe.Pointer(&dst[0]), unsafe.Pointer(&src[0]), len(dst), unsafe.Pointer(&w[0]), len(w))
	},
}

// The AVX2+FMA vector loops (vec_avx2_amd64.s), contracts as the AVX-512
// ones.
//
//go:noescape
func axpyAVX2(alpha float32, x, y unsafe.Pointer, n int)

//go:noescape
func scaleAVX2(alpha float32, x unsafe.Pointer, n int)

//go:noescape
func reluAVX2(out, in unsafe.Pointer, n int)

//go:noescape
func dotAVX2(x, y unsafe.Pointer, n int) float32

//go:noescape
func dwRowAVX2(dst, src unsafe.Pointer, n int, w unsafe.Pointer, kw int)

// vecAVX2 wraps the AVX2 loops; callers pass equal non-zero lengths.
var vecAVX2 = vecImpl{
	name: "avx2",
	axpy: func(alpha float32, x, y []float32) {
		y = y[:len(x)]
		axpyAVX2(alpha, unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0]), len(x))
	},
	scale: func(alpha float32, x []float32) { scaleAVX2(alpha, unsafe.Pointer(&x[0]), len(x)) },
	relu: func(out, in []float32) {
		out = out[:len(in)]
		reluAVX2(unsafe.Pointer(&out[0]), unsafe.Pointer(&in[0]), len(in))
	},
	dot: func(x, y []float32) float32 {
		y = y[:len(x)]
		return dotAVX2(unsafe.Pointer(&x[0]), unsafe.Pointer(&y[0]), len(x))
	},
	rowCorr: func(dst, src, w []float32) {
		_ = src[len(dst)+len(w)-2]
		dwRowAVX2(unsafe.Pointer(&dst[0]), unsafe.Pointer(&src[0]), len(dst), unsafe.Pointer(&w[0]), len(w))
	},
}

// vecImpls lists the vector-loop implementations this CPU runs, best first.
func vecImpls() []vecImpl {
	var impls []vecImpl
	if hasAVX512 {
		impls = append(impls, vecAVX512)
	}
	if hasAVX2 {
		impls = append(impls, vecAVX2)
	}
	return append(impls, vecGo)
}
