package main

import "fmt"

// ymmTailTable emits the table the AVX2 loops take their tail masks from:
// eight all-ones lanes then eight zero lanes, so that the 8 lanes read
// from byte 4·(8−n) on are the mask of the first n lanes (0 ≤ n ≤ 8).
func ymmTailTable(a *asm, name string) {
	for i := 0; i < 16; i++ {
		v := "0xffffffff"
		if i >= 8 {
			v = "0"
		}
		a.f("DATA ·%s<>+%d(SB)/4, $%s", name, 4*i, v)
	}
	a.f("GLOBL ·%s<>(SB), RODATA|NOPTR, $64", name)
}

// ymmTailMask loads into y the mask of the first cnt lanes (a register
// holding 0 … 8; it is clobbered), from the table name. Clobbers AX.
func ymmTailMask(a *asm, name, cnt, y string) {
	a.f("\tLEAQ ·%s<>(SB), AX", name)
	a.f("\tNEGQ %s", cnt)
	a.f("\tVMOVUPS 32(AX)(%s*4), %s", cnt, y)
}

// vecLoopY emits the body of a streaming AVX2 loop over CX floats: body(off,
// mask) handles one vector of 8 at byte offset off (mask "" or the register
// Y15 holding the lanes left), four vectors per iteration, then vectors of
// 8, then a masked tail (VMASKMOVPS). The pointers in ptrs advance by the
// bytes consumed.
func vecLoopY(a *asm, ptrs []string, body func(off int, mask string)) {
	adv := func(n int) {
		for _, p := range ptrs {
			a.f("\tADDQ $%d, %s", n, p)
		}
	}
	a.f("\tCMPQ CX, $32")
	a.f("\tJLT v8")
	a.f("v32:")
	for u := 0; u < 4; u++ {
		body(32*u, "")
	}
	adv(128)
	a.f("\tSUBQ $32, CX")
	a.f("\tCMPQ CX, $32")
	a.f("\tJGE v32")
	a.f("v8:")
	a.f("\tCMPQ CX, $8")
	a.f("\tJLT vtail")
	body(0, "")
	adv(32)
	a.f("\tSUBQ $8, CX")
	a.f("\tJMP v8")
	a.f("vtail:")
	a.f("\tTESTQ CX, CX")
	a.f("\tJZ vdone")
	ymmTailMask(a, "vecTailY", "CX", "Y15")
	body(0, "Y15")
	a.f("vdone:")
}

// loadY emits a vector load, masked (zeros off the mask) when mask is set.
func loadY(a *asm, mem, mask, y string) {
	if mask == "" {
		a.f("\tVMOVUPS %s, %s", mem, y)
	} else {
		a.f("\tVMASKMOVPS %s, %s, %s", mem, mask, y)
	}
}

// storeY emits a vector store, masked when mask is set.
func storeY(a *asm, y, mask, mem string) {
	if mask == "" {
		a.f("\tVMOVUPS %s, %s", y, mem)
	} else {
		a.f("\tVMASKMOVPS %s, %s, %s", y, mask, mem)
	}
}

