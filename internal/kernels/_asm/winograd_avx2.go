package main

import (
	"fmt"
	"strings"
)

// winogradOpsAVX2 writes the AVX2 loops of the Winograd transforms
// (contracts in internal/kernels/winograd_go.go, winoImpl), 8 tiles per
// vector, for 16 ymm registers and no mask registers. They compute the
// operations of the AVX-512 loops in the same order (so all paths agree bit
// for bit) but are laid out for AVX2:
//
//   - Tails use VMASKMOVPS with a lane mask vector. Loads of image rows
//     are always masked (by the columns inside the row: a compare of the
//     biased column numbers against the biased row width, one VPCMPGTD per
//     vector); stores are plain unless the group of 8 tiles is a tail
//     (scratch stores) or touches a border of the row (image stores), each
//     case having its own copy of the loop over the tile rows.
//   - Columns are split into even and odd ones with VSHUFPS and VPERMPD,
//     into the four columns of F(4×4) tiles with a 4×4 transpose in each
//     128-bit lane (VPERM2F128, VUNPCK…PS, VUNPCK…PD), and joined back the
//     inverse way; the patch's columns 4 and 5 are columns 0 and 1 of the
//     next tile, rotated in with VPERMPS and the ninth tile's columns
//     blended in.
//   - The F(2×2) row loops work column by column (4 loads, up to 4 results)
//     instead of loading all 16 streams; the lane masks and constants of
//     the F(4×4) column loops live on the stack or in memory.
//
// There are no loops for short tile rows (the AVX-512 …2x4…, …4x8… ones
// put several tile rows in one 16-lane vector): a row of 8 tiles fills an
// 8-lane vector.
func winogradOpsAVX2(a *asm) {
	for _, k := range winoRowKernels {
		winoRowKernelY(a, k)
		a.f("")
	}
	for _, k := range wino4RowKernels {
		wino4RowKernelY(a, k)
		a.f("")
	}
	winoColsInY(a)
	a.f("")
	winoColsOutY(a)
	a.f("")
	winoColsOutGradY(a)
	a.f("")
	winoColsInGradY(a)
	a.f("")
	wino4ColsInY(a)
	a.f("")
	wino4ColsOutY(a)
	a.f("")
	wino4ColsOutGradY(a)
	a.f("")
	wino4ColsInGradY(a)
	a.f("")
	ymmTailTable(a, "winoTailY")
	for i := 0; i < 48; i++ {
		a.f("DATA ·winoIotaY<>+%d(SB)/4, $%d", 4*i, i)
	}
	a.f("GLOBL ·winoIotaY<>(SB), RODATA|NOPTR, $192")
	for i, v := range []int{1, 2, 3, 4, 5, 6, 7, 0} {
		a.f("DATA ·winoRotY<>+%d(SB)/4, $%d", 4*i, v)
	}
	a.f("GLOBL ·winoRotY<>(SB), RODATA|NOPTR, $32")
	for i := 0; i < 8; i++ {
		v := "0xffffffff"
		if i == 0 {
			v = "0"
		}
		a.f("DATA ·winoNot0Y<>+%d(SB)/4, $%s", 4*i, v)
	}
	a.f("GLOBL ·winoNot0Y<>(SB), RODATA|NOPTR, $32")
	for _, c := range []struct {
		name string
		bits string
	}{{"winoY4", "0x40800000"}, {"winoY8", "0x41000000"}, {"winoYSign", "0x80000000"}} {
		for i := 0; i < 8; i++ {
			a.f("DATA ·%s<>+%d(SB)/4, $%s", c.name, 4*i, c.bits)
		}
		a.f("GLOBL ·%s<>(SB), RODATA|NOPTR, $32", c.name)
	}
}

// avx2Name is the AVX2 loop's name for the AVX-512 one's.
func avx2Name(name string) string { return strings.Replace(name, "AVX512", "AVX2", 1) }

// winoRowLoopY emits a row loop's loop over CX tiles, 8 at a time (body,
// then the pointers ptrs move on by 8 floats) and a tail (body with the
// mask of the lanes left in Y15), and its return.
func winoRowLoopY(a *asm, name string, ptrs []string, body func(mask string)) {
	a.f("%s_loop:", name)
	a.f("\tCMPQ CX, $8")
	a.f("\tJLT %s_tail", name)
	body("")
	for _, r := range ptrs {
		a.f("\tADDQ $32, %s", r)
	}
	a.f("\tSUBQ $8, CX")
	a.f("\tJMP %s_loop", name)
	a.f("%s_tail:", name)
	a.f("\tTESTQ CX, CX")
	a.f("\tJZ %s_done", name)
	ymmTailMask(a, "winoTailY", "CX", "Y15")
	body("Y15")
	a.f("%s_done:", name)
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}

