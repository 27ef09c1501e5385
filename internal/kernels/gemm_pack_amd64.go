//go:build !noasm

package kernels

import "unsafe"

// packCopyAVX512 copies kc rows (stride ld) of up to 32 floats, selected by
// the lane masks lo and hi, into dst rows of stride 16 or 32, zero-filled.
//
//go:noescape
func packCopyAVX512(dst, src unsafe.Pointer, ld, kc int, lo, hi, slo, shi uint16, stride int)

// packGatherAVX512 transposes: dst[p·stride + r] = src[r·ld + p] for the
// lanes r in mask rows, zero for the other lanes in mask width, p < kc.
//
//go:noescape
func packGatherAVX512(dst, src unsafe.Pointer, ld, kc int, rows, width uint16, stride int)

// lanes returns the mask of the first n (≤ 16) vector lanes.
func lanes(n int) uint16 { return uint16(1<<max(n, 0) - 1) }

// packAAVX512 is packAGo for mr ≤ 16 with AVX-512 masked copies (transA),
// 8-row register transposes (full 8-row panels) or gathers.
func packAAVX512(dst []float32, transA bool, a []float32, lda, i0, rows, p0, kc, mr int) {
	dst = dst[:kc*mr]
	if kc == 0 {
		return
	}
	if transA {
		_ = a[(p0+kc-1)*lda+i0+rows-1]
		packCopyAVX512(unsafe.Pointer(&dst[0]), unsafe.Pointer(&a[p0*lda+i0]), lda, kc, lanes(rows), 0, lanes(mr), 0, mr)
		return
	}
	if 16*lda >= 1<<31 {
		packAGo(dst, transA, a, lda, i0, rows, p0, kc, mr)
		return
	}
	if rows == 8 && mr == 8 {
		// 8-row register transposes, the last kc%16 steps by hand.
		blocks := kc / 16
		if blocks > 0 {
			_ = a[(i0+7)*lda+p0+16*blocks-1]
			packTrans8AVX512(unsafe.Pointer(&dst[0]), unsafe.Pointer(&a[i0*lda+p0]), lda, blocks)
		}
		if rest := kc - 16*blocks; rest > 0 {
			packAGo(dst[16*blocks*8:], false, a, lda, i0, 8, p0+16*blocks, rest, 8)
		}
		return
	}
	_ = a[(i0+rows-1)*lda+p0+kc-1]
	packGatherAVX512(unsafe.Pointer(&dst[0]), unsafe.Pointer(&a[i0*lda+p0]), lda, kc, lanes(rows), lanes(mr), mr)
}

// packBAVX512 is packBGo for nr = 32 with AVX-512 masked copies or (transB)
// gathers.
func packBAVX512(dst []float32, transB bool, b []float32, ldb, p0, kc, j0, cols, nr int) {
	panels := (cols + nr - 1) / nr
	dst = dst[:panels*kc*nr]
	if kc == 0 {
		return
	}
	if transB && 16*ldb >= 1<<31 {
		packBGo(dst, transB, b, ldb, p0, kc, j0, cols, nr)
		return
	}
	for q := 0; q < panels; q++ {
		w := min(nr, cols-q*nr)
		d := dst[q*kc*nr : (q+1)*kc*nr]
		j := j0 + q*nr
		if !transB {
			_ = b[(p0+kc-1)*ldb+j+w-1]
			packCopyAVX512(unsafe.Pointer(&d[0]), unsafe.Pointer(&b[p0*ldb+j]), ldb, kc, lanes(w), lanes(w-16), 0xffff, 0xffff, nr)
			continue
		}
		src := j*ldb + p0
		_ = b[src+(w-1)*ldb+kc-1]
		if w == 32 {
			// Full panel: 16×16 register transposes, the last kc%16 steps by hand.
			blocks := kc / 16
			if blocks > 0 {
				packTrans16AVX512(unsafe.Pointer(&d[0]), unsafe.Pointer(&b[src]), ldb, blocks, 32)
				packTrans16AVX512(unsafe.Pointer(&d[16]), unsafe.Pointer(&b[src+16*ldb]), ldb, blocks, 32)
			}
			for p := blocks * 16; p < kc; p++ {
				row := d[p*32 : p*32+32]
				for jj := range row {
					row[jj] = b[src+jj*ldb+p]
				}
			}
			continue
		}
		packGatherAVX512(unsafe.Pointer(&d[0]), unsafe.Pointer(&b[src]), ldb, kc, lanes(min(w, 16)), 0xffff, nr)
		hi := src
		if w > 16 {
			hi = src + 16*ldb
		}
		packGatherAVX512(unsafe.Pointer(&d[16]), unsafe.Pointer(&b[hi]), ldb, kc, lanes(w-16), 0xffff, nr)
	}
}

// packTrans16AVX512 transposes 16 rows (row stride ld) into 16·blocks steps
// of a micro-panel with step stride `stride`: dst[(16b+c)·stride + r] =
// src[r·ld + 16b + c] for r < 16.
//
//go:noescape
func packTrans16AVX512(dst, src unsafe.Pointer, ld, blocks, stride int)

// packTrans8AVX512 transposes 8 rows (row stride ld) into 16·blocks steps
// of an 8-wide micro-panel: dst[(16b+c)·8 + r] = src[r·ld + 16b + c].
//
//go:noescape
func packTrans8AVX512(dst, src unsafe.Pointer, ld, blocks int)
