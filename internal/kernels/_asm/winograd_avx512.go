package main

import "fmt"

// winogradOps writes the AVX-512 loops of the Winograd transforms
// (contracts in internal/kernels/winograd_go.go, winoImpl), 16 tiles per
// vector with masked tails. The scratch streams h are winoQ = 128 floats
// (512 bytes) apart; the block matrices' streams `stride` floats apart are
// addressed from four base registers R10–R13 (streams 0, 4, 8, 12) plus
// R8 = stride·4 or R9 = 3·stride·4. The column loops walk groups of 16
// tiles of all the tile rows of one plane (group outside, rows inside, so
// that the lane masks of the plane's borders are computed once per group);
// they split 32 image columns into even and odd ones (VPERMT2PS) or
// interleave two vectors back into 32 columns, and skip (or read as zeros)
// the rows outside the plane. Negation flips the sign bit (VPXORD), as Go's
// unary minus does.
func winogradOps(a *asm) {
	for _, k := range winoRowKernels {
		winoRowKernel(a, k)
		a.f("")
	}
	winoColsIn(a)
	a.f("")
	winoColsOut(a)
	a.f("")
	winoColsOutGrad(a)
	a.f("")
	winoColsInGrad(a)
	a.f("")
	wino4Ops(a)
	wino2PackedOps(a)
	perm(a, "winoEven", func(i int) int { return 2 * i })
	perm(a, "winoOdd", func(i int) int { return 2*i + 1 })
	perm(a, "winoLo", func(i int) int { return i/2 + 16*(i%2) })
	perm(a, "winoHi", func(i int) int { return 8 + i/2 + 16*(i%2) })
	a.f("DATA ·winoSign<>+0(SB)/4, $0x80000000")
	a.f("GLOBL ·winoSign<>(SB), RODATA|NOPTR, $4")
}

// winoStride is the distance of two scratch streams in bytes (4·winoQ).
const winoStride = 512

// winoTerm is one term of an output of a row loop: input stream in, added
// (op '+'), subtracted ('-'), or, as the first term, taken as is ('=') or
// negated ('n'). Terms are applied left to right.
type winoTerm struct {
	op byte
	in int
}

// winoRowKer is a row loop: dst[o][q] = outs[o] over src[i][q] for q < n,
// one side's streams `stride` floats apart (runtimeIn: the source's).
type winoRowKer struct {
	name      string
	runtimeIn bool
	ins       int
	outs      [][]winoTerm
}

// winoOuts builds the outputs for a := 0…3 (or i) of every column s: f(s)
// returns the four (or two) outputs' terms; output index = 4·a + s.
func winoOuts(rows int, f func(s int) [][]winoTerm) [][]winoTerm {
	outs := make([][]winoTerm, 4*rows)
	for s := 0; s < 4; s++ {
		for a, t := range f(s) {
			outs[4*a+s] = t
		}
	}
	return outs
}

var winoRowKernels = []winoRowKer{
	{name: "winoRowsInAVX512", runtimeIn: false, ins: 16, outs: winoOuts(4, func(s int) [][]winoTerm {
		h0, h1, h2, h3 := s, 4+s, 8+s, 12+s
		return [][]winoTerm{{{'=', h0}, {'-', h2}}, {{'=', h1}, {'+', h2}}, {{'=', h2}, {'-', h1}}, {{'=', h1}, {'-', h3}}}
	})},
	{name: "winoRowsOutAVX512", runtimeIn: true, ins: 16, outs: winoOuts(2, func(s int) [][]winoTerm {
		m0, m1, m2, m3 := s, 4+s, 8+s, 12+s
		return [][]winoTerm{{{'=', m0}, {'+', m1}, {'+', m2}}, {{'=', m1}, {'-', m2}, {'-', m3}}}
	})},
	{name: "winoRowsOutGradAVX512", runtimeIn: false, ins: 8, outs: winoOuts(4, func(b int) [][]winoTerm {
		h0, h1 := b, 4+b
		return [][]winoTerm{{{'=', h0}}, {{'=', h0}, {'+', h1}}, {{'=', h0}, {'-', h1}}, {{'n', h1}}}
	})},
	{name: "winoRowsInGradAVX512", runtimeIn: true, ins: 16, outs: winoOuts(4, func(b int) [][]winoTerm {
		d0, d1, d2, d3 := b, 4+b, 8+b, 12+b
		return [][]winoTerm{{{'=', d0}}, {{'=', d1}, {'-', d2}, {'+', d3}}, {{'=', d1}, {'+', d2}, {'-', d0}}, {{'n', d3}}}
	})},
}

