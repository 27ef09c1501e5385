package main

// packers emits the AVX-512 packing loops: a masked copy of up to 32
// consecutive floats per step and a gather of up to 16 strided floats per
// step, both zero-filling the lanes past the data.
func packers(a *asm) {
	a.f("// func packCopyAVX512(dst, src unsafe.Pointer, ld, kc int, lo, hi, slo, shi uint16, stride int)")
	a.f("// For p < kc: the lanes j of src[p·ld:] set in the masks lo (j < 16) and")
	a.f("// hi (16 ≤ j < 32) are loaded, the others are zero, and the lanes set in")
	a.f("// slo and shi are stored to dst[p·stride:]. Prefetches 8 rows ahead.")
	a.f("TEXT ·packCopyAVX512(SB), NOSPLIT, $0-48")
	a.f("\tMOVQ dst+0(FP), DI")
	a.f("\tMOVQ src+8(FP), SI")
	a.f("\tMOVQ ld+16(FP), BX")
	a.f("\tSHLQ $2, BX")
	a.f("\tMOVQ kc+24(FP), DX")
	a.f("\tKMOVW lo+32(FP), K1")
	a.f("\tKMOVW hi+34(FP), K2")
	a.f("\tKMOVW slo+36(FP), K3")
	a.f("\tKMOVW shi+38(FP), K4")
	a.f("\tMOVQ stride+40(FP), R8")
	a.f("\tSHLQ $2, R8")
	a.f("\tMOVQ BX, R11")
	a.f("\tSHLQ $3, R11") // 8 rows ahead
	a.f("\tTESTQ DX, DX")
	a.f("\tJZ cdone")
	a.f("cloop:")
	a.f("\tPREFETCHT0 (SI)(R11*1)")
	a.f("\tVMOVUPS.Z (SI), K1, Z0")
	a.f("\tVMOVUPS.Z 64(SI), K2, Z1")
	a.f("\tVMOVUPS Z0, K3, (DI)")
	a.f("\tVMOVUPS Z1, K4, 64(DI)")
	a.f("\tADDQ BX, SI")
	a.f("\tADDQ R8, DI")
	a.f("\tDECQ DX")
	a.f("\tJNZ cloop")
	a.f("cdone:")
	a.f("\tVZEROUPPER")
	a.f("\tRET")
	a.f("")
	a.f("// func packGatherAVX512(dst, src unsafe.Pointer, ld, kc int, rows, width uint16, stride int)")
	a.f("// For p < kc: dst[p·stride + r] = src[r·ld + p] for the lanes r set in")
	a.f("// the mask rows, 0 for the other lanes set in width (rows·ld < 2³¹).")
	a.f("TEXT ·packGatherAVX512(SB), NOSPLIT, $0-48")
	a.f("\tMOVQ dst+0(FP), DI")
	a.f("\tMOVQ src+8(FP), SI")
	a.f("\tMOVQ ld+16(FP), BX")
	a.f("\tMOVQ kc+24(FP), DX")
	a.f("\tMOVWQZX rows+32(FP), R9")
	a.f("\tKMOVW width+34(FP), K2")
	a.f("\tMOVQ stride+40(FP), R8")
	a.f("\tSHLQ $2, R8")
	a.f("\tVPBROADCASTD BX, Z2")
	a.f("\tVPMULLD ·iota16<>(SB), Z2, Z1")
	a.f("\tTESTQ DX, DX")
	a.f("\tJZ gdone")
	a.f("gloop:")
	a.f("\tKMOVW R9, K1")
	a.f("\tVPXORD Z0, Z0, Z0")
	a.f("\tVGATHERDPS (SI)(Z1*4), K1, Z0")
	a.f("\tVMOVUPS Z0, K2, (DI)")
	a.f("\tADDQ $4, SI")
	a.f("\tADDQ R8, DI")
	a.f("\tDECQ DX")
	a.f("\tJNZ gloop")
	a.f("gdone:")
	a.f("\tVZEROUPPER")
	a.f("\tRET")
	a.f("")
	for i := 0; i < 16; i++ {
		a.f("DATA ·iota16<>+%d(SB)/4, $%d", 4*i, i)
	}
	a.f("GLOBL ·iota16<>(SB), RODATA|NOPTR, $64")
}

