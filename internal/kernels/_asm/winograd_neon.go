package main

import "fmt"

// winogradOpsNEON writes the arm64 NEON loops of the Winograd transforms
// (winograd_neon_arm64.s; contracts in internal/kernels/winograd_go.go,
// winoImpl), F(2×2, 3×3) (names …NEON) and F(4×4, 3×3) (…4NEON), 4 tiles
// per vector. They compute the operations of the pure-Go loops in the same
// order (the n2…/n4… transforms below follow winograd_go2.go and
// winograd_go4.go, as the AVX loops' w4… do), so all paths agree bit for
// bit. Laid out for 32 q registers and no lane masks:
//
//   - Row loops: one loop per tile column s (n of them), one vector of 4
//     tiles per step, each input and output stream in its own
//     post-incremented pointer register; the last n mod 4 tiles go through
//     a stack buffer (copied in lane by lane, the vector body, copied out).
//   - Column loops: tile row by tile row, patch (or output) row by row, 4
//     tiles at a time along the row. VLD4 (VLD2 for m = 2) splits 4m image
//     columns into the m columns of each tile and VST4 (VST2) joins them
//     back; the patch's columns m and m+1 are columns 0 and 1 of the next
//     tile, shifted in with VEXT. A group that reaches past the row's ends
//     (or a row outside the plane) reads through a zero-padded stack copy
//     of its columns inside the row and writes through a stack buffer (the
//     columns inside the row copied 4 at a time, then one by one); a group
//     of fewer than 4 tiles moves its scratch lanes through a stack buffer.
//   - The input gradient carries columns m, m+1 of the previous tile's
//     c = h B from group to group in V24, V25 (VEXT puts them in place).
//
// Registers: inputs V0–V5, the transforms' temporaries V8–V15, results to
// store V16–V19, image columns V20–V23, carries V24–V27, zeros in V28, the
// constants 4 and 8 in V30, V31.
func winogradOpsNEON(a *asm) {
	for _, k := range neonRowLoops {
		k.emit(a)
		a.f("")
	}
	for i, k := range neonColLoops {
		if i > 0 {
			a.f("")
		}
		k.emit(a)
	}
}

// Constant registers: 4.0 and 8.0 in every lane (F(4×4) loops), zeros
// (column loops).
const nFour, nEight, neonZero = 30, 31, 28

// nv emits the 1-D transforms' operations on NEON vectors.
type nv struct{ a *asm }

func (w nv) add(d, x, y int)        { fadd(w.a, d, x, y) } // d = x + y
func (w nv) sub(d, x, y int)        { fsub(w.a, d, x, y) } // d = x − y
func (w nv) mul(d, x, c int)        { fmul(w.a, d, x, c) } // d = x · constant register c
func (w nv) four() int              { return nFour }
func (w nv) eight() int             { return nEight }
func (w nv) neg(d, x int)           { fneg(w.a, d, x) } // d = −x
func (w nv) mov(d, x int)           { vmov(w.a, d, x) } // d = x
func (w nv) zero(d int)             { vzero(w.a, d) }   // d = +0
func (w nv) ldq(d int, addr string) { w.a.f("\tFMOVQ %s, F%d", addr, d) }
func (w nv) stq(d int, addr string) { w.a.f("\tFMOVQ F%d, %s", d, addr) }

// n2In is colsInRow2 / rowsIn2: d0−d2, d1+d2, d2−d1, d1−d3.
func n2In(w nv, d []int, t int) []int {
	w.sub(t, d[0], d[2])
	w.add(t+1, d[1], d[2])
	w.sub(t+2, d[2], d[1])
	w.sub(t+3, d[1], d[3])
	return []int{t, t + 1, t + 2, t + 3}
}

// n2Out is colsOutRow2 / rowsOut2: (d0+d1)+d2, (d1−d2)−d3.
func n2Out(w nv, d []int, t int) []int {
	w.add(t, d[0], d[1])
	w.add(t, t, d[2])
	w.sub(t+1, d[1], d[2])
	w.sub(t+1, t+1, d[3])
	return []int{t, t + 1}
}

