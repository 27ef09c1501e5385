package main

import "fmt"

// AVX2 packers of the 6×16 AVX2+FMA micro-kernel (gemm_pack_avx2_amd64.s): no
// lane masks, so they handle whole panels and leave the edges to Go.

// packCopy16AVX2 emits the untransposed B pack: rows of 16·panels floats
// into 16-wide micro-panels, each row read left to right once, the row 8
// ahead prefetched (a convolution-shaped B has a row stride the hardware
// prefetcher does not follow).
func packCopy16AVX2(a *asm) {
	a.f("// func packCopy16AVX2(dst, src unsafe.Pointer, ld, kc, panels int)")
	a.f("// dst[(q·kc + p)·16 + j] = src[p·ld + 16q + j] for p < kc, q < panels, j < 16.")
	a.f("TEXT ·packCopy16AVX2(SB), NOSPLIT, $0-40")
	a.f("\tMOVQ dst+0(FP), DI")
	a.f("\tMOVQ src+8(FP), SI")
	a.f("\tMOVQ ld+16(FP), DX")
	a.f("\tSHLQ $2, DX")
	a.f("\tMOVQ kc+24(FP), CX")
	a.f("\tMOVQ panels+32(FP), R8")
	a.f("\tMOVQ CX, R9")
	a.f("\tSHLQ $6, R9") // bytes between panels
	a.f("\tMOVQ DX, R12")
	a.f("\tSHLQ $3, R12") // 8 rows ahead
	a.f("\tTESTQ CX, CX")
	a.f("\tJZ cdone")
	a.f("\tTESTQ R8, R8")
	a.f("\tJZ cdone")
	a.f("crow:")
	a.f("\tMOVQ SI, R10")
	a.f("\tMOVQ DI, R11")
	a.f("\tMOVQ R8, BX")
	a.f("ccol:")
	a.f("\tPREFETCHT0 (R10)(R12*1)")
	a.f("\tVMOVUPS (R10), Y0")
	a.f("\tVMOVUPS 32(R10), Y1")
	a.f("\tVMOVUPS Y0, (R11)")
	a.f("\tVMOVUPS Y1, 32(R11)")
	a.f("\tADDQ $64, R10")
	a.f("\tADDQ R9, R11")
	a.f("\tDECQ BX")
	a.f("\tJNZ ccol")
	a.f("\tADDQ DX, SI")
	a.f("\tADDQ $64, DI")
	a.f("\tDECQ CX")
	a.f("\tJNZ crow")
	a.f("cdone:")
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}