// winoRuntime is the address of stream j of the strided side.
func winoRuntime(j int) string {
	base := []string{"R10", "R11", "R12", "R13"}[j/4]
	return []string{"(" + base + ")", "(" + base + ")(R8*1)", "(" + base + ")(R8*2)", "(" + base + ")(R9*1)"}[j%4]
}

// body emits one vector of the row loop; masked: loads zero and stores
// skip the lanes off K1.
func (k winoRowKer) body(a *asm, masked bool) {
	in := func(j int) string {
		if k.runtimeIn {
			return winoRuntime(j)
		}
		return fmt.Sprintf("%d(SI)", j*winoStride)
	}
	out := func(j int) string {
		if k.runtimeIn {
			return fmt.Sprintf("%d(DI)", j*winoStride)
		}
		return winoRuntime(j)
	}
	for j := 0; j < k.ins; j++ {
		if masked {
			a.f("\tVMOVUPS.Z %s, K1, Z%d", in(j), j)
		} else {
			a.f("\tVMOVUPS %s, Z%d", in(j), j)
		}
	}
	for o, terms := range k.outs {
		r := fmt.Sprintf("Z%d", 16+o%15)
		first := terms[0]
		switch {
		case first.op == 'n':
			a.f("\tVPXORD Z31, Z%d, %s", first.in, r)
		case len(terms) == 1:
			r = fmt.Sprintf("Z%d", first.in)
		}
		src := fmt.Sprintf("Z%d", first.in)
		if first.op == 'n' {
			src = r
		}
		for _, t := range terms[1:] {
			op := "VADDPS"
			if t.op == '-' {
				op = "VSUBPS"
			}
			a.f("\t%s Z%d, %s, %s", op, t.in, src, r)
			src = r
		}
		if masked {
			a.f("\tVMOVUPS %s, K1, %s", r, out(o))
		} else {
			a.f("\tVMOVUPS %s, %s", r, out(o))
		}
	}
}

func winoRowKernel(a *asm, k winoRowKer) {
	a.f("// func %s(dst, src unsafe.Pointer, stride, n int)", k.name)
	a.f("TEXT ·%s(SB), NOSPLIT, $0-32", k.name)
	a.f("\tMOVQ dst+0(FP), DI")
	a.f("\tMOVQ src+8(FP), SI")
	a.f("\tMOVQ stride+16(FP), R8")
	a.f("\tMOVQ n+24(FP), CX")
	a.f("\tSHLQ $2, R8")
	a.f("\tLEAQ (R8)(R8*2), R9")
	if k.runtimeIn {
		a.f("\tMOVQ SI, R10")
	} else {
		a.f("\tMOVQ DI, R10")
	}
	a.f("\tLEAQ (R10)(R8*4), R11")
	a.f("\tLEAQ (R11)(R8*4), R12")
	a.f("\tLEAQ (R12)(R8*4), R13")
	a.f("\tVBROADCASTSS ·winoSign<>(SB), Z31")
	winoRowLoop(a, k.name, []string{"SI", "DI", "R10", "R11", "R12", "R13"}, func(masked bool) { k.body(a, masked) })
}

// winoRowLoop emits a row loop's loop over CX tiles, 16 at a time (body,
// then the pointers ptrs move on by 16 floats) and a masked tail (body with
// K1 the lanes left), and its return.
func winoRowLoop(a *asm, name string, ptrs []string, body func(masked bool)) {
	a.f("%s_loop:", name)
	a.f("\tCMPQ CX, $16")
	a.f("\tJLT %s_tail", name)
	body(false)
	for _, r := range ptrs {
		a.f("\tADDQ $64, %s", r)
	}
	a.f("\tSUBQ $16, CX")
	a.f("\tJMP %s_loop", name)
	a.f("%s_tail:", name)
	a.f("\tTESTQ CX, CX")
	a.f("\tJZ %s_done", name)
	a.f("\tMOVQ $1, AX")
	a.f("\tSHLQ CX, AX")
	a.f("\tDECQ AX")
	a.f("\tKMOVW AX, K1")
	body(true)
	a.f("%s_done:", name)
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}