// transposePack emits the 16×16 in-register transpose behind the
// transposing packs: 16 rows of a matrix become 16 steps of a micro-panel.
func transposePack(a *asm) {
	a.f("// func packTrans16AVX512(dst, src unsafe.Pointer, ld, blocks, stride int)")
	a.f("// dst[(16b + c)·stride + r] = src[r·ld + 16b + c] for r, c < 16 and b < blocks:")
	a.f("// unpck ps, unpck pd, then two rounds of 128-bit lane shuffles.")
	a.f("TEXT ·packTrans16AVX512(SB), NOSPLIT, $0-40")
	a.f("\tMOVQ dst+0(FP), DI")
	a.f("\tMOVQ src+8(FP), SI")
	a.f("\tMOVQ ld+16(FP), R8")
	a.f("\tSHLQ $2, R8")
	a.f("\tMOVQ blocks+24(FP), CX")
	a.f("\tMOVQ stride+32(FP), R13")
	a.f("\tSHLQ $2, R13")
	a.f("\tLEAQ (R8)(R8*2), R9")
	a.f("\tLEAQ (SI)(R8*4), R10")
	a.f("\tLEAQ (R10)(R8*4), R11")
	a.f("\tLEAQ (R11)(R8*4), R12")
	a.f("\tTESTQ CX, CX")
	a.f("\tJZ tdone")
	a.f("tloop:")
	bases := []string{"SI", "R10", "R11", "R12"}
	for r := 0; r < 16; r++ {
		base := bases[r/4]
		idx := []string{"", "(R8*1)", "(R8*2)", "(R9*1)"}[r%4]
		a.f("\tPREFETCHT0 256(%s)%s", base, idx)
		a.f("\tVMOVUPS (%s)%s, Z%d", base, idx, r)
	}
	// t[2i] = unpcklps(r[2i], r[2i+1]), t[2i+1] = unpckhps(...), in Z16..Z31.
	for i := 0; i < 8; i++ {
		a.f("\tVUNPCKLPS Z%d, Z%d, Z%d", 2*i+1, 2*i, 16+2*i)
		a.f("\tVUNPCKHPS Z%d, Z%d, Z%d", 2*i+1, 2*i, 16+2*i+1)
	}
	// u[4g..4g+3] from t[4g..4g+3], in Z0..Z15: column j of rows 4g..4g+3
	// sits in u[4g + j%4], 128-bit lane j/4.
	for g := 0; g < 4; g++ {
		t := 16 + 4*g
		a.f("\tVUNPCKLPD Z%d, Z%d, Z%d", t+2, t, 4*g)
		a.f("\tVUNPCKHPD Z%d, Z%d, Z%d", t+2, t, 4*g+1)
		a.f("\tVUNPCKLPD Z%d, Z%d, Z%d", t+3, t+1, 4*g+2)
		a.f("\tVUNPCKHPD Z%d, Z%d, Z%d", t+3, t+1, 4*g+3)
	}
	// Columns c, c+4, c+8, c+12 land in the registers of the same number.
	for c := 0; c < 4; c++ {
		a.f("\tVSHUFF32X4 $0x44, Z%d, Z%d, Z16", 4+c, c)
		a.f("\tVSHUFF32X4 $0xEE, Z%d, Z%d, Z17", 4+c, c)
		a.f("\tVSHUFF32X4 $0x44, Z%d, Z%d, Z18", 12+c, 8+c)
		a.f("\tVSHUFF32X4 $0xEE, Z%d, Z%d, Z19", 12+c, 8+c)
		a.f("\tVSHUFF32X4 $0x88, Z18, Z16, Z%d", c)
		a.f("\tVSHUFF32X4 $0xDD, Z18, Z16, Z%d", 4+c)
		a.f("\tVSHUFF32X4 $0x88, Z19, Z17, Z%d", 8+c)
		a.f("\tVSHUFF32X4 $0xDD, Z19, Z17, Z%d", 12+c)
	}
	for c := 0; c < 16; c++ {
		a.f("\tVMOVUPS Z%d, (DI)", c)
		a.f("\tADDQ R13, DI")
	}
	for _, b := range bases {
		a.f("\tADDQ $64, %s", b)
	}
	a.f("\tDECQ CX")
	a.f("\tJNZ tloop")
	a.f("tdone:")
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}