// n2OutGrad is colsOutGradRow2 / rowsOutGrad2: d0, d0+d1, d0−d1, −d1.
func n2OutGrad(w nv, d []int, t int) []int {
	w.add(t, d[0], d[1])
	w.sub(t+1, d[0], d[1])
	w.neg(t+2, d[1])
	return []int{d[0], t, t + 1, t + 2}
}

// n2InGrad is rowsInGrad2 and c of colsInGradRow2: d0, (d1−d2)+d3,
// (d1+d2)−d0, −d3.
func n2InGrad(w nv, d []int, t int) []int {
	w.sub(t, d[1], d[2])
	w.add(t, t, d[3])
	w.add(t+1, d[1], d[2])
	w.sub(t+1, t+1, d[0])
	w.neg(t+2, d[3])
	return []int{d[0], t, t + 1, t + 2}
}

// n4In, n4Out, n4OutGrad and n4InGrad are the F(4×4) transforms
// (winograd4_tf.go) on NEON registers.
func n4In(w nv, d []int, t int) []int      { return tf4In(w, d, t) }
func n4Out(w nv, d []int, t int) []int     { return tf4Out(w, d, t) }
func n4OutGrad(w nv, d []int, t int) []int { return tf4OutGrad(w, d, t) }
func n4InGrad(w nv, d []int, t int) []int  { return tf4InGrad(w, d, t, false) }

// neonTf is a 1-D transform emitter: inputs in the registers d, results
// returned, temporaries from V(t) on.
type neonTf func(w nv, d []int, t int) []int

// neonConsts loads 4.0 and 8.0 into V30 and V31 (m = 4 only).
func neonConsts(a *asm, m int) {
	if m != 4 {
		return
	}
	a.f("\tMOVW $0x40800000, R21")
	a.f("\tVDUP R21, V%d.S4", nFour)
	a.f("\tMOVW $0x41000000, R21")
	a.f("\tVDUP R21, V%d.S4", nEight)
}

// The stack buffers of the loops, from the hardware stack pointer (the
// frame's locals start at 8(RSP)): bufRow, 80 bytes, for image columns;
// bufH, 96 bytes, for up to 6 vectors of scratch lanes (row loops: 12).
const (
	bufRow    = 8
	bufH      = 88
	neonFrame = 88 + 12*16
)

// neonRowLoop is a row loop of tile size m: for each column s < n of the
// tile, the 1-D transform tf of the ins streams n·j+s into the outs
// streams n·o+s; fromBlock: the source is the block matrix (streams stride
// floats apart) and the destination the scratch (winoQ floats apart), else
// the other way round.
type neonRowLoop struct {
	name      string
	m         int
	fromBlock bool
	ins, outs int
	tf        neonTf
}

var neonRowLoops = []neonRowLoop{
	{"winoRowsInNEON", 2, false, 4, 4, n2In},
	{"winoRowsOutNEON", 2, true, 4, 2, n2Out},
	{"winoRowsOutGradNEON", 2, false, 2, 4, n2OutGrad},
	{"winoRowsInGradNEON", 2, true, 4, 4, n2InGrad},
	{"winoRowsIn4NEON", 4, false, 6, 6, n4In},
	{"winoRowsOut4NEON", 4, true, 6, 4, n4Out},
	{"winoRowsOutGrad4NEON", 4, false, 4, 6, n4OutGrad},
	{"winoRowsInGrad4NEON", 4, true, 6, 6, n4InGrad},
}

// winoStreamBytes is the distance of two scratch streams, winoQ floats.
const winoStreamBytes = 128 * 4