// vectorOpsAVX2 emits the AVX2+FMA vector loops of vec.go, on the design
// of the AVX-512 ones (vectorOps) with 8-float vectors and tails masked by
// VMASKMOVPS.
func vectorOpsAVX2(a *asm) {
	a.f("// func axpyAVX2(alpha float32, x, y unsafe.Pointer, n int)")
	a.f("// y[i] += alpha·x[i] for i < n.")
	a.f("TEXT ·axpyAVX2(SB), NOSPLIT, $0-32")
	a.f("\tVBROADCASTSS alpha+0(FP), Y0")
	a.f("\tMOVQ x+8(FP), SI")
	a.f("\tMOVQ y+16(FP), DI")
	a.f("\tMOVQ n+24(FP), CX")
	vecLoopY(a, []string{"SI", "DI"}, func(off int, mask string) {
		x, y := fmt.Sprintf("Y%d", 1+off/32), fmt.Sprintf("Y%d", 5+off/32)
		loadY(a, fmt.Sprintf("%d(SI)", off), mask, x)
		loadY(a, fmt.Sprintf("%d(DI)", off), mask, y)
		a.f("\tVFMADD231PS %s, Y0, %s", x, y)
		storeY(a, y, mask, fmt.Sprintf("%d(DI)", off))
	})
	a.f("\tVZEROUPPER")
	a.f("\tRET")
	a.f("")
	a.f("// func scaleAVX2(alpha float32, x unsafe.Pointer, n int)")
	a.f("// x[i] *= alpha for i < n.")
	a.f("TEXT ·scaleAVX2(SB), NOSPLIT, $0-24")
	a.f("\tVBROADCASTSS alpha+0(FP), Y0")
	a.f("\tMOVQ x+8(FP), SI")
	a.f("\tMOVQ n+16(FP), CX")
	vecLoopY(a, []string{"SI"}, func(off int, mask string) {
		x := fmt.Sprintf("Y%d", 1+off/32)
		loadY(a, fmt.Sprintf("%d(SI)", off), mask, x)
		a.f("\tVMULPS Y0, %s, %[1]s", x)
		storeY(a, x, mask, fmt.Sprintf("%d(SI)", off))
	})
	a.f("\tVZEROUPPER")
	a.f("\tRET")
	a.f("")
	a.f("// func reluAVX2(out, in unsafe.Pointer, n int)")
	a.f("// out[i] = max(in[i], 0) for i < n (NaN propagates).")
	a.f("TEXT ·reluAVX2(SB), NOSPLIT, $0-24")
	a.f("\tVXORPS Y0, Y0, Y0")
	a.f("\tMOVQ out+0(FP), DI")
	a.f("\tMOVQ in+8(FP), SI")
	a.f("\tMOVQ n+16(FP), CX")
	vecLoopY(a, []string{"SI", "DI"}, func(off int, mask string) {
		x := fmt.Sprintf("Y%d", 1+off/32)
		loadY(a, fmt.Sprintf("%d(SI)", off), mask, x)
		a.f("\tVMAXPS %s, Y0, %[1]s", x) // (0 > x) ? 0 : x
		storeY(a, x, mask, fmt.Sprintf("%d(DI)", off))
	})
	a.f("\tVZEROUPPER")
	a.f("\tRET")
	a.f("")
	a.f("// func dotAVX2(x, y unsafe.Pointer, n int) float32")
	a.f("// Σ x[i]·y[i] for i < n, in four float32 vector accumulators.")
	a.f("TEXT ·dotAVX2(SB), NOSPLIT, $0-28")
	a.f("\tMOVQ x+0(FP), SI")
	a.f("\tMOVQ y+8(FP), DI")
	a.f("\tMOVQ n+16(FP), CX")
	for i := 0; i < 4; i++ {
		a.f("\tVXORPS Y%d, Y%[1]d, Y%[1]d", i)
	}
	vecLoopY(a, []string{"SI", "DI"}, func(off int, mask string) {
		x := fmt.Sprintf("Y%d", 4+off/32)
		loadY(a, fmt.Sprintf("%d(SI)", off), mask, x)
		if mask == "" {
			a.f("\tVFMADD231PS %d(DI), %s, Y%d", off, x, off/32)
		} else {
			a.f("\tVMASKMOVPS %d(DI), %s, Y8", off, mask)
			a.f("\tVFMADD231PS Y8, %s, Y%d", x, off/32)
		}
	})
	a.f("\tVADDPS Y1, Y0, Y0")
	a.f("\tVADDPS Y3, Y2, Y2")
	a.f("\tVADDPS Y2, Y0, Y0")
	a.f("\tVEXTRACTF128 $1, Y0, X1")
	a.f("\tVADDPS X1, X0, X0")
	a.f("\tVHADDPS X0, X0, X0")
	a.f("\tVHADDPS X0, X0, X0")
	a.f("\tVMOVSS X0, ret+24(FP)")
	a.f("\tVZEROUPPER")
	a.f("\tRET")
	a.f("")
	dwRowAVX2(a)
	a.f("")
	ymmTailTable(a, "vecTailY")
}

