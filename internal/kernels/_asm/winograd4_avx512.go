package main

import "fmt"

// wino4Ops writes the AVX-512 loops of the F(4×4, 3×3) Winograd transforms
// (names …4AVX512; contracts in internal/kernels/winograd_go.go, winoImpl,
// with m = 4, n = 6) and their constants. Each loop applies one 1-D
// transform (the w4… emitters below, the same operations in the same order
// as in4 … in winograd_go4.go) to 16 tiles per vector, with masked
// tails. The column loops split 64 image columns into the four columns of
// each tile (two levels of VPERMT2PS even/odd splits; the patch's columns
// 4 and 5 are columns 0 and 1 of the next tile, shifted in with one more
// permutation) or interleave four vectors back into 64 columns.
func wino4Ops(a *asm) {
	for _, k := range wino4RowKernels {
		k.emit(a)
		a.f("")
	}
	wino4ColsIn(a)
	a.f("")
	wino4ColsOut(a)
	a.f("")
	wino4ColsOutGrad(a)
	a.f("")
	wino4ColsInGrad(a)
	a.f("")
	wino4PackedOps(a)
	perm(a, "wino4Next", func(i int) int { return i + 1 })
	perm(a, "wino4Next2", func(i int) int { return i + 1 + i/15 })
	a.f("DATA ·wino4Four<>+0(SB)/4, $0x40800000")
	a.f("GLOBL ·wino4Four<>(SB), RODATA|NOPTR, $4")
	a.f("DATA ·wino4Eight<>+0(SB)/4, $0x41000000")
	a.f("GLOBL ·wino4Eight<>(SB), RODATA|NOPTR, $4")
}

// The constant registers of the F(4×4) loops.
const (
	w4Even, w4Odd, w4Lo, w4Hi = 24, 25, 26, 27 // winoEven, winoOdd, winoLo, winoHi
	w4Next, w4Next2           = 22, 23         // wino4Next, wino4Next2
	w4Four, w4Eight, w4Sign   = 28, 29, 30     // 4.0, 8.0, the sign bit
)

// w4 emits three-operand vector operations on Z registers, or with ymm on
// Y registers, the constants (w4Four, w4Eight, the sign bit) then read
// from memory (the AVX2 loops have no registers to spare for them).
type w4 struct {
	a   *asm
	ymm bool
}

// r names vector register i.
func (w w4) r(i int) string {
	if w.ymm {
		return fmt.Sprintf("Y%d", i)
	}
	return fmt.Sprintf("Z%d", i)
}

// konst is the operand of constant register c.
func (w w4) konst(c int) string {
	if !w.ymm {
		return w.r(c)
	}
	return map[int]string{w4Four: "·winoY4<>(SB)", w4Eight: "·winoY8<>(SB)", w4Sign: "·winoYSign<>(SB)"}[c]
}

func (w w4) add(d, x, y int) { w.a.f("\tVADDPS %s, %s, %s", w.r(y), w.r(x), w.r(d)) }     // d = x + y
func (w w4) sub(d, x, y int) { w.a.f("\tVSUBPS %s, %s, %s", w.r(y), w.r(x), w.r(d)) }     // d = x − y
func (w w4) mul(d, x, c int) { w.a.f("\tVMULPS %s, %s, %s", w.konst(c), w.r(x), w.r(d)) } // d = x · constant c
func (w w4) four() int       { return w4Four }
func (w w4) eight() int      { return w4Eight }
func (w w4) neg(d, x int) {
	op := "VPXORD"
	if w.ymm {
		op = "VXORPS"
	}
	w.a.f("\t%s %s, %s, %s", op, w.konst(w4Sign), w.r(x), w.r(d))
}

// perm leaves in d the lanes idx of the concatenation x ‖ y.
func (w w4) perm(d, x, y, idx int) {
	w.a.f("\tVMOVAPS Z%d, Z%d", x, d)
	w.a.f("\tVPERMT2PS Z%d, Z%d, Z%d", y, idx, d)
}

