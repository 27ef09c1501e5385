//go:build !noasm

package kernels

import "unsafe"

// packCopy16AVX2 copies kc rows (stride ld) of 16·panels floats into
// 16-wide micro-panels: dst[(q·kc + p)·16 + j] = src[p·ld + 16q + j]
// (gemm_pack_avx2_amd64.s).
//
//go:noescape
func packCopy16AVX2(dst, src unsafe.Pointer, ld, kc, panels int)

// packTrans6AVX2 transposes 6 rows (stride ld) into 8·blocks steps of a
// 6-wide micro-panel: dst[(8b + c)·6 + r] = src[r·ld + 8b + c].
//
//go:noescape
func packTrans6AVX2(dst, src unsafe.Pointer, ld, blocks int)

// packTransB16AVX2 transposes 16 rows (stride ld) into 8·blocks steps of
// a 16-wide micro-panel: dst[(8b + c)·16 + j] = src[j·ld + 8b + c].
//
//go:noescape
func packTransB16AVX2(dst, src unsafe.Pointer, ld, blocks int)

// packCopy6AVX2 copies 6 floats of each of kc rows (stride ld):
// dst[p·6 + r] = src[p·ld + r].
//
//go:noescape
func packCopy6AVX2(dst, src unsafe.Pointer, ld, kc int)

// packAAVX2 is packAGo for the 6-row panels of the AVX2 kernel: full panels
// by vector copies (transA) or 6×8 register transposes with the last kc%8
// steps in Go; partial panels in Go.
func packAAVX2(dst []float32, transA bool, a []float32, lda, i0, rows, p0, kc, mr int) {
	if rows != 6 || mr != 6 || kc == 0 {
		packAGo(dst, transA, a, lda, i0, rows, p0, kc, mr)
		return
	}
	dst = dst[:kc*6]
	if transA {
		_ = a[(p0+kc-1)*lda+i0+5]
		packCopy6AVX2(unsafe.Pointer(&dst[0]), unsafe.Pointer(&a[p0*lda+i0]), lda, kc)
		return
	}
	blocks := kc / 8
	if blocks == 0 {
		packAGo(dst, transA, a, lda, i0, rows, p0, kc, mr)
		return
	}
	_ = a[(i0+5)*lda+p0+8*blocks-1]
	packTrans6AVX2(unsafe.Pointer(&dst[0]), unsafe.Pointer(&a[i0*lda+p0]), lda, blocks)
	if rest := kc - 8*blocks; rest > 0 {
		packAGo(dst[48*blocks:], false, a, lda, i0, 6, p0+8*blocks, rest, 6)
	}
}

// packBAVX2 is packBGo for the 16-wide panels of the AVX2 kernel: whole
// panels by vector copies or (transB) 8×8 register transposes with the last
// kc%8 steps in Go; the last partial panel in Go.
func packBAVX2(dst []float32, transB bool, b []float32, ldb, p0, kc, j0, cols, nr int) {
	full := cols / 16
	if nr != 16 || kc == 0 || full == 0 {
		packBGo(dst, transB, b, ldb, p0, kc, j0, cols, nr)
		return
	}
	dst = dst[:(cols+15)/16*kc*16]
	if transB {
		blocks := kc / 8
		for q := 0; q < full; q++ {
			d := dst[q*kc*16 : (q+1)*kc*16]
			src := (j0+16*q)*ldb + p0
			_ = b[src+15*ldb+kc-1]
			if blocks > 0 {
				packTransB16AVX2(unsafe.Pointer(&d[0]), unsafe.Pointer(&b[src]), ldb, blocks)
			}
			for p := 8 * blocks; p < kc; p++ {
				row := d[p*16 : p*16+16]
				for j := range row {
					row[j] = b[src+j*ldb+p]
				}
			}
		}
		if cols > 16*full {
			packBGo(dst[full*kc*16:], true, b, ldb, p0, kc, j0+16*full, cols-16*full, 16)
		}
		return
	}
	_ = b[(p0+kc-1)*ldb+j0+16*full-1]
	packCopy16AVX2(unsafe.Pointer(&dst[0]), unsafe.Pointer(&b[p0*ldb+j0]), ldb, kc, full)
	if cols > 16*full {
		packBGo(dst[full*kc*16:], false, b, ldb, p0, kc, j0+16*full, cols-16*full, 16)
	}
}
