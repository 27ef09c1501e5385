//go:build !noasm

package kernels

import "unsafe"

// sgemmKernelNEON is the 8×12 NEON micro-kernel (gemm_kernel_neon_arm64.s): the
// contract of fullBlock on raw pointers.
//
//go:noescape
func sgemmKernelNEON(k int, ap, bp, c unsafe.Pointer, ldc int, alpha, beta float32)

// packB12NEON copies panels whole 12-column micro-panels of kc ≥ 1 rows of
// src (row stride ldb) into dst (gemm_kernel_neon_arm64.s).
//
//go:noescape
func packB12NEON(dst, src unsafe.Pointer, ldb, kc, panels int)

// packA8NEON writes the first 4·quads steps (quads ≥ 1) of the k×8
// micro-panel of the 8 rows at src (row stride lda) into dst.
//
//go:noescape
func packA8NEON(dst, src unsafe.Pointer, lda, quads int)

var neonKernel = microKernel{name: "neon", mr: 8, nr: 12, kcMax: 192,
	run: withEdges(func(k int, ap, bp, c []float32, ldc int, alpha, beta float32) {
		_ = ap[8*k-1]
		_ = bp[12*k-1]
		_ = c[7*ldc+11]
		sgemmKernelNEON(k, unsafe.Pointer(&ap[0]), unsafe.Pointer(&bp[0]), unsafe.Pointer(&c[0]), ldc, alpha, beta)
	}, 8, 12),
	packA: packANEON, packB: packBNEON}

// packANEON is packAGo for mr = 8: whole untransposed panels of at least 4
// steps go through the NEON transpose, the rest through the Go loops.
func packANEON(dst []float32, transA bool, a []float32, lda, i0, rows, p0, kc, mr int) {
	if transA || rows != 8 || mr != 8 || kc < 4 {
		packAGo(dst, transA, a, lda, i0, rows, p0, kc, mr)
		return
	}
	dst = dst[:kc*8]
	_ = a[(i0+7)*lda+p0+kc-1]
	q := kc / 4
	packA8NEON(unsafe.Pointer(&dst[0]), unsafe.Pointer(&a[i0*lda+p0]), lda, q)
	for r := 0; r < 8; r++ {
		src := a[(i0+r)*lda+p0+4*q : (i0+r)*lda+p0+kc]
		for p, v := range src {
			dst[(4*q+p)*8+r] = v
		}
	}
}

// packBNEON is packBGo for nr = 12: the whole panels of an untransposed B
// are NEON copies, the partial last panel and transposed B the Go loops.
func packBNEON(dst []float32, transB bool, b []float32, ldb, p0, kc, j0, cols, nr int) {
	full := cols / 12
	if transB || nr != 12 || full == 0 || kc == 0 {
		packBGo(dst, transB, b, ldb, p0, kc, j0, cols, nr)
		return
	}
	_ = b[(p0+kc-1)*ldb+j0+12*full-1]
	_ = dst[full*kc*12-1]
	packB12NEON(unsafe.Pointer(&dst[0]), unsafe.Pointer(&b[p0*ldb+j0]), ldb, kc, full)
	if rest := cols - 12*full; rest > 0 {
		packBGo(dst[full*kc*12:], false, b, ldb, p0, kc, j0+12*full, rest, 12)
	}
}

// availableKernels lists the micro-kernels this build runs, best first.
func availableKernels() []*microKernel {
	if hasNEON {
		return []*microKernel{&neonKernel, &goKernel}
	}
	return []*microKernel{&goKernel}
}