// split4 leaves in out[j] the columns 4t+j (t < 16) of the 64 columns in
// v[0…3], using tmp[0…3].
func (w w4) split4(v, tmp, out [4]int) {
	w.perm(tmp[0], v[0], v[1], w4Even)
	w.perm(tmp[1], v[0], v[1], w4Odd)
	w.perm(tmp[2], v[2], v[3], w4Even)
	w.perm(tmp[3], v[2], v[3], w4Odd)
	w.perm(out[0], tmp[0], tmp[2], w4Even)
	w.perm(out[2], tmp[0], tmp[2], w4Odd)
	w.perm(out[1], tmp[1], tmp[3], w4Even)
	w.perm(out[3], tmp[1], tmp[3], w4Odd)
}

// join4 is the inverse of split4: out[0…3] = the 64 columns whose column
// 4t+j is c[j][t].
func (w w4) join4(c, tmp, out [4]int) {
	w.perm(tmp[0], c[0], c[2], w4Lo)
	w.perm(tmp[1], c[0], c[2], w4Hi)
	w.perm(tmp[2], c[1], c[3], w4Lo)
	w.perm(tmp[3], c[1], c[3], w4Hi)
	w.perm(out[0], tmp[0], tmp[2], w4Lo)
	w.perm(out[1], tmp[0], tmp[2], w4Hi)
	w.perm(out[2], tmp[1], tmp[3], w4Lo)
	w.perm(out[3], tmp[1], tmp[3], w4Hi)
}

// wino4RowKer is an F(4×4) row loop: for each column s < 6 of the tile, the
// 1-D transform tf of the streams 6j+s (j < ins) into the streams 6o+s;
// runtimeIn: the source is the block matrix (streams stride floats apart),
// else the scratch (winoQ floats apart).
type wino4RowKer struct {
	name      string
	runtimeIn bool
	ins       int
	tf        func(w tfOps, d []int, t int) []int
}

var wino4RowKernels = []wino4RowKer{
	{"winoRowsIn4AVX512", false, 6, tf4In},
	{"winoRowsOut4AVX512", true, 6, tf4Out},
	{"winoRowsOutGrad4AVX512", false, 4, tf4OutGrad},
	{"winoRowsInGrad4AVX512", true, 6, func(w tfOps, d []int, t int) []int { return tf4InGrad(w, d, t, false) }},
}

// wino4Strided is the address of stream 6j+s of the block matrix, R11 being
// that of stream s, R9 = 6·stride·4, R12 = 18·…, R13 = 30·….
func wino4Strided(j int) string {
	return []string{"(R11)", "(R11)(R9*1)", "(R11)(R9*2)", "(R11)(R12*1)", "(R11)(R9*4)", "(R11)(R13*1)"}[j]
}

// body emits one vector of the row loop for column s; masked: loads zero
// and stores skip the lanes off K1.
func (k wino4RowKer) body(a *asm, s int, masked bool) {
	w := w4{a: a}
	strided, scratch := "DI", "SI"
	if k.runtimeIn {
		strided, scratch = "SI", "DI"
	}
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
		if masked {
			a.f("\tVMOVUPS.Z %s, K1, Z%d", addr(j, k.runtimeIn), j)
		} else {
			a.f("\tVMOVUPS %s, Z%d", addr(j, k.runtimeIn), j)
		}
	}
	for o, r := range k.tf(w, d, 6) {
		if masked {
			a.f("\tVMOVUPS Z%d, K1, %s", r, addr(o, !k.runtimeIn))
		} else {
			a.f("\tVMOVUPS Z%d, %s", r, addr(o, !k.runtimeIn))
		}
	}
}

func (k wino4RowKer) emit(a *asm) {
	a.f("// func %s(dst, src unsafe.Pointer, stride, n int)", k.name)
	a.f("TEXT ·%s(SB), NOSPLIT, $0-32", k.name)
	a.f("\tMOVQ dst+0(FP), DI")
	a.f("\tMOVQ src+8(FP), SI")
	a.f("\tMOVQ stride+16(FP), R8")
	a.f("\tMOVQ n+24(FP), CX")
	a.f("\tSHLQ $2, R8")
	a.f("\tLEAQ (R8)(R8*2), R9")
	a.f("\tADDQ R9, R9")
	a.f("\tLEAQ (R9)(R9*2), R12")
	a.f("\tLEAQ (R9)(R9*4), R13")
	a.f("\tVBROADCASTSS ·wino4Four<>(SB), Z%d", w4Four)
	a.f("\tVBROADCASTSS ·wino4Eight<>(SB), Z%d", w4Eight)
	a.f("\tVBROADCASTSS ·winoSign<>(SB), Z%d", w4Sign)
	winoRowLoop(a, k.name, []string{"SI", "DI"}, func(masked bool) {
		for s := range 6 {
			k.body(a, s, masked)
		}
	})
}