// winoRowKernelY emits the AVX2 F(2×2) row loop of k: column s by column
// s, the inputs 4j+s into Yj, each output 4a+s into Y(4+a) (or stored
// straight from its input when it is one).
func winoRowKernelY(a *asm, k winoRowKer) {
	name := avx2Name(k.name)
	a.f("// func %s(dst, src unsafe.Pointer, stride, n int)", name)
	a.f("TEXT ·%s(SB), NOSPLIT, $0-32", name)
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
	winoRowLoopY(a, name, []string{"SI", "DI", "R10", "R11", "R12", "R13"}, func(mask string) {
		for s := 0; s < 4; s++ {
			for j := s; j < k.ins; j += 4 {
				loadY(a, in(j), mask, fmt.Sprintf("Y%d", j/4))
			}
			for o := s; o < len(k.outs); o += 4 {
				terms := k.outs[o]
				r := fmt.Sprintf("Y%d", 4+o/4)
				first := terms[0]
				src := fmt.Sprintf("Y%d", first.in/4)
				switch {
				case first.op == 'n':
					a.f("\tVXORPS ·winoYSign<>(SB), %s, %s", src, r)
					src = r
				case len(terms) == 1:
					r = src
				}
				for _, t := range terms[1:] {
					op := "VADDPS"
					if t.op == '-' {
						op = "VSUBPS"
					}
					a.f("\t%s Y%d, %s, %s", op, t.in/4, src, r)
					src = r
				}
				storeY(a, r, mask, out(o))
			}
		}
	})
}

// wino4RowKernelY emits the AVX2 F(4×4) row loop of k: per column s the
// inputs into Y0…, the transform's temporaries from Y6 on.
func wino4RowKernelY(a *asm, k wino4RowKer) {
	name := avx2Name(k.name)
	w := w4{a: a, ymm: true}
	a.f("// func %s(dst, src unsafe.Pointer, stride, n int)", name)
	a.f("TEXT ·%s(SB), NOSPLIT, $0-32", name)
	a.f("\tMOVQ dst+0(FP), DI")
	a.f("\tMOVQ src+8(FP), SI")
	a.f("\tMOVQ stride+16(FP), R8")
	a.f("\tMOVQ n+24(FP), CX")
	a.f("\tSHLQ $2, R8")
	a.f("\tLEAQ (R8)(R8*2), R9")
	a.f("\tADDQ R9, R9")
	a.f("\tLEAQ (R9)(R9*2), R12")
	a.f("\tLEAQ (R9)(R9*4), R13")
	strided, scratch := "DI", "SI"
	if k.runtimeIn {
		strided, scratch = "SI", "DI"
	}
	winoRowLoopY(a, name, []string{"SI", "DI"}, func(mask string) {
		for s := range 6 {
			if s == 0 {
				a.f("\tMOVQ %s, R11", strided)
			} else {
				a.f("\tADDQ R8, R11")
			}
			addr := func(j int, isStrided bool) string {
				if isStrided {
					return wino4Strided(j)
				}
				return fmt.Sprintf("%d(%s)", (6*j+s)*winoStride, scratch)
			}
			d := make([]int, k.ins)
			for j := range d {
				d[j] = j
				loadY(a, addr(j, k.runtimeIn), mask, w.r(j))
			}
			for o, r := range k.tf(w, d, 6) {
				storeY(a, w.r(r), mask, addr(o, !k.runtimeIn))
			}
		}
	})
}

// The stack slots (32 bytes each, from the hardware SP) of the AVX2 column
// loops: slot 0 for moving scalars into vectors, then lane masks.
const (
	ySlotTmp   = 0
	ySlotT     = 1 // the tiles t < nt (tile positions t < nt in colsInGrad)
	ySlotT2    = 2 // colsInGrad: the positions 1 ≤ t ≤ nt
	ySlotCols  = 3 // the columns inside the row, vector by vector
	yColsFrame = 8 * 32
)

func ySlot(s int) string { return fmt.Sprintf("%d(SP)", 32*s) }

