package main

import "fmt"

// vecLoop emits the body of a streaming AVX-512 loop over CX floats: body(off,
// z, mask) handles one vector at byte offset off (mask "" or "K1"), four
// vectors per iteration, then vectors of 16, then a masked tail. The
// pointers in ptrs advance by the bytes consumed.
func vecLoop(a *asm, ptrs []string, body func(off int, mask string)) {
	adv := func(n int) {
		for _, p := range ptrs {
			a.f("\tADDQ $%d, %s", n, p)
		}
	}
	a.f("\tCMPQ CX, $64")
	a.f("\tJLT v16")
	a.f("v64:")
	for u := 0; u < 4; u++ {
		body(64*u, "")
	}
	adv(256)
	a.f("\tSUBQ $64, CX")
	a.f("\tCMPQ CX, $64")
	a.f("\tJGE v64")
	a.f("v16:")
	a.f("\tCMPQ CX, $16")
	a.f("\tJLT vtail")
	body(0, "")
	adv(64)
	a.f("\tSUBQ $16, CX")
	a.f("\tJMP v16")
	a.f("vtail:")
	a.f("\tTESTQ CX, CX")
	a.f("\tJZ vdone")
	a.f("\tMOVQ $1, AX")
	a.f("\tSHLQ CX, AX")
	a.f("\tDECQ AX")
	a.f("\tKMOVW AX, K1")
	body(0, "K1")
	a.f("vdone:")
}

// load emits a (zero-masked) vector load.
func load(a *asm, mem, mask, z string) {
	if mask == "" {
		a.f("\tVMOVUPS %s, %s", mem, z)
	} else {
		a.f("\tVMOVUPS.Z %s, %s, %s", mem, mask, z)
	}
}

// store emits a (masked) vector store.
func store(a *asm, z, mask, mem string) {
	if mask == "" {
		a.f("\tVMOVUPS %s, %s", z, mem)
	} else {
		a.f("\tVMOVUPS %s, %s, %s", z, mask, mem)
	}
}

// vectorOps emits the AVX-512 vector loops of vec.go.
func vectorOps(a *asm) {
	a.f("// func axpyAVX512(alpha float32, x, y unsafe.Pointer, n int)")
	a.f("// y[i] += alpha·x[i] for i < n.")
	a.f("TEXT ·axpyAVX512(SB), NOSPLIT, $0-32")
	a.f("\tVBROADCASTSS alpha+0(FP), Z0")
	a.f("\tMOVQ x+8(FP), SI")
	a.f("\tMOVQ y+16(FP), DI")
	a.f("\tMOVQ n+24(FP), CX")
	vecLoop(a, []string{"SI", "DI"}, func(off int, mask string) {
		z, w := fmt.Sprintf("Z%d", 1+off/64), fmt.Sprintf("Z%d", 5+off/64)
		load(a, fmt.Sprintf("%d(SI)", off), mask, z)
		load(a, fmt.Sprintf("%d(DI)", off), mask, w)
		a.f("\tVFMADD231PS %s, Z0, %s", z, w)
		store(a, w, mask, fmt.Sprintf("%d(DI)", off))
	})
	a.f("\tVZEROUPPER")
	a.f("\tRET")
	a.f("")
	a.f("// func scaleAVX512(alpha float32, x unsafe.Pointer, n int)")
	a.f("// x[i] *= alpha for i < n.")
	a.f("TEXT ·scaleAVX512(SB), NOSPLIT, $0-24")
	a.f("\tVBROADCASTSS alpha+0(FP), Z0")
	a.f("\tMOVQ x+8(FP), SI")
	a.f("\tMOVQ n+16(FP), CX")
	vecLoop(a, []string{"SI"}, func(off int, mask string) {
		z := fmt.Sprintf("Z%d", 1+off/64)
		load(a, fmt.Sprintf("%d(SI)", off), mask, z)
		a.f("\tVMULPS Z0, %s, %[1]s", z)
		store(a, z, mask, fmt.Sprintf("%d(SI)", off))
	})
	a.f("\tVZEROUPPER")
	a.f("\tRET")
	a.f("")
	a.f("// func reluAVX512(out, in unsafe.Pointer, n int)")
	a.f("// out[i] = max(in[i], 0) for i < n (NaN propagates).")
	a.f("TEXT ·reluAVX512(SB), NOSPLIT, $0-24")
	a.f("\tVPXORD Z0, Z0, Z0")
	a.f("\tMOVQ out+0(FP), DI")
	a.f("\tMOVQ in+8(FP), SI")
	a.f("\tMOVQ n+16(FP), CX")
	vecLoop(a, []string{"SI", "DI"}, func(off int, mask string) {
		z := fmt.Sprintf("Z%d", 1+off/64)
		load(a, fmt.Sprintf("%d(SI)", off), mask, z)
		a.f("\tVMAXPS %s, Z0, %[1]s", z) // (0 > x) ? 0 : x
		store(a, z, mask, fmt.Sprintf("%d(DI)", off))
	})
	a.f("\tVZEROUPPER")
	a.f("\tRET")
	a.f("")
	a.f("// func dotAVX512(x, y unsafe.Pointer, n int) float32")
	a.f("// Σ x[i]·y[i] for i < n, in four float32 vector accumulators.")
	a.f("TEXT ·dotAVX512(SB), NOSPLIT, $0-28")
	a.f("\tMOVQ x+0(FP), SI")
	a.f("\tMOVQ y+8(FP), DI")
	a.f("\tMOVQ n+16(FP), CX")
	for i := 0; i < 4; i++ {
		a.f("\tVPXORD Z%d, Z%[1]d, Z%[1]d", i)
	}
	vecLoop(a, []string{"SI", "DI"}, func(off int, mask string) {
		z := fmt.Sprintf("Z%d", 4+off/64)
		load(a, fmt.Sprintf("%d(SI)", off), mask, z)
		if mask == "" {
			a.f("\tVFMADD231PS %d(DI), %s, Z%d", off, z, off/64)
		} else {
			a.f("\tVMOVUPS.Z %d(DI), %s, Z8", off, mask)
			a.f("\tVFMADD231PS Z8, %s, Z%d", z, off/64)
		}
	})
	a.f("\tVADDPS Z1, Z0, Z0")
	a.f("\tVADDPS Z3, Z2, Z2")
	a.f("\tVADDPS Z2, Z0, Z0")
	a.f("\tVEXTRACTF32X8 $1, Z0, Y1")
	a.f("\tVADDPS Y1, Y0, Y0")
	a.f("\tVEXTRACTF128 $1, Y0, X1")
	a.f("\tVADDPS X1, X0, X0")
	a.f("\tVHADDPS X0, X0, X0")
	a.f("\tVHADDPS X0, X0, X0")
	a.f("\tVMOVSS X0, ret+24(FP)")
	a.f("\tVZEROUPPER")
	a.f("\tRET")
	a.f("")
	dwRow(a)
}

