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

// packAAVX512 is packAGo for mr ≤ 16 with AVX-512 masked copies (transA)
// or gathers.
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
	if rows == 14 && mr == 14 {
		// 16×16 register transposes storing 14 lanes when the two rows
		// below the panel exist to be read, the last kc%16 steps by hand.
		blocks := kc / 16
		if base := i0*lda + p0; blocks > 0 && base+15*lda+16*blocks <= len(a) {
			packTrans16AVX512(unsafe.Pointer(&dst[0]), unsafe.Pointer(&a[base]), lda, blocks, 14, 0x3fff)
			if rest := kc - 16*blocks; rest > 0 {
				packA14(dst[16*blocks*14:], a[base+16*blocks:], lda, rest)
			}
			return
		}
		packA14(dst, a[i0*lda+p0:], lda, kc)
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
				packTrans16AVX512(unsafe.Pointer(&d[0]), unsafe.Pointer(&b[src]), ldb, blocks, 32, 0xffff)
				packTrans16AVX512(unsafe.Pointer(&d[16]), unsafe.Pointer(&b[src+16*ldb]), ldb, blocks, 32, 0xffff)
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
// src[r·ld + 16b + c] for the lanes r set in mask; all 16 rows are read.
//
//go:noescape
func packTrans16AVX512(dst, src unsafe.Pointer, ld, blocks, stride int, mask uint16)

// packA14 is packAGo for 14 full rows of an untransposed A (a starts at the
// panel's first element): fourteen row streams, one contiguous write each
// step. It is faster here than an AVX-512 gather.
func packA14(dst, a []float32, lda, kc int) {
	dst = dst[:kc*14]
	r0, r1, r2, r3 := a[:kc], a[lda:][:kc], a[2*lda:][:kc], a[3*lda:][:kc]
	r4, r5, r6, r7 := a[4*lda:][:kc], a[5*lda:][:kc], a[6*lda:][:kc], a[7*lda:][:kc]
	r8, r9, r10, r11 := a[8*lda:][:kc], a[9*lda:][:kc], a[10*lda:][:kc], a[11*lda:][:kc]
	r12, r13 := a[12*lda:][:kc], a[13*lda:][:kc]
	for p := range kc {
		d := dst[p*14 : p*14+14 : p*14+14]
		d[0], d[1], d[2], d[3] = r0[p], r1[p], r2[p], r3[p]
		d[4], d[5], d[6], d[7] = r4[p], r5[p], r6[p], r7[p]
		d[8], d[9], d[10], d[11] = r8[p], r9[p], r10[p], r11[p]
		d[12], d[13] = r12[p], r13[p]
	}
}