// winoColArgsY is winoColArgs with a stack frame for the lane masks.
func winoColArgsY(a *asm, name, x, y, hPtr string) {
	plane := x
	if hPtr == x {
		plane = y
	}
	pos := map[bool]int{true: 0, false: 8}
	a.f("// func %s(%s, %s unsafe.Pointer, c0, nt, w, hgt, y0, rows int)", name, x, y)
	a.f("TEXT ·%s(SB), NOSPLIT, $%d-64", name, yColsFrame)
	a.f("\tMOVQ %s+%d(FP), DI", hPtr, pos[hPtr == x])
	a.f("\tMOVQ %s+%d(FP), SI", plane, pos[plane == x])
	a.f("\tMOVQ c0+16(FP), R9")
	a.f("\tMOVQ nt+24(FP), R10")
	a.f("\tMOVQ w+32(FP), R8")
	a.f("\tMOVQ hgt+40(FP), R11")
	a.f("\tMOVQ y0+48(FP), R12")
	a.f("\tMOVQ rows+56(FP), R13")
	a.f("\tLEAQ (R10*4), R15")
}

// yBroadcastBiased leaves in y the 32-bit reg + 2³¹ in every lane (through
// the stack; clobbers AX).
func yBroadcastBiased(a *asm, reg, y string) {
	a.f("\tMOVL %s, AX", reg)
	a.f("\tXORL $0x80000000, AX")
	a.f("\tMOVL AX, %s", ySlot(ySlotTmp))
	a.f("\tVPBROADCASTD %s, %s", ySlot(ySlotTmp), y)
}

// yColMasks leaves the masks of the columns R9+off … R9+off+7 inside the
// row of R8 columns (0 ≤ column < R8), for each off of offs, in the
// registers dst (or, dst[v] == "", in the stack slot ySlotCols+v); with
// two, the last mask keeps only its first two lanes. Clobbers AX, Y12–Y14.
func yColMasks(a *asm, offs []int, dst []string, two bool) {
	yBroadcastBiased(a, "R8", "Y14")
	yBroadcastBiased(a, "R9", "Y13")
	for v, off := range offs {
		r := dst[v]
		if r == "" {
			r = "Y12"
		}
		a.f("\tVPADDD ·winoIotaY<>+%d(SB), Y13, %s", 4*off, r)
		a.f("\tVPCMPGTD %s, Y14, %s", r, r)
		if two && v == len(offs)-1 {
			a.f("\tVPAND ·winoTailY<>+24(SB), %s, %s", r, r)
		}
		if dst[v] == "" {
			a.f("\tVMOVUPS %s, %s", r, ySlot(ySlotCols+v))
		}
	}
}

// yTileMask leaves in y the mask of the first min(R10 + plus, 8) lanes
// (clobbers AX, CX, DX).
func yTileMask(a *asm, plus int, y string) {
	a.f("\tLEAQ %d(R10), CX", plus)
	a.f("\tMOVQ $8, DX")
	a.f("\tCMPQ CX, DX")
	a.f("\tCMOVQGT DX, CX")
	ymmTailMask(a, "winoTailY", "CX", y)
}

// yVariants emits the loop over the tile rows of one group twice: body(p,
// false) when the group jumps to the second copy (label p+"_b", with p the
// copy's label prefix) and body(p, true) else, both going on at name_next.
// jumpB emits the test that jumps to label it is given.
func yVariants(a *asm, name string, m, patchRows int, jumpB func(label string), body func(p string, plain bool, i int)) {
	jumpB(name + "_b")
	for _, plain := range []bool{true, false} {
		p := name + "_a"
		if !plain {
			p = name + "_b"
			a.f("%s:", p)
		}
		winoRows(a, p, m, patchRows, func(i int) { body(p, plain, i) })
		if plain {
			a.f("\tJMP %s_next", name)
		}
	}
	a.f("%s_next:", name)
}

// yTailJump jumps to label when the group has fewer than 8 tiles.
func yTailJump(a *asm) func(string) {
	return func(label string) {
		a.f("\tCMPQ R10, $8")
		a.f("\tJLT %s", label)
	}
}

// yBorderJump jumps to label unless the group's span columns from R9 all
// lie in the row of R8 columns.
func yBorderJump(a *asm, span int) func(string) {
	return func(label string) {
		a.f("\tTESTQ R9, R9")
		a.f("\tJLT %s", label)
		a.f("\tLEAQ %d(R9), AX", span)
		a.f("\tCMPQ AX, R8")
		a.f("\tJGT %s", label)
	}
}

