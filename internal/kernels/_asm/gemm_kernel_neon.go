package main

// The arm64 NEON SGEMM micro-kernel and its packers (gemm_kernel_neon_arm64.s).
//
// The kernel is 8×12: 24 accumulators (8 rows × 3 vectors of 4 columns,
// V0–V23), the 8 A values of a step in V24–V25 and the 12 B values in
// V26–V28, so 29 of the 32 vector registers are live in the k loop; each
// step is 2 + 3 loads for 24 FMLAs by element (A's lane selects the row).
// 8 rows divide the channel counts of every product the networks make.

const (
	neonMR   = 8
	neonNR   = 12
	neonVecs = neonNR / 4
)

func neonAcc(r, v int) int { return r*neonVecs + v }

// neonStep emits one k step: load A and B (post-incremented) and 24 FMLAs.
func neonStep(a *asm) {
	a.f("\tVLD1.P 32(R1), %s", vlist(24, 2))
	a.f("\tVLD1.P 48(R2), %s", vlist(26, 3))
	for r := 0; r < neonMR; r++ {
		for v := 0; v < neonVecs; v++ {
			fmlaElem(a, neonAcc(r, v), 26+v, 24+r/4, r%4)
		}
	}
}

func gemmNEON(a *asm) {
	a.f("// func sgemmKernelNEON(k int, ap, bp, c unsafe.Pointer, ldc int, alpha, beta float32)")
	a.f("// C[0:8][0:12] = alpha·Ap·Bp + beta·C (C unread when beta == 0), Ap k×8, Bp k×12.")
	a.f("TEXT ·sgemmKernelNEON(SB), NOSPLIT, $0-48")
	a.f("\tMOVD k+0(FP), R0")
	a.f("\tMOVD ap+8(FP), R1")
	a.f("\tMOVD bp+16(FP), R2")
	a.f("\tMOVD c+24(FP), R3")
	a.f("\tMOVD ldc+32(FP), R4")
	a.f("\tLSL $2, R4")
	for r := 0; r < neonMR*neonVecs; r++ {
		vzero(a, r)
	}
	// Fetch the C block while the k loop runs.
	a.f("\tMOVD R3, R5")
	for r := 0; r < neonMR; r++ {
		a.f("\tPRFM (R5), PLDL1KEEP")
		a.f("\tPRFM 44(R5), PLDL1KEEP")
		a.f("\tADD R4, R5")
	}
	a.f("\tLSR $2, R0, R6")
	a.f("\tAND $3, R0, R7")
	a.f("\tCBZ R6, tail")
	a.f("loop4:")
	a.f("\tPRFM 512(R2), PLDL1KEEP")
	a.f("\tPRFM 256(R1), PLDL1KEEP")
	for u := 0; u < 4; u++ {
		neonStep(a)
	}
	a.f("\tSUB $1, R6")
	a.f("\tCBNZ R6, loop4")
	a.f("tail:")
	a.f("\tCBZ R7, store")
	a.f("loop1:")
	neonStep(a)
	a.f("\tSUB $1, R7")
	a.f("\tCBNZ R7, loop1")
	a.f("store:")
	a.f("\tFMOVS alpha+40(FP), F29")
	a.f("\tFMOVS beta+44(FP), F30")
	a.f("\tMOVD R3, R5")
	a.f("\tFCMPS $(0.0), F30")
	a.f("\tBNE withbeta")
	for r := 0; r < neonMR; r++ {
		for v := 0; v < neonVecs; v++ {
			fmulElem(a, neonAcc(r, v), neonAcc(r, v), 29, 0)
		}
		a.f("\tVST1 %s, (R5)", vlist(neonAcc(r, 0), neonVecs))
		a.f("\tADD R4, R5")
	}
	a.f("\tRET")
	a.f("withbeta:")
	for r := 0; r < neonMR; r++ {
		a.f("\tVLD1 (R5), %s", vlist(24, neonVecs))
		for v := 0; v < neonVecs; v++ {
			fmulElem(a, neonAcc(r, v), neonAcc(r, v), 29, 0)
			fmlaElem(a, neonAcc(r, v), 24+v, 30, 0)
		}
		a.f("\tVST1 %s, (R5)", vlist(neonAcc(r, 0), neonVecs))
		a.f("\tADD R4, R5")
	}
	a.f("\tRET")
}