// packTrans6AVX2 emits the untransposed A pack of the 6-row panel: 8 steps
// of 6 rows per block through an 8×8 register transpose (rows 6 and 7 are
// don't-care lanes), each step stored as 8 floats whose last two the next
// step's store overwrites; the block's last step stores only its 6.
func packTrans6AVX2(a *asm) {
	a.f("// func packTrans6AVX2(dst, src unsafe.Pointer, ld, blocks int)")
	a.f("// dst[(8b + c)·6 + r] = src[r·ld + 8b + c] for r < 6, c < 8, b < blocks.")
	a.f("TEXT ·packTrans6AVX2(SB), NOSPLIT, $0-32")
	a.f("\tMOVQ dst+0(FP), DI")
	a.f("\tMOVQ src+8(FP), SI")
	a.f("\tMOVQ ld+16(FP), DX")
	a.f("\tSHLQ $2, DX")
	a.f("\tMOVQ blocks+24(FP), CX")
	a.f("\tLEAQ (SI)(DX*2), R8")
	a.f("\tLEAQ (R8)(DX*2), R9")
	a.f("\tTESTQ CX, CX")
	a.f("\tJZ tdone")
	a.f("tloop:")
	rows := []string{"(SI)", "(SI)(DX*1)", "(R8)", "(R8)(DX*1)", "(R9)", "(R9)(DX*1)"}
	for r, m := range rows {
		a.f("\tPREFETCHT0 256%s", m)
		a.f("\tVMOVUPS %s, Y%d", m, r)
	}
	// t[2i] = unpcklps(r[2i], r[2i+1]), t[2i+1] = unpckhps(...) in Y6..Y11:
	// per 128-bit lane, columns (0,1) and (2,3) of the row pair.
	for i := 0; i < 3; i++ {
		a.f("\tVUNPCKLPS Y%d, Y%d, Y%d", 2*i+1, 2*i, 6+2*i)
		a.f("\tVUNPCKHPS Y%d, Y%d, Y%d", 2*i+1, 2*i, 6+2*i+1)
	}
	// s[c] for c < 4 holds column c (lane 0) and c+4 (lane 1) of rows 0–3
	// (Y0..Y3), and of rows 4, 5 twice (Y12..Y15).
	for c := 0; c < 4; c++ {
		imm := []string{"$0x44", "$0xEE"}[c%2]
		lo, hi := 6+c/2, 8+c/2
		a.f("\tVSHUFPS %s, Y%d, Y%d, Y%d", imm, hi, lo, c)
		a.f("\tVSHUFPS %s, Y%d, Y%d, Y%d", imm, 10+c/2, 10+c/2, 12+c)
	}
	// Column c = rows 0–3 from s[c%4] and rows 4, 5 from the row-4/5 register,
	// taken from lane c/4.
	for c := 0; c < 8; c++ {
		imm := []string{"$0x20", "$0x31"}[c/4]
		a.f("\tVPERM2F128 %s, Y%d, Y%d, Y%d", imm, 12+c%4, c%4, 4+c%2)
		if c < 7 {
			a.f("\tVMOVUPS Y%d, %d(DI)", 4+c%2, 24*c)
			continue
		}
		a.f("\tVMOVUPS X%d, %d(DI)", 4+c%2, 24*c)
		a.f("\tVEXTRACTF128 $1, Y%d, X%d", 4+c%2, 4+c%2)
		a.f("\tVMOVLPS X%d, %d(DI)", 4+c%2, 24*c+16)
	}
	a.f("\tADDQ $32, SI")
	a.f("\tADDQ $32, R8")
	a.f("\tADDQ $32, R9")
	a.f("\tADDQ $192, DI")
	a.f("\tDECQ CX")
	a.f("\tJNZ tloop")
	a.f("tdone:")
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}

// transpose8x8 emits the 8×8 transpose of Y0..Y7 (rows) into Y8..Y15
// (column c in Y8+c), using Y0..Y15 and nothing else.
func transpose8x8(a *asm) {
	// t[2i], t[2i+1] (Y8..Y15): per 128-bit lane, columns (0,1) and (2,3)
	// of rows 2i and 2i+1 interleaved.
	for i := 0; i < 4; i++ {
		a.f("\tVUNPCKLPS Y%d, Y%d, Y%d", 2*i+1, 2*i, 8+2*i)
		a.f("\tVUNPCKHPS Y%d, Y%d, Y%d", 2*i+1, 2*i, 9+2*i)
	}
	// s[c] (Y0..Y3): column c (lane 0) and c+4 (lane 1) of rows 0–3;
	// s[4+c] (Y4..Y7) the same of rows 4–7.
	for g := 0; g < 2; g++ {
		t := 8 + 4*g
		a.f("\tVSHUFPS $0x44, Y%d, Y%d, Y%d", t+2, t, 4*g)
		a.f("\tVSHUFPS $0xEE, Y%d, Y%d, Y%d", t+2, t, 4*g+1)
		a.f("\tVSHUFPS $0x44, Y%d, Y%d, Y%d", t+3, t+1, 4*g+2)
		a.f("\tVSHUFPS $0xEE, Y%d, Y%d, Y%d", t+3, t+1, 4*g+3)
	}
	for c := 0; c < 4; c++ {
		a.f("\tVPERM2F128 $0x20, Y%d, Y%d, Y%d", 4+c, c, 8+c)
		a.f("\tVPERM2F128 $0x31, Y%d, Y%d, Y%d", 4+c, c, 12+c)
	}
}