// yLoadRow loads patch row i (plane row CX+i, columns from R9) into the
// registers regs, vector v from byte offset offs[v] with the column mask
// masks[v] (a register, or "" for the stack slot ySlotCols+v, through
// Y15), all zeros if the row is outside the plane.
func yLoadRow(a *asm, p string, i int, offs []int, masks, regs []string, prefetch int) {
	zero, comp := fmt.Sprintf("%s_zero%d", p, i), fmt.Sprintf("%s_comp%d", p, i)
	winoRowAddr(a, i, zero)
	winoPrefetch(a, prefetch)
	for v, r := range regs {
		m := masks[v]
		if m == "" {
			m = "Y15"
			a.f("\tVMOVUPS %s, Y15", ySlot(ySlotCols+v))
		}
		a.f("\tVMASKMOVPS %d(AX), %s, %s", offs[v], m, r)
	}
	a.f("\tJMP %s", comp)
	a.f("%s:", zero)
	for _, r := range regs {
		a.f("\tVXORPS %s, %s, %s", r, r, r)
	}
	a.f("%s:", comp)
}

// ySplit leaves in e and o the even and odd lanes of the 16 floats lo, hi.
func ySplit(a *asm, lo, hi, e, o string) {
	a.f("\tVSHUFPS $0x88, %s, %s, %s", hi, lo, e)
	a.f("\tVPERMPD $0xD8, %s, %s", e, e)
	a.f("\tVSHUFPS $0xDD, %s, %s, %s", hi, lo, o)
	a.f("\tVPERMPD $0xD8, %s, %s", o, o)
}

// yInterleave leaves e and o interleaved (e0 o0 e1 o1 …) in lo, hi, with
// t0, t1 temporaries.
func yInterleave(a *asm, e, o, t0, t1, lo, hi string) {
	a.f("\tVUNPCKLPS %s, %s, %s", o, e, t0)
	a.f("\tVUNPCKHPS %s, %s, %s", o, e, t1)
	a.f("\tVPERM2F128 $0x20, %s, %s, %s", t1, t0, lo)
	a.f("\tVPERM2F128 $0x31, %s, %s, %s", t1, t0, hi)
}

// yStoreH stores r to the scratch address, plain or masked by Y15.
func yStoreH(a *asm, plain bool, r, addr string) {
	if plain {
		a.f("\tVMOVUPS %s, %s", r, addr)
	} else {
		a.f("\tVMASKMOVPS %s, Y15, %s", r, addr)
	}
}

// winoColsNextY ends a column loop: moves on by 8 tiles of size m and
// loops while tiles are left, then returns.
func winoColsNextY(a *asm, name string, m int) {
	a.f("\tADDQ $%d, R9", 8*m)
	a.f("\tADDQ $32, DI")
	a.f("\tSUBQ $8, R10")
	a.f("\tJGT %s_loop", name)
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}

func winoColsInY(a *asm) {
	n := "winoColsInAVX2"
	winoColArgsY(a, n, "h", "plane", "h")
	a.f("%s_loop:", n)
	yTileMask(a, 0, "Y15")
	masks := []string{"Y8", "Y9", "Y10", "Y11"}
	yColMasks(a, []int{0, 8, 2, 10}, masks, false)
	yVariants(a, n, 2, 4, yTailJump(a), func(p string, plain bool, i int) {
		yLoadRow(a, p, i, []int{0, 32, 8, 40}, masks, []string{"Y0", "Y1", "Y2", "Y3"}, 4*18)
		ySplit(a, "Y0", "Y1", "Y4", "Y5") // E0, O0
		ySplit(a, "Y2", "Y3", "Y6", "Y7") // E1, O1
		a.f("\tVSUBPS Y6, Y4, Y0")
		yStoreH(a, plain, "Y0", winoScratchAddr(i, 0, 0))
		a.f("\tVADDPS Y6, Y5, Y1")
		yStoreH(a, plain, "Y1", winoScratchAddr(i, 1, 0))
		a.f("\tVSUBPS Y5, Y6, Y2")
		yStoreH(a, plain, "Y2", winoScratchAddr(i, 2, 0))
		a.f("\tVSUBPS Y7, Y5, Y3")
		yStoreH(a, plain, "Y3", winoScratchAddr(i, 3, 0))
	})
	winoColsNextY(a, n, 2)
}