// packersNEON emits the packers of the whole panels: untransposed B (rows
// of 12 copied) and untransposed A (8 rows transposed 4 steps at a time).
func packersNEON(a *asm) {
	a.f("// func packB12NEON(dst, src unsafe.Pointer, ldb, kc, panels int)")
	a.f("// For each of kc rows of src (row stride ldb floats), copies panels runs of")
	a.f("// 12 floats into panels consecutive k×12 micro-panels of dst; kc, panels ≥ 1.")
	a.f("TEXT ·packB12NEON(SB), NOSPLIT, $0-40")
	a.f("\tMOVD dst+0(FP), R0")
	a.f("\tMOVD src+8(FP), R1")
	a.f("\tMOVD ldb+16(FP), R2")
	a.f("\tLSL $2, R2")
	a.f("\tMOVD kc+24(FP), R3")
	a.f("\tMOVD panels+32(FP), R4")
	a.f("\tMOVD $48, R5")
	a.f("\tMUL R3, R5")
	a.f("row:")
	a.f("\tMOVD R1, R6")
	a.f("\tMOVD R0, R7")
	a.f("\tMOVD R4, R8")
	a.f("col:")
	a.f("\tVLD1.P 48(R6), %s", vlist(0, 3))
	a.f("\tVST1 %s, (R7)", vlist(0, 3))
	a.f("\tADD R5, R7")
	a.f("\tSUB $1, R8")
	a.f("\tCBNZ R8, col")
	a.f("\tADD R2, R1")
	a.f("\tADD $48, R0")
	a.f("\tSUB $1, R3")
	a.f("\tCBNZ R3, row")
	a.f("\tRET")
	a.f("")
	a.f("// func packA8NEON(dst, src unsafe.Pointer, lda, quads int)")
	a.f("// Writes 4·quads steps of the k×8 micro-panel of the 8 rows at src (row")
	a.f("// stride lda floats): dst[p·8 + r] = src[r·lda + p]; quads ≥ 1.")
	a.f("TEXT ·packA8NEON(SB), NOSPLIT, $0-32")
	a.f("\tMOVD dst+0(FP), R0")
	a.f("\tMOVD src+8(FP), R1")
	a.f("\tMOVD lda+16(FP), R9")
	a.f("\tLSL $2, R9")
	a.f("\tMOVD quads+24(FP), R10")
	for r := 2; r <= 8; r++ {
		a.f("\tADD R9, R%d, R%d", r-1, r)
	}
	a.f("quad:")
	for r := 0; r < 8; r++ {
		a.f("\tVLD1.P 16(R%d), [V%d.S4]", r+1, r)
	}
	// Per half h (rows 4h…4h+3 in V4h…V4h+3): pair rows with TRN1/TRN2 on
	// lanes, then on 64-bit halves. Column p of the half goes to V20+2p+h.
	for h := 0; h < 2; h++ {
		r, t := 4*h, 8+4*h
		a.f("\tVTRN1 V%d.S4, V%d.S4, V%d.S4", r+1, r, t)
		a.f("\tVTRN2 V%d.S4, V%d.S4, V%d.S4", r+1, r, t+1)
		a.f("\tVTRN1 V%d.S4, V%d.S4, V%d.S4", r+3, r+2, t+2)
		a.f("\tVTRN2 V%d.S4, V%d.S4, V%d.S4", r+3, r+2, t+3)
		a.f("\tVTRN1 V%d.D2, V%d.D2, V%d.D2", t+2, t, 20+h)
		a.f("\tVTRN1 V%d.D2, V%d.D2, V%d.D2", t+3, t+1, 22+h)
		a.f("\tVTRN2 V%d.D2, V%d.D2, V%d.D2", t+2, t, 24+h)
		a.f("\tVTRN2 V%d.D2, V%d.D2, V%d.D2", t+3, t+1, 26+h)
	}
	a.f("\tVST1.P %s, 64(R0)", vlist(20, 4))
	a.f("\tVST1.P %s, 64(R0)", vlist(24, 4))
	a.f("\tSUB $1, R10")
	a.f("\tCBNZ R10, quad")
	a.f("\tRET")
}