// winoColMask sets K1 to the lanes of the tiles left in R10 (≥ 1; all 16
// if more). Clobbers AX, CX, DX.
func winoColMask(a *asm) {
	a.f("\tMOVQ R10, CX")
	a.f("\tMOVQ $16, DX")
	a.f("\tCMPQ CX, DX")
	a.f("\tCMOVQGT DX, CX")
	a.f("\tMOVQ $1, AX")
	a.f("\tSHLQ CX, AX")
	a.f("\tDECQ AX")
	a.f("\tKMOVW AX, K1")
}

// winoRowMask leaves in AX the bits j < span of the columns R9 + j inside
// the row of R8 columns: bit j set iff 0 ≤ R9 + j < R8. Clobbers BX, CX, DX.
func winoRowMask(a *asm, span int) {
	a.f("\tMOVQ R8, CX") // hi = clamp(R8 − R9, 0, span)
	a.f("\tSUBQ R9, CX")
	a.f("\tMOVQ $%d, DX", span)
	a.f("\tCMPQ CX, DX")
	a.f("\tCMOVQGT DX, CX")
	a.f("\tXORQ DX, DX")
	a.f("\tCMPQ CX, DX")
	a.f("\tCMOVQLT DX, CX")
	a.f("\tMOVQ $1, AX")
	a.f("\tSHLQ CX, AX")
	a.f("\tDECQ AX")
	a.f("\tMOVQ R9, CX") // lo = clamp(−R9, 0, span)
	a.f("\tNEGQ CX")
	a.f("\tXORQ DX, DX")
	a.f("\tCMPQ CX, DX")
	a.f("\tCMOVQLT DX, CX")
	a.f("\tMOVQ $%d, DX", span)
	a.f("\tCMPQ CX, DX")
	a.f("\tCMOVQGT DX, CX")
	a.f("\tMOVQ $1, BX")
	a.f("\tSHLQ CX, BX")
	a.f("\tDECQ BX")
	a.f("\tNOTQ BX")
	a.f("\tANDQ BX, AX")
}

// winoKMask sets k to the 16 bits of AX from bit `shift` (clobbers BX).
func winoKMask(a *asm, k string, shift int) {
	a.f("\tMOVQ AX, BX")
	if shift > 0 {
		a.f("\tSHRQ $%d, BX", shift)
	}
	a.f("\tKMOVW BX, %s", k)
}

// winoColArgs loads the column loops' arguments (x, y unsafe.Pointer, c0,
// nt, w, hgt, y0, rows int), hPtr naming the scratch: DI = h, SI = plane,
// R9 = c0, R10 = nt, R8 = w, R11 = hgt, R12 = y0, R13 = rows, R15 = 4·nt
// (the scratch bytes of one tile row).
func winoColArgs(a *asm, name, x, y, hPtr string) {
	plane := x
	if hPtr == x {
		plane = y
	}
	a.f("// func %s(%s, %s unsafe.Pointer, c0, nt, w, hgt, y0, rows int)", name, x, y)
	a.f("TEXT ·%s(SB), NOSPLIT, $0-64", name)
	a.f("\tMOVQ %s+%d(FP), DI", hPtr, map[bool]int{true: 0, false: 8}[hPtr == x])
	a.f("\tMOVQ %s+%d(FP), SI", plane, map[bool]int{true: 0, false: 8}[plane == x])
	a.f("\tMOVQ c0+16(FP), R9")
	a.f("\tMOVQ nt+24(FP), R10")
	a.f("\tMOVQ w+32(FP), R8")
	a.f("\tMOVQ hgt+40(FP), R11")
	a.f("\tMOVQ y0+48(FP), R12")
	a.f("\tMOVQ rows+56(FP), R13")
	a.f("\tLEAQ (R10*4), R15")
}

// winoWriteEnd lowers the row end R8 to column c0 + m·nt + extra, the end
// of what a writing loop of tile size m may touch.
func winoWriteEnd(a *asm, m, extra int) {
	a.f("\tLEAQ %d(R9)(R10*%d), CX", extra, m)
	a.f("\tCMPQ R8, CX")
	a.f("\tCMOVQGT CX, R8")
}