func winoColsOutY(a *asm) {
	n := "winoColsOutAVX2"
	winoColArgsY(a, n, "plane", "h", "h")
	winoWriteEnd(a, 2, 0)
	a.f("%s_loop:", n)
	yTileMask(a, 0, "Y15")
	yColMasks(a, []int{0, 8}, []string{"Y12", "Y13"}, false)
	yVariants(a, n, 2, 2, yBorderJump(a, 16), func(p string, plain bool, i int) {
		skip := fmt.Sprintf("%s_skip%d", p, i)
		for j := 0; j < 4; j++ {
			a.f("\tVMASKMOVPS %s, Y15, Y%d", winoScratchAddr(i, j, 0), j)
		}
		a.f("\tVADDPS Y1, Y0, Y4")
		a.f("\tVADDPS Y2, Y4, Y4")
		a.f("\tVSUBPS Y2, Y1, Y5")
		a.f("\tVSUBPS Y3, Y5, Y5")
		yInterleave(a, "Y4", "Y5", "Y6", "Y7", "Y8", "Y9")
		winoRowAddr(a, i, skip)
		if plain {
			a.f("\tVMOVUPS Y8, (AX)")
			a.f("\tVMOVUPS Y9, 32(AX)")
		} else {
			a.f("\tVMASKMOVPS Y8, Y12, (AX)")
			a.f("\tVMASKMOVPS Y9, Y13, 32(AX)")
		}
		a.f("%s:", skip)
	})
	winoColsNextY(a, n, 2)
}

func winoColsOutGradY(a *asm) {
	n := "winoColsOutGradAVX2"
	winoColArgsY(a, n, "h", "plane", "h")
	a.f("%s_loop:", n)
	yTileMask(a, 0, "Y15")
	masks := []string{"Y12", "Y13"}
	yColMasks(a, []int{0, 8}, masks, false)
	yVariants(a, n, 2, 2, yTailJump(a), func(p string, plain bool, i int) {
		yLoadRow(a, p, i, []int{0, 32}, masks, []string{"Y0", "Y1"}, 4*16)
		ySplit(a, "Y0", "Y1", "Y2", "Y3") // E, O
		yStoreH(a, plain, "Y2", winoScratchAddr(i, 0, 0))
		a.f("\tVADDPS Y3, Y2, Y4")
		yStoreH(a, plain, "Y4", winoScratchAddr(i, 1, 0))
		a.f("\tVSUBPS Y3, Y2, Y5")
		yStoreH(a, plain, "Y5", winoScratchAddr(i, 2, 0))
		a.f("\tVXORPS ·winoYSign<>(SB), Y3, Y6")
		yStoreH(a, plain, "Y6", winoScratchAddr(i, 3, 0))
	})
	winoColsNextY(a, n, 2)
}

// yPosMasks leaves the lane masks of the input-gradient column loops for
// positions t = nt−R10 … +7: Y15 those with t < nt, Y14 those with
// 1 ≤ t ≤ nt (clobbers AX, CX, DX).
func yPosMasks(a *asm, name string) {
	yTileMask(a, 0, "Y15")
	yTileMask(a, 1, "Y14")
	a.f("\tCMPQ R10, nt+24(FP)")
	a.f("\tJNE %s_m2", name)
	a.f("\tVANDPS ·winoNot0Y<>(SB), Y14, Y14")
	a.f("%s_m2:", name)
}