// wino4RowMask64 sets k[0…3] to the columns R9+16v … R9+16v+15 inside the
// row (R9 … R9+63, as winoRowMask in two halves of 32); with extra, k[4] to
// columns R9+64 and R9+65. Clobbers AX, BX, CX, DX.
func wino4RowMask64(a *asm, k []string, extra bool) {
	winoRowMask(a, 32)
	winoKMask(a, k[0], 0)
	winoKMask(a, k[1], 16)
	a.f("\tADDQ $32, R9")
	if extra {
		winoRowMask(a, 34)
		winoKMask(a, k[4], 32)
	} else {
		winoRowMask(a, 32)
	}
	winoKMask(a, k[2], 0)
	winoKMask(a, k[3], 16)
	a.f("\tSUBQ $32, R9")
}

// wino4LoadRow loads `vecs` vectors of 16 columns of patch row i from
// column R9 on into Z0…, lanes off K2… (outside the row) as zeros, all
// zeros if the row is outside the plane.
func wino4LoadRow(a *asm, name string, i, vecs int) {
	zero, comp := fmt.Sprintf("%s_zero%d", name, i), fmt.Sprintf("%s_comp%d", name, i)
	winoRowAddr(a, i, zero)
	winoPrefetch(a, 64*vecs)
	for v := range vecs {
		a.f("\tVMOVUPS.Z %d(AX), K%d, Z%d", 64*v, 2+v, v)
	}
	a.f("\tJMP %s", comp)
	a.f("%s:", zero)
	for v := range vecs {
		a.f("\tVPXORD Z%d, Z%d, Z%d", v, v, v)
	}
	a.f("%s:", comp)
}

// wino4Scratch is the address of stream 6i+s of the tile row's scratch.
func wino4Scratch(i, s, off int) string {
	return fmt.Sprintf("%d(R14)", (6*i+s)*winoStride+off)
}

func wino4ColsIn(a *asm) {
	n := "winoColsIn4AVX512"
	w := w4{a: a}
	winoColArgs(a, n, "h", "plane", "h")
	a.f("\tVMOVUPS ·winoEven<>(SB), Z%d", w4Even)
	a.f("\tVMOVUPS ·winoOdd<>(SB), Z%d", w4Odd)
	a.f("\tVMOVUPS ·wino4Next<>(SB), Z%d", w4Next)
	a.f("\tVMOVUPS ·wino4Next2<>(SB), Z%d", w4Next2)
	a.f("\tVBROADCASTSS ·wino4Four<>(SB), Z%d", w4Four)
	a.f("%s_loop:", n)
	winoColMask(a)
	wino4RowMask64(a, []string{"K2", "K3", "K4", "K5", "K6"}, true)
	winoRows(a, n, 4, 6, func(i int) {
		wino4LoadRow(a, n, i, 5)
		w.split4([4]int{0, 1, 2, 3}, [4]int{5, 6, 7, 8}, [4]int{9, 11, 10, 12})
		w.perm(13, 9, 4, w4Next)   // columns 4t+4
		w.perm(14, 11, 4, w4Next2) // columns 4t+5
		for s, r := range tf4In(w, []int{9, 11, 10, 12, 13, 14}, 15) {
			a.f("\tVMOVUPS Z%d, K1, %s", r, wino4Scratch(i, s, 0))
		}
	})
	winoColsNext(a, n, 4)
}

func wino4ColsOut(a *asm) {
	n := "winoColsOut4AVX512"
	w := w4{a: a}
	winoColArgs(a, n, "plane", "h", "h")
	winoWriteEnd(a, 4, 0)
	a.f("\tVMOVUPS ·winoLo<>(SB), Z%d", w4Lo)
	a.f("\tVMOVUPS ·winoHi<>(SB), Z%d", w4Hi)
	a.f("\tVBROADCASTSS ·wino4Four<>(SB), Z%d", w4Four)
	a.f("\tVBROADCASTSS ·wino4Eight<>(SB), Z%d", w4Eight)
	a.f("%s_loop:", n)
	winoColMask(a)
	wino4RowMask64(a, []string{"K2", "K3", "K4", "K5"}, false)
	winoRows(a, n, 4, 4, func(i int) {
		skip := fmt.Sprintf("%s_skip%d", n, i)
		for s := range 6 {
			a.f("\tVMOVUPS.Z %s, K1, Z%d", wino4Scratch(i, s, 0), s)
		}
		o := tf4Out(w, []int{0, 1, 2, 3, 4, 5}, 6)
		w.join4([4]int(o), [4]int{13, 14, 15, 16}, [4]int{17, 18, 19, 20})
		winoRowAddr(a, i, skip)
		for v := range 4 {
			a.f("\tVMOVUPS Z%d, K%d, %d(AX)", 17+v, 2+v, 64*v)
		}
		a.f("%s:", skip)
	})
	winoColsNext(a, n, 4)
}