// emit writes the loop: R0 dst, R1 src, R2 the stride in bytes, R3 n, R4
// n·stride bytes (stream n·j+s to n·(j+1)+s of the block), R5 the block's
// stream s; input pointers from R6, output pointers from R12; R19 the
// vectors left, R20 the tiles of the tail.
func (k neonRowLoop) emit(a *asm) {
	w := nv{a}
	n := k.m + 2
	a.f("// func %s(dst, src unsafe.Pointer, stride, n int)", k.name)
	a.f("TEXT ·%s(SB), NOSPLIT, $%d-32", k.name, neonFrame)
	a.f("\tMOVD dst+0(FP), R0")
	a.f("\tMOVD src+8(FP), R1")
	a.f("\tMOVD stride+16(FP), R2")
	a.f("\tMOVD n+24(FP), R3")
	a.f("\tLSL $2, R2")
	a.f("\tMOVD $%d, R4", n)
	a.f("\tMUL R4, R2, R4")
	neonConsts(a, k.m)
	block, scratch := "R0", "R1"
	if k.fromBlock {
		block, scratch = "R1", "R0"
	}
	d := make([]int, k.ins)
	for j := range d {
		d[j] = j
	}
	for s := range n {
		if s == 0 {
			a.f("\tMOVD %s, R5", block)
		} else {
			a.f("\tADD R2, R5")
		}
		// pointers: count of streams, first register, on the block side
		ptrs := func(cnt, first int, onBlock bool) {
			for j := range cnt {
				r := first + j
				switch {
				case onBlock && j == 0:
					a.f("\tMOVD R5, R%d", r)
				case onBlock:
					a.f("\tADD R4, R%d, R%d", r-1, r)
				default:
					a.f("\tADD $%d, %s, R%d", (n*j+s)*winoStreamBytes, scratch, r)
				}
			}
		}
		ptrs(k.ins, 6, k.fromBlock)
		ptrs(k.outs, 12, !k.fromBlock)
		a.f("\tLSR $2, R3, R19")
		a.f("\tAND $3, R3, R20")
		a.f("\tCBZ R19, tail%d", s)
		a.f("loop%d:", s)
		for j := range k.ins {
			a.f("\tVLD1.P 16(R%d), [V%d.S4]", 6+j, j)
		}
		for o, r := range k.tf(w, d, 8) {
			a.f("\tVST1.P [V%d.S4], 16(R%d)", r, 12+o)
		}
		a.f("\tSUB $1, R19")
		a.f("\tCBNZ R19, loop%d", s)
		a.f("tail%d:", s)
		a.f("\tCBZ R20, done%d", s)
		a.f("\tADD $%d, RSP, R21", bufH)
		a.f("\tMOVD R20, R22")
		a.f("copyin%d:", s)
		for j := range k.ins {
			a.f("\tMOVWU.P 4(R%d), R23", 6+j)
			a.f("\tMOVW R23, %d(R21)", 16*j)
		}
		a.f("\tADD $4, R21")
		a.f("\tSUB $1, R22")
		a.f("\tCBNZ R22, copyin%d", s)
		a.f("\tADD $%d, RSP, R21", bufH)
		for j := range k.ins {
			w.ldq(j, fmt.Sprintf("%d(R21)", 16*j))
		}
		for o, r := range k.tf(w, d, 8) {
			w.stq(r, fmt.Sprintf("%d(R21)", 16*(6+o)))
		}
		a.f("\tMOVD R20, R22")
		a.f("copyout%d:", s)
		for o := range k.outs {
			a.f("\tMOVWU %d(R21), R23", 16*(6+o))
			a.f("\tMOVW.P R23, 4(R%d)", 12+o)
		}
		a.f("\tADD $4, R21")
		a.f("\tSUB $1, R22")
		a.f("\tCBNZ R22, copyout%d", s)
		a.f("done%d:", s)
	}
	a.f("\tRET")
}

// The directions of the column loops (winoDir's order).
const (
	nIn = iota
	nOut
	nOutGrad
	nInGrad
)

// neonColLoop is a column loop of tile size m and direction dir.
type neonColLoop struct {
	name string
	m    int
	dir  int
	tf   neonTf
}

var neonColLoops = []neonColLoop{
	{"winoColsInNEON", 2, nIn, n2In},
	{"winoColsOutNEON", 2, nOut, n2Out},
	{"winoColsOutGradNEON", 2, nOutGrad, n2OutGrad},
	{"winoColsInGradNEON", 2, nInGrad, n2InGrad},
	{"winoColsIn4NEON", 4, nIn, n4In},
	{"winoColsOut4NEON", 4, nOut, n4Out},
	{"winoColsOutGrad4NEON", 4, nOutGrad, n4OutGrad},
	{"winoColsInGrad4NEON", 4, nInGrad, n4InGrad},
}