func winoColsInGradY(a *asm) {
	n := "winoColsInGradAVX2"
	winoColArgsY(a, n, "plane", "h", "h")
	winoWriteEnd(a, 2, 2)
	a.f("%s_loop:", n)
	yColMasks(a, []int{0, 8}, []string{"Y12", "Y13"}, false)
	yPosMasks(a, n)
	yVariants(a, n, 2, 4, yBorderJump(a, 16), func(p string, plain bool, i int) {
		skip := fmt.Sprintf("%s_skip%d", p, i)
		for j := 0; j < 4; j++ {
			a.f("\tVMASKMOVPS %s, Y15, Y%d", winoScratchAddr(i, j, 0), j)
			a.f("\tVMASKMOVPS %s, Y14, Y%d", winoScratchAddr(i, j, -4), 4+j)
		}
		a.f("\tVSUBPS Y2, Y1, Y8")                // a1 − a2
		a.f("\tVADDPS Y3, Y8, Y8")                // + a3
		a.f("\tVADDPS Y6, Y5, Y9")                // b1 + b2
		a.f("\tVSUBPS Y4, Y9, Y9")                // − b0
		a.f("\tVXORPS ·winoYSign<>(SB), Y7, Y10") // −b3
		a.f("\tVADDPS Y9, Y0, Y11")
		a.f("\tVADDPS Y10, Y8, Y0")
		yInterleave(a, "Y11", "Y0", "Y1", "Y2", "Y3", "Y4")
		winoRowAddr(a, i, skip)
		winoPrefetch(a, 4*16)
		if plain {
			a.f("\tVMOVUPS (AX), Y5")
			a.f("\tVMOVUPS 32(AX), Y6")
		} else {
			a.f("\tVMASKMOVPS (AX), Y12, Y5")
			a.f("\tVMASKMOVPS 32(AX), Y13, Y6")
		}
		a.f("\tVADDPS Y3, Y5, Y5")
		a.f("\tVADDPS Y4, Y6, Y6")
		if plain {
			a.f("\tVMOVUPS Y5, (AX)")
			a.f("\tVMOVUPS Y6, 32(AX)")
		} else {
			a.f("\tVMASKMOVPS Y5, Y12, (AX)")
			a.f("\tVMASKMOVPS Y6, Y13, 32(AX)")
		}
		a.f("%s:", skip)
	})
	a.f("\tADDQ $32, DI")
	a.f("\tADDQ $16, R9")
	a.f("\tSUBQ $8, R10")
	a.f("\tJGE %s_loop", n)
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}

// ySplit4 leaves in out[j] the columns 4t+j (t < 8) of the 32 columns in
// v[0…3] (a 4×4 transpose in each 128-bit lane: tiles 0–3 in the low
// lanes, 4–7 in the high ones), using tmp[0…7].
func ySplit4(a *asm, v, out [4]int, tmp [8]int) {
	y := func(i int) string { return fmt.Sprintf("Y%d", i) }
	A, C, B, D := y(tmp[0]), y(tmp[1]), y(tmp[2]), y(tmp[3])
	a.f("\tVPERM2F128 $0x20, %s, %s, %s", y(v[2]), y(v[0]), A) // tiles 0, 4
	a.f("\tVPERM2F128 $0x31, %s, %s, %s", y(v[2]), y(v[0]), C) // tiles 1, 5
	a.f("\tVPERM2F128 $0x20, %s, %s, %s", y(v[3]), y(v[1]), B) // tiles 2, 6
	a.f("\tVPERM2F128 $0x31, %s, %s, %s", y(v[3]), y(v[1]), D) // tiles 3, 7
	L1, H1, L2, H2 := y(tmp[4]), y(tmp[5]), y(tmp[6]), y(tmp[7])
	a.f("\tVUNPCKLPS %s, %s, %s", C, A, L1)
	a.f("\tVUNPCKHPS %s, %s, %s", C, A, H1)
	a.f("\tVUNPCKLPS %s, %s, %s", D, B, L2)
	a.f("\tVUNPCKHPS %s, %s, %s", D, B, H2)
	a.f("\tVUNPCKLPD %s, %s, %s", L2, L1, y(out[0]))
	a.f("\tVUNPCKHPD %s, %s, %s", L2, L1, y(out[1]))
	a.f("\tVUNPCKLPD %s, %s, %s", H2, H1, y(out[2]))
	a.f("\tVUNPCKHPD %s, %s, %s", H2, H1, y(out[3]))
}