// dwRowAVX2 emits the row kernel of the depthwise convolution: a 1-D
// correlation added into dst, four vectors (four FMA chains) at a time,
// then single vectors, the last one masked.
func dwRowAVX2(a *asm) {
	a.f("// func dwRowAVX2(dst, src unsafe.Pointer, n int, w unsafe.Pointer, kw int)")
	a.f("// dst[x] += Σ_{j<kw} w[j]·src[x+j] for x < n (kw ≥ 1).")
	a.f("TEXT ·dwRowAVX2(SB), NOSPLIT, $0-40")
	a.f("\tMOVQ dst+0(FP), DI")
	a.f("\tMOVQ src+8(FP), SI")
	a.f("\tMOVQ n+16(FP), CX")
	a.f("\tMOVQ w+24(FP), R8")
	a.f("\tMOVQ kw+32(FP), R9")
	a.f("d32:")
	a.f("\tCMPQ CX, $32")
	a.f("\tJLT d8")
	for u := 0; u < 4; u++ {
		a.f("\tVMOVUPS %d(DI), Y%d", 32*u, u)
	}
	a.f("\tMOVQ SI, R10")
	a.f("\tMOVQ R8, R11")
	a.f("\tMOVQ R9, R12")
	a.f("d32taps:")
	a.f("\tVBROADCASTSS (R11), Y8")
	for u := 0; u < 4; u++ {
		a.f("\tVFMADD231PS %d(R10), Y8, Y%d", 32*u, u)
	}
	a.f("\tADDQ $4, R10")
	a.f("\tADDQ $4, R11")
	a.f("\tDECQ R12")
	a.f("\tJNZ d32taps")
	for u := 0; u < 4; u++ {
		a.f("\tVMOVUPS Y%d, %d(DI)", u, 32*u)
	}
	a.f("\tADDQ $128, DI")
	a.f("\tADDQ $128, SI")
	a.f("\tSUBQ $32, CX")
	a.f("\tJMP d32")
	a.f("d8:")
	a.f("\tCMPQ CX, $8")
	a.f("\tJLT dtail")
	a.f("\tVMOVUPS (DI), Y0")
	a.f("\tMOVQ SI, R10")
	a.f("\tMOVQ R8, R11")
	a.f("\tMOVQ R9, R12")
	a.f("d8taps:")
	a.f("\tVBROADCASTSS (R11), Y8")
	a.f("\tVFMADD231PS (R10), Y8, Y0")
	a.f("\tADDQ $4, R10")
	a.f("\tADDQ $4, R11")
	a.f("\tDECQ R12")
	a.f("\tJNZ d8taps")
	a.f("\tVMOVUPS Y0, (DI)")
	a.f("\tADDQ $32, DI")
	a.f("\tADDQ $32, SI")
	a.f("\tSUBQ $8, CX")
	a.f("\tJMP d8")
	a.f("dtail:")
	a.f("\tTESTQ CX, CX")
	a.f("\tJZ ddone")
	ymmTailMask(a, "vecTailY", "CX", "Y15")
	a.f("\tVMASKMOVPS (DI), Y15, Y0")
	a.f("dtailtaps:")
	a.f("\tVBROADCASTSS (R8), Y8")
	a.f("\tVMASKMOVPS (SI), Y15, Y1")
	a.f("\tVFMADD231PS Y1, Y8, Y0")
	a.f("\tADDQ $4, SI")
	a.f("\tADDQ $4, R8")
	a.f("\tDECQ R9")
	a.f("\tJNZ dtailtaps")
	a.f("\tVMASKMOVPS Y0, Y15, (DI)")
	a.f("ddone:")
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}