// winoRows emits the loop over the tile rows (m plane rows apart) of one
// group of 16 tiles: CX = the plane row of patch row 0, DX = tile rows
// left, R14 = the tile row's scratch; body(i) handles patch row i.
func winoRows(a *asm, name string, m, patchRows int, body func(i int)) {
	a.f("\tMOVQ R12, CX")
	a.f("\tMOVQ R13, DX")
	a.f("\tMOVQ DI, R14")
	a.f("%s_rows:", name)
	for i := 0; i < patchRows; i++ {
		body(i)
	}
	a.f("\tADDQ $%d, CX", m)
	a.f("\tADDQ R15, R14")
	a.f("\tDECQ DX")
	a.f("\tJNZ %s_rows", name)
}

// winoRowAddr jumps to skip if plane row CX+i is outside the plane, else
// leaves the address of its column R9 in AX.
func winoRowAddr(a *asm, i int, skip string) {
	a.f("\tLEAQ %d(CX), AX", i)
	a.f("\tCMPQ AX, R11")
	a.f("\tJCC %s", skip) // unsigned: also below 0
	a.f("\tIMULQ w+32(FP), AX")
	a.f("\tLEAQ (SI)(AX*4), AX")
	a.f("\tLEAQ (AX)(R9*4), AX")
}

// winoPrefetch prefetches the lines 1 KB ahead of the `bytes` a column
// loop reads from the plane row at AX (one more line: AX need not be
// aligned). The hardware prefetcher does not keep up with these reads of
// planes not in cache (docs/kernels.md, Winograd); only reads are
// prefetched, not the rows the output loop only overwrites.
func winoPrefetch(a *asm, bytes int) {
	for off := 0; off < bytes+64; off += 64 {
		a.f("\tPREFETCHT0 %d(AX)", 1024+off)
	}
}

// winoScratchAddr is the address of stream s of patch row i of the tile row.
func winoScratchAddr(i, s, off int) string {
	return fmt.Sprintf("%d(R14)", (4*i+s)*winoStride+off)
}

// winoSplit emits the even (Z%d = e) and odd (o) lanes of the 32 floats in lo, hi.
func winoSplit(a *asm, lo, hi, e, o int) {
	a.f("\tVMOVAPS Z%d, Z%d", lo, e)
	a.f("\tVPERMT2PS Z%d, Z30, Z%d", hi, e)
	a.f("\tVMOVAPS Z%d, Z%d", lo, o)
	a.f("\tVPERMT2PS Z%d, Z31, Z%d", hi, o)
}

// winoInterleave leaves e and o interleaved (e0 o0 e1 o1 …) in Z26, Z27,
// with Z30/Z31 the low/high interleaving permutations.
func winoInterleave(a *asm, e, o int) {
	a.f("\tVMOVAPS Z%d, Z26", e)
	a.f("\tVPERMT2PS Z%d, Z30, Z26", o)
	a.f("\tVMOVAPS Z%d, Z27", e)
	a.f("\tVPERMT2PS Z%d, Z31, Z27", o)
}

// winoColsNext ends the column loop of name: moves on by 16 tiles of size
// m (R9, the first column, by 16·m; DI, the scratch, by 16 floats; R10, the
// tiles left, by 16) and loops while tiles are left, then returns.
func winoColsNext(a *asm, name string, m int) {
	a.f("\tADDQ $%d, R9", 16*m)
	a.f("\tADDQ $64, DI")
	a.f("\tSUBQ $16, R10")
	a.f("\tJGT %s_loop", name)
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}