// transposePack8 emits the 8-row transpose behind the untransposed A pack of
// the 8×32 kernel: 8 rows of A become 16 steps of an 8-wide micro-panel per
// block, reading only those 8 rows.
func transposePack8(a *asm) {
	a.f("// func packTrans8AVX512(dst, src unsafe.Pointer, ld, blocks int)")
	a.f("// dst[(16b + c)·8 + r] = src[r·ld + 16b + c] for r < 8, c < 16, b < blocks:")
	a.f("// unpck ps, unpck pd, then 128-bit lane shuffles pairing the two row")
	a.f("// quads of each column, stored as 256-bit halves.")
	a.f("TEXT ·packTrans8AVX512(SB), NOSPLIT, $0-32")
	a.f("\tMOVQ dst+0(FP), DI")
	a.f("\tMOVQ src+8(FP), SI")
	a.f("\tMOVQ ld+16(FP), R8")
	a.f("\tSHLQ $2, R8")
	a.f("\tMOVQ blocks+24(FP), CX")
	a.f("\tLEAQ (R8)(R8*2), R9")
	a.f("\tLEAQ (SI)(R8*4), R10")
	a.f("\tTESTQ CX, CX")
	a.f("\tJZ t8done")
	a.f("t8loop:")
	for r := 0; r < 8; r++ {
		base := []string{"SI", "R10"}[r/4]
		idx := []string{"", "(R8*1)", "(R8*2)", "(R9*1)"}[r%4]
		a.f("\tPREFETCHT0 256(%s)%s", base, idx)
		a.f("\tVMOVUPS (%s)%s, Z%d", base, idx, r)
	}
	// t[2i] = unpcklps(r[2i], r[2i+1]), t[2i+1] = unpckhps(...), in Z8..Z15.
	for i := 0; i < 4; i++ {
		a.f("\tVUNPCKLPS Z%d, Z%d, Z%d", 2*i+1, 2*i, 8+2*i)
		a.f("\tVUNPCKHPS Z%d, Z%d, Z%d", 2*i+1, 2*i, 8+2*i+1)
	}
	// u[4g + j%4] (Z0..Z7) holds column j of rows 4g..4g+3 in 128-bit lane j/4.
	for g := 0; g < 2; g++ {
		t := 8 + 4*g
		a.f("\tVUNPCKLPD Z%d, Z%d, Z%d", t+2, t, 4*g)
		a.f("\tVUNPCKHPD Z%d, Z%d, Z%d", t+2, t, 4*g+1)
		a.f("\tVUNPCKLPD Z%d, Z%d, Z%d", t+3, t+1, 4*g+2)
		a.f("\tVUNPCKHPD Z%d, Z%d, Z%d", t+3, t+1, 4*g+3)
	}
	// Z8+q: columns q (low half) and q+4 (high half); Z12+q: q+8 and q+12.
	for q := 0; q < 4; q++ {
		a.f("\tVSHUFF32X4 $0x44, Z%d, Z%d, Z16", 4+q, q)
		a.f("\tVSHUFF32X4 $0xEE, Z%d, Z%d, Z17", 4+q, q)
		a.f("\tVSHUFF32X4 $0xD8, Z16, Z16, Z%d", 8+q)
		a.f("\tVSHUFF32X4 $0xD8, Z17, Z17, Z%d", 12+q)
	}
	for c := 0; c < 16; c++ {
		z := 8 + c%4 + 4*(c/8)
		if c/4%2 == 0 {
			a.f("\tVMOVUPS Y%d, %d(DI)", z, 32*c)
		} else {
			a.f("\tVEXTRACTF32X8 $1, Z%d, %d(DI)", z, 32*c)
		}
	}
	a.f("\tADDQ $512, DI")
	a.f("\tADDQ $64, SI")
	a.f("\tADDQ $64, R10")
	a.f("\tDECQ CX")
	a.f("\tJNZ t8loop")
	a.f("t8done:")
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}