// dwRow emits the row kernel of the depthwise convolution: a 1-D
// correlation added into dst, four vectors (four FMA chains) at a time.
func dwRow(a *asm) {
	a.f("// func dwRowAVX512(dst, src unsafe.Pointer, n int, w unsafe.Pointer, kw int)")
	a.f("// dst[x] += Σ_{j<kw} w[j]·src[x+j] for x < n (kw ≥ 1).")
	a.f("TEXT ·dwRowAVX512(SB), NOSPLIT, $0-40")
	a.f("\tMOVQ dst+0(FP), DI")
	a.f("\tMOVQ src+8(FP), SI")
	a.f("\tMOVQ n+16(FP), CX")
	a.f("\tMOVQ w+24(FP), R8")
	a.f("\tMOVQ kw+32(FP), R9")
	a.f("d64:")
	a.f("\tCMPQ CX, $64")
	a.f("\tJLT d16")
	for u := 0; u < 4; u++ {
		a.f("\tVMOVUPS %d(DI), Z%d", 64*u, u)
	}
	a.f("\tMOVQ SI, R10")
	a.f("\tMOVQ R8, R11")
	a.f("\tMOVQ R9, R12")
	a.f("d64taps:")
	a.f("\tVBROADCASTSS (R11), Z8")
	for u := 0; u < 4; u++ {
		a.f("\tVFMADD231PS %d(R10), Z8, Z%d", 64*u, u)
	}
	a.f("\tADDQ $4, R10")
	a.f("\tADDQ $4, R11")
	a.f("\tDECQ R12")
	a.f("\tJNZ d64taps")
	for u := 0; u < 4; u++ {
		a.f("\tVMOVUPS Z%d, %d(DI)", u, 64*u)
	}
	a.f("\tADDQ $256, DI")
	a.f("\tADDQ $256, SI")
	a.f("\tSUBQ $64, CX")
	a.f("\tJMP d64")
	a.f("d16:")
	a.f("\tTESTQ CX, CX")
	a.f("\tJZ ddone")
	a.f("\tMOVQ $0xffff, AX")
	a.f("\tCMPQ CX, $16")
	a.f("\tJGE dmask")
	a.f("\tMOVQ $1, AX")
	a.f("\tSHLQ CX, AX")
	a.f("\tDECQ AX")
	a.f("dmask:")
	a.f("\tKMOVW AX, K1")
	a.f("\tVMOVUPS.Z (DI), K1, Z0")
	a.f("\tMOVQ SI, R10")
	a.f("\tMOVQ R8, R11")
	a.f("\tMOVQ R9, R12")
	a.f("d16taps:")
	a.f("\tVBROADCASTSS (R11), Z8")
	a.f("\tVMOVUPS.Z (R10), K1, Z1")
	a.f("\tVFMADD231PS Z1, Z8, Z0")
	a.f("\tADDQ $4, R10")
	a.f("\tADDQ $4, R11")
	a.f("\tDECQ R12")
	a.f("\tJNZ d16taps")
	a.f("\tVMOVUPS Z0, K1, (DI)")
	a.f("\tADDQ $64, DI")
	a.f("\tADDQ $64, SI")
	a.f("\tSUBQ $16, CX")
	a.f("\tJGT d16")
	a.f("ddone:")
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}