func winoColsIn(a *asm) {
	n := "winoColsInAVX512"
	winoColArgs(a, n, "h", "plane", "h")
	a.f("\tVMOVUPS ·winoEven<>(SB), Z30")
	a.f("\tVMOVUPS ·winoOdd<>(SB), Z31")
	a.f("%s_loop:", n)
	winoColMask(a)
	winoRowMask(a, 34)
	winoKMask(a, "K2", 0)
	winoKMask(a, "K3", 16)
	winoKMask(a, "K4", 2)
	winoKMask(a, "K5", 18)
	winoRows(a, n, 2, 4, func(i int) {
		zero, comp := fmt.Sprintf("%s_zero%d", n, i), fmt.Sprintf("%s_comp%d", n, i)
		winoRowAddr(a, i, zero)
		winoPrefetch(a, 4*34)
		a.f("\tVMOVUPS.Z (AX), K2, Z0")
		a.f("\tVMOVUPS.Z 64(AX), K3, Z1")
		a.f("\tVMOVUPS.Z 8(AX), K4, Z2")
		a.f("\tVMOVUPS.Z 72(AX), K5, Z3")
		a.f("\tJMP %s", comp)
		a.f("%s:", zero)
		for r := 0; r < 4; r++ {
			a.f("\tVPXORD Z%d, Z%d, Z%d", r, r, r)
		}
		a.f("%s:", comp)
		winoSplit(a, 0, 1, 4, 5) // E0, O0
		winoSplit(a, 2, 3, 6, 7) // E1, O1
		a.f("\tVSUBPS Z6, Z4, Z8")
		a.f("\tVMOVUPS Z8, K1, %s", winoScratchAddr(i, 0, 0))
		a.f("\tVADDPS Z6, Z5, Z9")
		a.f("\tVMOVUPS Z9, K1, %s", winoScratchAddr(i, 1, 0))
		a.f("\tVSUBPS Z5, Z6, Z10")
		a.f("\tVMOVUPS Z10, K1, %s", winoScratchAddr(i, 2, 0))
		a.f("\tVSUBPS Z7, Z5, Z11")
		a.f("\tVMOVUPS Z11, K1, %s", winoScratchAddr(i, 3, 0))
	})
	winoColsNext(a, n, 2)
}

func winoColsOut(a *asm) {
	n := "winoColsOutAVX512"
	winoColArgs(a, n, "plane", "h", "h")
	winoWriteEnd(a, 2, 0)
	a.f("\tVMOVUPS ·winoLo<>(SB), Z30")
	a.f("\tVMOVUPS ·winoHi<>(SB), Z31")
	a.f("%s_loop:", n)
	winoColMask(a)
	winoRowMask(a, 32)
	winoKMask(a, "K2", 0)
	winoKMask(a, "K3", 16)
	winoRows(a, n, 2, 2, func(i int) {
		skip := fmt.Sprintf("%s_skip%d", n, i)
		for j := 0; j < 4; j++ {
			a.f("\tVMOVUPS.Z %s, K1, Z%d", winoScratchAddr(i, j, 0), j)
		}
		a.f("\tVADDPS Z1, Z0, Z4")
		a.f("\tVADDPS Z2, Z4, Z4")
		a.f("\tVSUBPS Z2, Z1, Z5")
		a.f("\tVSUBPS Z3, Z5, Z5")
		winoInterleave(a, 4, 5)
		winoRowAddr(a, i, skip)
		a.f("\tVMOVUPS Z26, K2, (AX)")
		a.f("\tVMOVUPS Z27, K3, 64(AX)")
		a.f("%s:", skip)
	})
	winoColsNext(a, n, 2)
}

func winoColsOutGrad(a *asm) {
	n := "winoColsOutGradAVX512"
	winoColArgs(a, n, "h", "plane", "h")
	a.f("\tVMOVUPS ·winoEven<>(SB), Z30")
	a.f("\tVMOVUPS ·winoOdd<>(SB), Z31")
	a.f("\tVBROADCASTSS ·winoSign<>(SB), Z29")
	a.f("%s_loop:", n)
	winoColMask(a)
	winoRowMask(a, 32)
	winoKMask(a, "K2", 0)
	winoKMask(a, "K3", 16)
	winoRows(a, n, 2, 2, func(i int) {
		zero, comp := fmt.Sprintf("%s_zero%d", n, i), fmt.Sprintf("%s_comp%d", n, i)
		winoRowAddr(a, i, zero)
		winoPrefetch(a, 4*32)
		a.f("\tVMOVUPS.Z (AX), K2, Z0")
		a.f("\tVMOVUPS.Z 64(AX), K3, Z1")
		a.f("\tJMP %s", comp)
		a.f("%s:", zero)
		a.f("\tVPXORD Z0, Z0, Z0")
		a.f("\tVPXORD Z1, Z1, Z1")
		a.f("%s:", comp)
		winoSplit(a, 0, 1, 2, 3) // E, O
		a.f("\tVMOVUPS Z2, K1, %s", winoScratchAddr(i, 0, 0))
		a.f("\tVADDPS Z3, Z2, Z4")
		a.f("\tVMOVUPS Z4, K1, %s", winoScratchAddr(i, 1, 0))
		a.f("\tVSUBPS Z3, Z2, Z5")
		a.f("\tVMOVUPS Z5, K1, %s", winoScratchAddr(i, 2, 0))
		a.f("\tVPXORD Z29, Z3, Z6")
		a.f("\tVMOVUPS Z6, K1, %s", winoScratchAddr(i, 3, 0))
	})
	winoColsNext(a, n, 2)
}

