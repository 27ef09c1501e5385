//go:build !noasm

package kernels

import "unsafe"

// packCopy16AVX2 copies kc rows (stride ld) of 16·panels floats into
// 16-wide micro-panels: dst[(q·kc + p)·16 + j] = src[p·ld + 16q + j]
// (pack_avx2_amd64.s).
//
//go:noescape
func packCopy16AVX2(dst, src unsafe.Pointer, ld, kc, panels int)

// packTrans6AVX2 transposes 6 rows (stride ld) into 8·blocks steps of a
// 6-wide micro-panel: dst[(8b + c)·6 + r] = src[r·ld + 8b + c].
//
//go:noescape
func packTrans6AVX2(dst, src unsafe.Pointer, ld, blocks int)

// packAAVX2 is packAGo for the 6-row panels of the AVX2 kernel: full
// untransposed panels through 6×8 register transposes, the last kc%8 steps
// and everything else in Go.
func packAAVX2(dst []float32, transA bool, a []float32, lda, i0, rows, p0, kc, mr int) {
	blocks := kc / 8
	if transA || rows != 6 || mr != 6 || blocks == 0 {
		packAGo(dst, transA, a, lda, i0, rows, p0, kc, mr)
		return
	}
	dst = dst[:kc*6]
	_ = a[(i0+5)*lda+p0+8*blocks-1]
	packTrans6AVX2(unsafe.Pointer(&dst[0]), unsafe.Pointer(&a[i0*lda+p0]), lda, blocks)
	if rest := kc - 8*blocks; rest > 0 {
		packAGo(dst[48*blocks:], false, a, lda, i0, 6, p0+8*blocks, rest, 6)
	}
}

// packBAVX2 is packBGo for the 16-wide panels of the AVX2 kernel: the whole
// panels of an untransposed B by vector copies, the last partial panel and
// transposed B in Go.
func packBAVX2(dst []float32, transB bool, b []float32, ldb, p0, kc, j0, cols, nr int) {
	full := cols / 16
	if transB || nr != 16 || kc == 0 || full == 0 {
		packBGo(dst, transB, b, ldb, p0, kc, j0, cols, nr)
		return
	}
	dst = dst[:(cols+15)/16*kc*16]
	_ = b[(p0+kc-1)*ldb+j0+16*full-1]
	packCopy16AVX2(unsafe.Pointer(&dst[0]), unsafe.Pointer(&b[p0*ldb+j0]), ldb, kc, full)
	if cols > 16*full {
		packBGo(dst[full*kc*16:], false, b, ldb, p0, kc, j0+16*full, cols-16*full, 16)
	}
}