// yJoin4 is the inverse of ySplit4: out[0…3] = the 32 columns whose column
// 4t+j is c[j][t], using tmp[0…7].
func yJoin4(a *asm, c, out [4]int, tmp [8]int) {
	y := func(i int) string { return fmt.Sprintf("Y%d", i) }
	L1, H1, L2, H2 := y(tmp[0]), y(tmp[1]), y(tmp[2]), y(tmp[3])
	a.f("\tVUNPCKLPS %s, %s, %s", y(c[1]), y(c[0]), L1)
	a.f("\tVUNPCKHPS %s, %s, %s", y(c[1]), y(c[0]), H1)
	a.f("\tVUNPCKLPS %s, %s, %s", y(c[3]), y(c[2]), L2)
	a.f("\tVUNPCKHPS %s, %s, %s", y(c[3]), y(c[2]), H2)
	P0, P1, P2, P3 := y(tmp[4]), y(tmp[5]), y(tmp[6]), y(tmp[7])
	a.f("\tVUNPCKLPD %s, %s, %s", L2, L1, P0) // tiles 0, 4
	a.f("\tVUNPCKHPD %s, %s, %s", L2, L1, P1) // tiles 1, 5
	a.f("\tVUNPCKLPD %s, %s, %s", H2, H1, P2) // tiles 2, 6
	a.f("\tVUNPCKHPD %s, %s, %s", H2, H1, P3) // tiles 3, 7
	a.f("\tVPERM2F128 $0x20, %s, %s, %s", P1, P0, y(out[0]))
	a.f("\tVPERM2F128 $0x20, %s, %s, %s", P3, P2, y(out[1]))
	a.f("\tVPERM2F128 $0x31, %s, %s, %s", P1, P0, y(out[2]))
	a.f("\tVPERM2F128 $0x31, %s, %s, %s", P3, P2, y(out[3]))
}

// yNoMasks are the masks argument of yLoadRow for masks in the stack slots.
var yNoMasks = []string{"", "", "", "", ""}

func wino4ColsInY(a *asm) {
	n := "winoColsIn4AVX2"
	w := w4{a: a, ymm: true}
	winoColArgsY(a, n, "h", "plane", "h")
	a.f("%s_loop:", n)
	yTileMask(a, 0, "Y15")
	a.f("\tVMOVUPS Y15, %s", ySlot(ySlotT))
	yColMasks(a, []int{0, 8, 16, 24, 32}, yNoMasks, true)
	yVariants(a, n, 4, 6, yTailJump(a), func(p string, plain bool, i int) {
		yLoadRow(a, p, i, []int{0, 32, 64, 96, 128}, yNoMasks, []string{"Y0", "Y1", "Y2", "Y3", "Y13"}, 4*34)
		ySplit4(a, [4]int{0, 1, 2, 3}, [4]int{0, 1, 2, 3}, [8]int{5, 6, 7, 8, 9, 10, 11, 12})
		// columns 4t+4 and 4t+5: columns 0 and 1 of tile t+1, the ninth
		// tile's (columns 32, 33) from Y13
		a.f("\tVMOVUPS ·winoRotY<>(SB), Y14")
		a.f("\tVPERMPS Y0, Y14, Y4")
		a.f("\tVBROADCASTSS X13, Y15")
		a.f("\tVBLENDPS $0x80, Y15, Y4, Y4")
		a.f("\tVPERMPS Y1, Y14, Y5")
		a.f("\tVMOVSHDUP Y13, Y15")
		a.f("\tVBROADCASTSS X15, Y15")
		a.f("\tVBLENDPS $0x80, Y15, Y5, Y5")
		o := tf4In(w, []int{0, 1, 2, 3, 4, 5}, 6)
		if !plain {
			a.f("\tVMOVUPS %s, Y15", ySlot(ySlotT))
		}
		for s, r := range o {
			yStoreH(a, plain, w.r(r), wino4Scratch(i, s, 0))
		}
	})
	winoColsNextY(a, n, 4)
}

func wino4ColsOutY(a *asm) {
	n := "winoColsOut4AVX2"
	w := w4{a: a, ymm: true}
	winoColArgsY(a, n, "plane", "h", "h")
	winoWriteEnd(a, 4, 0)
	a.f("%s_loop:", n)
	yTileMask(a, 0, "Y15")
	a.f("\tVMOVUPS Y15, %s", ySlot(ySlotT))
	yColMasks(a, []int{0, 8, 16, 24}, yNoMasks, false)
	yVariants(a, n, 4, 4, yBorderJump(a, 32), func(p string, plain bool, i int) {
		skip := fmt.Sprintf("%s_skip%d", p, i)
		a.f("\tVMOVUPS %s, Y15", ySlot(ySlotT))
		for s := range 6 {
			a.f("\tVMASKMOVPS %s, Y15, Y%d", wino4Scratch(i, s, 0), s)
		}
		o := tf4Out(w, []int{0, 1, 2, 3, 4, 5}, 6)
		yJoin4(a, [4]int(o), [4]int{8, 9, 10, 11}, [8]int{0, 1, 2, 3, 4, 5, 6, 7})
		winoRowAddr(a, i, skip)
		for v := range 4 {
			if plain {
				a.f("\tVMOVUPS Y%d, %d(AX)", 8+v, 32*v)
			} else {
				a.f("\tVMOVUPS %s, Y15", ySlot(ySlotCols+v))
				a.f("\tVMASKMOVPS Y%d, Y15, %d(AX)", 8+v, 32*v)
			}
		}
		a.f("%s:", skip)
	})
	winoColsNextY(a, n, 4)
}