// winoClampMask sets AX to the mask of the first min(CX, 16) lanes (CX ≥ 0;
// clobbers DX).
func winoClampMask(a *asm) {
	a.f("\tMOVQ $16, DX")
	a.f("\tCMPQ CX, DX")
	a.f("\tCMOVQGT DX, CX")
	a.f("\tMOVQ $1, AX")
	a.f("\tSHLQ CX, AX")
	a.f("\tDECQ AX")
}

// winoPosMasks sets the lane masks of the input-gradient column loop name
// for positions t = nt−R10 … +15: K1 those with t < nt, K2 those with
// 1 ≤ t ≤ nt (clobbers AX, CX, DX).
func winoPosMasks(a *asm, name string) {
	a.f("\tMOVQ R10, CX")
	winoClampMask(a)
	a.f("\tKMOVW AX, K1")
	a.f("\tLEAQ 1(R10), CX")
	winoClampMask(a)
	a.f("\tMOVQ $0xfffe, DX")
	a.f("\tCMPQ R10, nt+24(FP)")
	a.f("\tJNE %s_m3", name)
	a.f("\tANDQ DX, AX")
	a.f("%s_m3:", name)
	a.f("\tKMOVW AX, K2")
}

func winoColsInGrad(a *asm) {
	n := "winoColsInGradAVX512"
	winoColArgs(a, n, "plane", "h", "h")
	winoWriteEnd(a, 2, 2)
	a.f("// Positions t = nt−R10 … +15 of 0 … nt: K1 the lanes with t < nt (tile t),")
	a.f("// K2 those with 1 ≤ t ≤ nt (tile t−1, read 4 bytes back).")
	a.f("\tVMOVUPS ·winoLo<>(SB), Z30")
	a.f("\tVMOVUPS ·winoHi<>(SB), Z31")
	a.f("\tVBROADCASTSS ·winoSign<>(SB), Z29")
	a.f("%s_loop:", n)
	winoPosMasks(a, n)
	winoRowMask(a, 32)
	winoKMask(a, "K3", 0)
	winoKMask(a, "K4", 16)
	winoRows(a, n, 2, 4, func(i int) {
		skip := fmt.Sprintf("%s_skip%d", n, i)
		for j := 0; j < 4; j++ {
			a.f("\tVMOVUPS.Z %s, K1, Z%d", winoScratchAddr(i, j, 0), j)
			a.f("\tVMOVUPS.Z %s, K2, Z%d", winoScratchAddr(i, j, -4), 4+j)
		}
		a.f("\tVSUBPS Z2, Z1, Z8")   // a1 − a2
		a.f("\tVADDPS Z3, Z8, Z8")   // + a3
		a.f("\tVADDPS Z6, Z5, Z9")   // b1 + b2
		a.f("\tVSUBPS Z4, Z9, Z9")   // − b0
		a.f("\tVPXORD Z29, Z7, Z10") // −b3
		a.f("\tVADDPS Z9, Z0, Z11")
		a.f("\tVADDPS Z10, Z8, Z12")
		winoInterleave(a, 11, 12)
		winoRowAddr(a, i, skip)
		winoPrefetch(a, 4*32)
		a.f("\tVMOVUPS.Z (AX), K3, Z13")
		a.f("\tVMOVUPS.Z 64(AX), K4, Z14")
		a.f("\tVADDPS Z26, Z13, Z13")
		a.f("\tVADDPS Z27, Z14, Z14")
		a.f("\tVMOVUPS Z13, K3, (AX)")
		a.f("\tVMOVUPS Z14, K4, 64(AX)")
		a.f("%s:", skip)
	})
	a.f("\tADDQ $64, DI")
	a.f("\tADDQ $32, R9")
	a.f("\tSUBQ $16, R10")
	a.f("\tJGE %s_loop", n)
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}