// packTransB16AVX2 emits the transposed B pack of a full 16-wide panel:
// the panel's 16 columns are 16 rows of the stored matrix, transposed 8
// rows × 8 steps at a time.
func packTransB16AVX2(a *asm) {
	a.f("// func packTransB16AVX2(dst, src unsafe.Pointer, ld, blocks int)")
	a.f("// dst[(8b + c)·16 + j] = src[j·ld + 8b + c] for j < 16, c < 8, b < blocks.")
	a.f("TEXT ·packTransB16AVX2(SB), NOSPLIT, $0-32")
	a.f("\tMOVQ dst+0(FP), DI")
	a.f("\tMOVQ src+8(FP), SI")
	a.f("\tMOVQ ld+16(FP), DX")
	a.f("\tSHLQ $2, DX")
	a.f("\tMOVQ blocks+24(FP), CX")
	a.f("\tLEAQ (DX)(DX*2), R9")
	a.f("\tLEAQ (SI)(DX*4), R10")
	a.f("\tLEAQ (R10)(DX*4), R11")
	a.f("\tLEAQ (R11)(DX*4), R12")
	a.f("\tTESTQ CX, CX")
	a.f("\tJZ bdone")
	a.f("bloop:")
	bases := []string{"SI", "R10", "R11", "R12"}
	for h := 0; h < 2; h++ {
		for r := 0; r < 8; r++ {
			j := 8*h + r
			m := fmt.Sprintf("(%s)%s", bases[j/4], []string{"", "(DX*1)", "(DX*2)", "(R9*1)"}[j%4])
			a.f("\tPREFETCHT0 256%s", m)
			a.f("\tVMOVUPS %s, Y%d", m, r)
		}
		transpose8x8(a)
		for c := 0; c < 8; c++ {
			a.f("\tVMOVUPS Y%d, %d(DI)", 8+c, 64*c+32*h)
		}
	}
	for _, b := range bases {
		a.f("\tADDQ $32, %s", b)
	}
	a.f("\tADDQ $512, DI")
	a.f("\tDECQ CX")
	a.f("\tJNZ bloop")
	a.f("bdone:")
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}

// packCopy6AVX2 emits the transposed A pack of a full 6-row panel: each step
// is 6 consecutive floats of a row of the stored matrix.
func packCopy6AVX2(a *asm) {
	a.f("// func packCopy6AVX2(dst, src unsafe.Pointer, ld, kc int)")
	a.f("// dst[p·6 + r] = src[p·ld + r] for r < 6, p < kc.")
	a.f("TEXT ·packCopy6AVX2(SB), NOSPLIT, $0-32")
	a.f("\tMOVQ dst+0(FP), DI")
	a.f("\tMOVQ src+8(FP), SI")
	a.f("\tMOVQ ld+16(FP), DX")
	a.f("\tSHLQ $2, DX")
	a.f("\tMOVQ kc+24(FP), CX")
	a.f("\tMOVQ DX, R12")
	a.f("\tSHLQ $3, R12") // 8 rows ahead
	a.f("\tTESTQ CX, CX")
	a.f("\tJZ edone")
	a.f("eloop:")
	a.f("\tPREFETCHT0 (SI)(R12*1)")
	a.f("\tVMOVUPS (SI), X0")
	a.f("\tVMOVQ 16(SI), X1")
	a.f("\tVMOVUPS X0, (DI)")
	a.f("\tVMOVQ X1, 16(DI)")
	a.f("\tADDQ DX, SI")
	a.f("\tADDQ $24, DI")
	a.f("\tDECQ CX")
	a.f("\tJNZ eloop")
	a.f("edone:")
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}