func wino4ColsOutGrad(a *asm) {
	n := "winoColsOutGrad4AVX512"
	w := w4{a: a}
	winoColArgs(a, n, "h", "plane", "h")
	a.f("\tVMOVUPS ·winoEven<>(SB), Z%d", w4Even)
	a.f("\tVMOVUPS ·winoOdd<>(SB), Z%d", w4Odd)
	a.f("\tVBROADCASTSS ·wino4Four<>(SB), Z%d", w4Four)
	a.f("%s_loop:", n)
	winoColMask(a)
	wino4RowMask64(a, []string{"K2", "K3", "K4", "K5"}, false)
	winoRows(a, n, 4, 4, func(i int) {
		wino4LoadRow(a, n, i, 4)
		w.split4([4]int{0, 1, 2, 3}, [4]int{4, 5, 6, 7}, [4]int{8, 9, 10, 11})
		for b, r := range tf4OutGrad(w, []int{8, 9, 10, 11}, 12) {
			a.f("\tVMOVUPS Z%d, K1, %s", r, wino4Scratch(i, b, 0))
		}
	})
	winoColsNext(a, n, 4)
}

func wino4ColsInGrad(a *asm) {
	n := "winoColsInGrad4AVX512"
	w := w4{a: a}
	winoColArgs(a, n, "plane", "h", "h")
	winoWriteEnd(a, 4, 2)
	a.f("// Positions t = nt−R10 … +15 of 0 … nt: K1 the lanes with t < nt (tile t),")
	a.f("// K2 those with 1 ≤ t ≤ nt (tile t−1, read 4 bytes back).")
	a.f("\tVMOVUPS ·winoLo<>(SB), Z%d", w4Lo)
	a.f("\tVMOVUPS ·winoHi<>(SB), Z%d", w4Hi)
	a.f("\tVBROADCASTSS ·wino4Four<>(SB), Z%d", w4Four)
	a.f("\tVBROADCASTSS ·winoSign<>(SB), Z%d", w4Sign)
	a.f("%s_loop:", n)
	winoPosMasks(a, n)
	wino4RowMask64(a, []string{"K3", "K4", "K5", "K6"}, false)
	winoRows(a, n, 4, 6, func(i int) {
		skip := fmt.Sprintf("%s_skip%d", n, i)
		for s := range 6 {
			a.f("\tVMOVUPS.Z %s, K2, Z%d", wino4Scratch(i, s, -4), s)
		}
		p := tf4InGrad(w, []int{0, 1, 2, 3, 4, 5}, 6, true)
		for s := range 6 {
			a.f("\tVMOVUPS.Z %s, K1, Z%d", wino4Scratch(i, s, 0), 9+s)
		}
		c := tf4InGrad(w, []int{9, 10, 11, 12, 13, 14}, 15, false)
		w.add(c[0], c[0], p[4])
		w.add(c[1], c[1], p[5])
		w.join4([4]int(c), [4]int{0, 1, 2, 3}, [4]int{4, 5, 6, 7})
		winoRowAddr(a, i, skip)
		winoPrefetch(a, 4*64)
		for v := range 4 {
			a.f("\tVMOVUPS.Z %d(AX), K%d, Z8", 64*v, 3+v)
			a.f("\tVADDPS Z%d, Z8, Z8", 4+v)
			a.f("\tVMOVUPS Z8, K%d, %d(AX)", 3+v, 64*v)
		}
		a.f("%s:", skip)
	})
	a.f("\tADDQ $64, DI")
	a.f("\tADDQ $64, R9")
	a.f("\tSUBQ $16, R10")
	a.f("\tJGE %s_loop", n)
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}