// cols lists the image column registers V(first)… of an interleaving load
// or store of m columns per tile.
func (k neonColLoop) cols(first int) string { return vlist(first, k.m) }

// ldN and stN are the m-way deinterleaving load and interleaving store.
func (k neonColLoop) ldN() string { return fmt.Sprintf("VLD%d", k.m) }
func (k neonColLoop) stN() string { return fmt.Sprintf("VST%d", k.m) }

// emit writes the loop. Registers: R0 h, R1 plane, R2 c0, R3 nt, R4 w, R5
// hgt, R6 y0 (then the plane row of tile row k), R7 the tile rows left,
// R10 the scratch of tile row k; per patch row R11 the rows left, R12 the
// plane row, R13 its scratch, R14 its address, R15 its width (0 outside
// the plane); per group R16 the tiles (positions) left, R17 its first
// column, R19 its scratch, R20 its image columns; R21–R24 temporaries, R25
// the input gradient's end column.
func (k neonColLoop) emit(a *asm) {
	w := nv{a}
	m, n := k.m, k.m+2
	readsImage := k.dir == nIn || k.dir == nOutGrad
	x, y := "plane", "h"
	if readsImage {
		x, y = "h", "plane"
	}
	a.f("// func %s(%s, %s unsafe.Pointer, c0, nt, w, hgt, y0, rows int)", k.name, x, y)
	a.f("TEXT ·%s(SB), NOSPLIT, $%d-64", k.name, neonFrame)
	hOff := map[bool]int{true: 0, false: 8}[readsImage]
	a.f("\tMOVD h+%d(FP), R0", hOff)
	a.f("\tMOVD plane+%d(FP), R1", 8-hOff)
	for i, arg := range []string{"c0", "nt", "w", "hgt", "y0", "rows"} {
		a.f("\tMOVD %s+%d(FP), R%d", arg, 16+8*i, 2+i)
	}
	neonConsts(a, m)
	vzero(a, neonZero)
	patchRows := n
	if k.dir == nOut || k.dir == nOutGrad {
		patchRows = m
	}
	if k.dir == nInGrad {
		a.f("\tLSL $%d, R3, R25", map[int]int{2: 1, 4: 2}[m])
		a.f("\tADD R2, R25")
		a.f("\tADD $2, R25")
	}
	a.f("\tMOVD R0, R10")
	a.f("krow:")
	a.f("\tMOVD R6, R12")
	a.f("\tMOVD R10, R13")
	a.f("\tMOVD $%d, R11", patchRows)
	a.f("irow:")
	a.f("\tMOVD R4, R15")
	a.f("\tCMP $0, R12")
	a.f("\tBLT outside")
	a.f("\tCMP R5, R12")
	a.f("\tBGE outside")
	a.f("\tMUL R12, R4, R14")
	a.f("\tADD R14<<2, R1, R14")
	a.f("\tB inside")
	a.f("outside:")
	if readsImage {
		a.f("\tMOVD ZR, R15") // every column reads as zero
	} else {
		a.f("\tB inext") // nothing to write
	}
	a.f("inside:")
	switch k.dir {
	case nIn, nOutGrad:
		k.readGroups(a, w)
	case nOut:
		k.writeGroups(a, w)
	case nInGrad:
		k.addGroups(a, w)
	}
	a.f("inext:")
	a.f("\tADD $1, R12")
	a.f("\tADD $%d, R13", n*winoStreamBytes)
	a.f("\tSUB $1, R11")
	a.f("\tCBNZ R11, irow")
	a.f("\tADD $%d, R6", m)
	a.f("\tADD R3<<2, R10")
	a.f("\tSUB $1, R7")
	a.f("\tCBNZ R7, krow")
	a.f("\tRET")
}