func wino4ColsOutGradY(a *asm) {
	n := "winoColsOutGrad4AVX2"
	w := w4{a: a, ymm: true}
	winoColArgsY(a, n, "h", "plane", "h")
	a.f("%s_loop:", n)
	yTileMask(a, 0, "Y15")
	a.f("\tVMOVUPS Y15, %s", ySlot(ySlotT))
	yColMasks(a, []int{0, 8, 16, 24}, yNoMasks, false)
	yVariants(a, n, 4, 4, yTailJump(a), func(p string, plain bool, i int) {
		yLoadRow(a, p, i, []int{0, 32, 64, 96}, yNoMasks, []string{"Y0", "Y1", "Y2", "Y3"}, 4*32)
		ySplit4(a, [4]int{0, 1, 2, 3}, [4]int{0, 1, 2, 3}, [8]int{4, 5, 6, 7, 8, 9, 10, 11})
		o := tf4OutGrad(w, []int{0, 1, 2, 3}, 4)
		if !plain {
			a.f("\tVMOVUPS %s, Y15", ySlot(ySlotT))
		}
		for b, r := range o {
			yStoreH(a, plain, w.r(r), wino4Scratch(i, b, 0))
		}
	})
	winoColsNextY(a, n, 4)
}

func wino4ColsInGradY(a *asm) {
	n := "winoColsInGrad4AVX2"
	w := w4{a: a, ymm: true}
	winoColArgsY(a, n, "plane", "h", "h")
	winoWriteEnd(a, 4, 2)
	a.f("%s_loop:", n)
	yColMasks(a, []int{0, 8, 16, 24}, yNoMasks, false)
	yPosMasks(a, n)
	a.f("\tVMOVUPS Y15, %s", ySlot(ySlotT))
	a.f("\tVMOVUPS Y14, %s", ySlot(ySlotT2))
	yVariants(a, n, 4, 6, yBorderJump(a, 32), func(p string, plain bool, i int) {
		skip := fmt.Sprintf("%s_skip%d", p, i)
		// columns 4 and 5 of tile t−1's c (Y14, then Y15)
		a.f("\tVMOVUPS %s, Y15", ySlot(ySlotT2))
		for s := range 6 {
			a.f("\tVMASKMOVPS %s, Y15, Y%d", wino4Scratch(i, s, -4), 8+s)
		}
		prev := tf4InGrad(w, []int{8, 9, 10, 11, 12, 13}, 14, true)
		a.f("\tVMOVAPS Y%d, Y15", prev[5])
		p4, p5 := prev[4], 15
		a.f("\tVMOVUPS %s, Y6", ySlot(ySlotT))
		for s := range 6 {
			a.f("\tVMASKMOVPS %s, Y6, Y%d", wino4Scratch(i, s, 0), s)
		}
		c := tf4InGrad(w, []int{0, 1, 2, 3, 4, 5}, 6, false)
		w.add(c[0], c[0], p4)
		w.add(c[1], c[1], p5)
		yJoin4(a, [4]int(c), [4]int{8, 9, 10, 11}, [8]int{0, 1, 2, 3, 4, 5, 6, 7})
		winoRowAddr(a, i, skip)
		winoPrefetch(a, 4*32)
		for v := range 4 {
			if plain {
				a.f("\tVMOVUPS %d(AX), Y12", 32*v)
				a.f("\tVADDPS Y%d, Y12, Y12", 8+v)
				a.f("\tVMOVUPS Y12, %d(AX)", 32*v)
			} else {
				a.f("\tVMOVUPS %s, Y15", ySlot(ySlotCols+v))
				a.f("\tVMASKMOVPS %d(AX), Y15, Y12", 32*v)
				a.f("\tVADDPS Y%d, Y12, Y12", 8+v)
				a.f("\tVMASKMOVPS Y12, Y15, %d(AX)", 32*v)
			}
		}
		a.f("%s:", skip)
	})
	a.f("\tADDQ $32, DI")
	a.f("\tADDQ $32, R9")
	a.f("\tSUBQ $8, R10")
	a.f("\tJGE %s_loop", n)
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}
