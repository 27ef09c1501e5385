package main

// AVX2 packers of the 6×16 AVX2+FMA micro-kernel (pack_avx2_amd64.s): no
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