// groupStart starts the loop over the groups of a row: R16 = tiles (plus
// extra) left, R17 = c0, R19 = the row's scratch.
func groupStart(a *asm, extra int) {
	if extra == 0 {
		a.f("\tMOVD R3, R16")
	} else {
		a.f("\tADD $%d, R3, R16", extra)
	}
	a.f("\tMOVD R2, R17")
	a.f("\tMOVD R13, R19")
	a.f("group:")
}

// groupNext moves on by 4 tiles of size m and loops while some are left.
func groupNext(a *asm, m int) {
	a.f("gnext:")
	a.f("\tADD $16, R19")
	a.f("\tADD $%d, R17", 4*m)
	a.f("\tSUBS $4, R16")
	a.f("\tBGT group")
	a.f("\tB inext")
}

// readGroups: the input-side groups (colsIn, colsOutGrad). Each reads
// span columns from R17 (straight from the row when they lie inside it,
// else through a zero-padded copy in bufRow), transforms them and stores
// the results to the scratch (a group of fewer than 4 tiles through bufH).
func (k neonColLoop) readGroups(a *asm, w nv) {
	m, n := k.m, k.m+2
	span := 4 * m
	if k.dir == nIn {
		span += 2
	}
	groupStart(a, 0)
	a.f("\tCMP $0, R17")
	a.f("\tBLT gather")
	a.f("\tADD $%d, R17, R21", span)
	a.f("\tCMP R15, R21")
	a.f("\tBGT gather")
	a.f("\tADD R17<<2, R14, R20")
	a.f("\tB loaded")
	a.f("gather:")
	gather(a, span)
	a.f("loaded:")
	a.f("\t%s (R20), %s", k.ldN(), k.cols(0))
	ins := m
	if k.dir == nIn {
		// patch columns m, m+1: columns 0, 1 of the next tile
		a.f("\tFMOVS %d(R20), F6", 16*m)
		a.f("\tFMOVS %d(R20), F7", 16*m+4)
		a.f("\tVEXT $4, V6.B16, V0.B16, V%d.B16", m)
		a.f("\tVEXT $4, V7.B16, V1.B16, V%d.B16", m+1)
		ins = n
	}
	d := make([]int, ins)
	for j := range d {
		d[j] = j
	}
	o := k.tf(w, d, 8)
	a.f("\tCMP $4, R16")
	a.f("\tBLT stail")
	for s, r := range o {
		w.stq(r, fmt.Sprintf("%d(R19)", s*winoStreamBytes))
	}
	a.f("\tB gnext")
	a.f("stail:")
	a.f("\tADD $%d, RSP, R21", bufH)
	for s, r := range o {
		w.stq(r, fmt.Sprintf("%d(R21)", 16*s))
	}
	a.f("\tMOVD R19, R24")
	a.f("\tMOVD R16, R22")
	a.f("slane:")
	for s := range o {
		a.f("\tMOVWU %d(R21), R23", 16*s)
		a.f("\tMOVW R23, %d(R24)", s*winoStreamBytes)
	}
	a.f("\tADD $4, R21")
	a.f("\tADD $4, R24")
	a.f("\tSUB $1, R22")
	a.f("\tCBNZ R22, slane")
	groupNext(a, m)
}

// loadH loads the n scratch vectors of the group into V0… (the first R22
// lanes through bufH, the others zero, when fewer than 4 tiles are left:
// R16 < full).
func (k neonColLoop) loadH(a *asm, w nv, full int) {
	n := k.m + 2
	a.f("\tCMP $%d, R16", full)
	a.f("\tBLT ltail")
	for s := range n {
		w.ldq(s, fmt.Sprintf("%d(R19)", s*winoStreamBytes))
	}
	a.f("\tB lhave")
	a.f("ltail:")
	a.f("\tADD $%d, RSP, R21", bufH)
	w.zero(0)
	for s := range n {
		w.stq(0, fmt.Sprintf("%d(R21)", 16*s))
	}
	a.f("\tSUBS $%d, R16, R22", full-4)
	a.f("\tBLE lload")
	a.f("\tMOVD R19, R24")
	a.f("llane:")
	for s := range n {
		a.f("\tMOVWU %d(R24), R23", s*winoStreamBytes)
		a.f("\tMOVW R23, %d(R21)", 16*s)
	}
	a.f("\tADD $4, R21")
	a.f("\tADD $4, R24")
	a.f("\tSUB $1, R22")
	a.f("\tCBNZ R22, llane")
	a.f("lload:")
	a.f("\tADD $%d, RSP, R21", bufH)
	for s := range n {
		w.ldq(s, fmt.Sprintf("%d(R21)", 16*s))
	}
	a.f("lhave:")
}

// toStore moves the results o into V16… (an interleaving store's list).
func toStore(w nv, o []int) {
	for j, r := range o {
		if r != 16+j {
			w.mov(16+j, r)
		}
	}
}

// colRange leaves in R21 the first column lo = max(R17, 0) of the group
// inside the row and in R22 the count hi − lo of its columns from lo below
// hi = min(R17 + cnt, limits…) (cnt an operand), jumping to skip when it
// is not positive; R23 = the row's address of column lo, R24 = bufRow's of
// column lo (the buffer holding the group's columns from R17).
func colRange(a *asm, cnt, skip string, limits ...string) {
	a.f("\tCMP $0, R17")
	a.f("\tCSEL LT, ZR, R17, R21")
	a.f("\tADD %s, R17, R22", cnt)
	for _, l := range limits {
		a.f("\tCMP %s, R22", l)
		a.f("\tCSEL GT, %s, R22, R22", l)
	}
	a.f("\tSUBS R21, R22")
	a.f("\tBLE %s", skip)
	a.f("\tADD R21<<2, R14, R23")
	a.f("\tSUB R17, R21, R24")
	a.f("\tADD $%d, RSP, R20", bufRow)
	a.f("\tADD R24<<2, R20, R24")
}

// copyCols emits the loop over the R22 columns of colRange, 4 at a time
// then one by one, with the pointers src and dst (R23, R24 in some order)
// post-incremented: op4 moves 4 columns, op1 one.
func copyCols(a *asm, label string, op4, op1 func()) {
	a.f("%s4:", label)
	a.f("\tCMP $4, R22")
	a.f("\tBLT %s1", label)
	op4()
	a.f("\tSUB $4, R22")
	a.f("\tB %s4", label)
	a.f("%s1:", label)
	a.f("\tCBZ R22, %s_end", label)
	op1()
	a.f("\tSUB $1, R22")
	a.f("\tB %s1", label)
	a.f("%s_end:", label)
}

// gather leaves in bufRow the span columns of the group from R17, those
// outside the row (or all, R15 being 0 outside the plane) zero, and its
// address in R20.
func gather(a *asm, span int) {
	a.f("\tADD $%d, RSP, R20", bufRow)
	for q := 0; q < (span+3)/4; q++ {
		a.f("\tFMOVQ F%d, %d(R20)", neonZero, 16*q)
	}
	colRange(a, fmt.Sprintf("$%d", span), "gdone", "R15")
	copyCols(a, "gcopy", func() {
		a.f("\tVLD1.P 16(R23), [V20.S4]")
		a.f("\tVST1.P [V20.S4], 16(R24)")
	}, func() {
		a.f("\tMOVWU.P 4(R23), R21")
		a.f("\tMOVW.P R21, 4(R24)")
	})
	a.f("gdone:")
	a.f("\tADD $%d, RSP, R20", bufRow)
}

// scatter moves the group's cnt columns in bufRow to the row from column
// R17, those in [0, R4) and (with end) below R25, adding them to the row's
// values with add.
func scatter(a *asm, cnt string, add, end bool) {
	limits := []string{"R4"}
	if end {
		limits = append(limits, "R25")
	}
	colRange(a, cnt, "gnext", limits...)
	if !add {
		copyCols(a, "scopy", func() {
			a.f("\tVLD1.P 16(R24), [V20.S4]")
			a.f("\tVST1.P [V20.S4], 16(R23)")
		}, func() {
			a.f("\tMOVWU.P 4(R24), R21")
			a.f("\tMOVW.P R21, 4(R23)")
		})
		return
	}
	copyCols(a, "sadd", func() {
		a.f("\tVLD1 (R23), [V20.S4]")
		a.f("\tVLD1.P 16(R24), [V21.S4]")
		fadd(a, 20, 20, 21)
		a.f("\tVST1.P [V20.S4], 16(R23)")
	}, func() {
		a.f("\tFMOVS (R23), F20")
		a.f("\tFMOVS.P 4(R24), F21")
		a.f("\tFADDS F21, F20, F20")
		a.f("\tFMOVS.P F20, 4(R23)")
	})
}

// writeGroups: the output groups (colsOut): load the scratch, transform,
// store the m columns of each tile straight to the row when the group has
// 4 tiles inside it, else through bufRow (scatter: the columns of its
// tiles inside the row).
func (k neonColLoop) writeGroups(a *asm, w nv) {
	m, n := k.m, k.m+2
	groupStart(a, 0)
	k.loadH(a, w, 4)
	d := make([]int, n)
	for j := range d {
		d[j] = j
	}
	toStore(w, k.tf(w, d, 8))
	a.f("\tCMP $4, R16")
	a.f("\tBLT wslow")
	a.f("\tCMP $0, R17")
	a.f("\tBLT wslow")
	a.f("\tADD $%d, R17, R21", 4*m)
	a.f("\tCMP R4, R21")
	a.f("\tBGT wslow")
	a.f("\tADD R17<<2, R14, R20")
	a.f("\t%s %s, (R20)", k.stN(), k.cols(16))
	a.f("\tB gnext")
	a.f("wslow:")
	a.f("\tADD $%d, RSP, R20", bufRow)
	a.f("\t%s %s, (R20)", k.stN(), k.cols(16))
	// m columns for each of the min(R16, 4) tiles
	a.f("\tMOVD $4, R21")
	a.f("\tCMP R21, R16")
	a.f("\tCSEL LT, R16, R21, R22")
	a.f("\tLSL $%d, R22", map[int]int{2: 1, 4: 2}[m])
	scatter(a, "R22", false, false)
	groupNext(a, m)
}

// addGroups: the input-gradient groups (colsInGrad) over the positions t =
// 0 … nt (R16 = nt+1 − t left): c = h B of tiles t…t+3 (zeros from nt on),
// columns m, m+1 of tiles t−1…t+2 from the carries V24, V25 (the previous
// group's, initially those of a zero tile), added to the row (columns
// below R25) straight when the group's 4m columns lie inside, else through
// bufRow.
func (k neonColLoop) addGroups(a *asm, w nv) {
	m, n := k.m, k.m+2
	d := make([]int, n)
	for j := range d {
		d[j] = j
		w.zero(j)
	}
	c := k.tf(w, d, 8)
	w.mov(24, c[m])
	w.mov(25, c[m+1])
	groupStart(a, 1)
	k.loadH(a, w, 5)
	c = k.tf(w, d, 8)
	a.f("\tVEXT $12, V%d.B16, V24.B16, V26.B16", c[m])
	a.f("\tVEXT $12, V%d.B16, V25.B16, V27.B16", c[m+1])
	w.mov(24, c[m])
	w.mov(25, c[m+1])
	w.add(16, c[0], 26)
	w.add(17, c[1], 27)
	for j := 2; j < m; j++ {
		w.mov(16+j, c[j])
	}
	a.f("\tCMP $0, R17")
	a.f("\tBLT aslow")
	a.f("\tADD $%d, R17, R21", 4*m)
	a.f("\tCMP R4, R21")
	a.f("\tBGT aslow")
	a.f("\tCMP R25, R21")
	a.f("\tBGT aslow")
	a.f("\tADD R17<<2, R14, R20")
	a.f("\t%s (R20), %s", k.ldN(), k.cols(20))
	for j := range m {
		w.add(20+j, 20+j, 16+j)
	}
	a.f("\t%s %s, (R20)", k.stN(), k.cols(20))
	a.f("\tB gnext")
	a.f("aslow:")
	a.f("\tADD $%d, RSP, R20", bufRow)
	a.f("\t%s %s, (R20)", k.stN(), k.cols(16))
	scatter(a, fmt.Sprintf("$%d", 4*m), true, true)
	groupNext(a, m)
}
