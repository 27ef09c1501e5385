package main

import "fmt"

// normActPoolOpsAVX2 writes the AVX2+FMA loops of pool.go (the
// fused batch norm, PReLU/ReLU and 2×2 max pool of one plane, and the two
// passes of its backward), designed for 16 ymm registers and no mask
// registers.
//
// Each iteration covers 8 pooled outputs of one output row: 16 input
// columns of its two input rows (four loads), split into the four window
// positions with VSHUFPS, which leaves the outputs in the lane order
// 0 1 4 5 2 3 6 7 (within 128-bit halves). Every per-output vector of an
// iteration is in that order: the forward puts its maxima back in order
// with one VPERMPD $0xD8 and its window indices with VPSHUFB and
// VPUNPCKLWD; the backward passes permute the pooled gradient and the
// indices they load the same way, and VUNPCKLPS/VUNPCKHPS of two window
// positions give the input columns in order. The last iteration of a row
// (1…7 outputs) is a second copy of the code whose loads and stores are
// VMASKMOVPS under the masks of poolTail (masked-out lanes load as zero),
// with the window-index bytes moved one at a time. A plane 8 wide whose
// windows cover every row runs the Flat8 copies instead, 8 outputs (two
// output rows, four input rows) per iteration over the whole plane: in a
// row loop its 4 outputs per row would all be tails.
//
// Registers: R10 input row bytes (W·4), BX output rows left, CX outputs
// left in the row; SI, R8, R9 (R14) the rows of the input, the output or
// pooled gradient, the window indices (and the input gradient); DX, DI,
// R11 (R13) the columns; AX the tail's masks.
func normActPoolOpsAVX2(a *asm) {
	a.f("// AVX2+FMA loops of pool.go, written by _asm/pool_avx2.go")
	a.f("// (layout and registers described there).")
	a.f("")
	// poolc: int32 1, 2, 3, 0, the sign bit (8 lanes each), and the VPSHUFB
	// control taking byte 0 of each dword of a 128-bit half to its bytes 0–3.
	off := 0
	vec := func(v func(i int) uint32) {
		for i := 0; i < 8; i++ {
			a.f("DATA poolc<>+%d(SB)/4, $0x%08x", off, v(i))
			off += 4
		}
	}
	for _, c := range []uint32{1, 2, 3, 0, 0x80000000} {
		vec(func(int) uint32 { return c })
	}
	vec(func(i int) uint32 {
		if i%4 == 0 {
			return 0x0c080400
		}
		return 0x80808080
	})
	a.f("GLOBL poolc<>(SB), RODATA|NOPTR, $%d", off)
	a.f("")
	// poolTail: for n = 0…7 outputs, the masks of the input columns 0–7
	// (lanes < min(2n, 8)), 8–15 (lanes < 2n − 8) and the outputs (< n).
	for n := 0; n < 8; n++ {
		for i, k := range []int{min(2*n, 8), max(2*n-8, 0), n} {
			for l := 0; l < 8; l++ {
				v := "0x00000000"
				if l < k {
					v = "0xffffffff"
				}
				a.f("DATA poolTail<>+%d(SB)/4, $%s", 96*n+32*i+4*l, v)
			}
		}
	}
	a.f("GLOBL poolTail<>(SB), RODATA|NOPTR, $768")
	a.f("")
	for _, flat := range []bool{false, true} {
		p := &poolA2{a: a, flat: flat}
		p.forward()
		p.stats()
		p.backward()
	}
}

type poolA2 struct {
	a      *asm
	masked bool
	// flat is set while emitting the loops of planes 8 wide (the Flat8
	// kernels, poolFlat8 in pool_avx2_amd64.go).
	flat bool
}

// arg names the frame slot of argument name at offset off of the
// row-loop kernels' frame (the flat kernels' frame has n in place of W,
// OH and OW: 16 bytes less after them).
func (p *poolA2) arg(name string, off int) string {
	if p.flat && off > 24 {
		off -= 16
	}
	return fmt.Sprintf("%s+%d(FP)", name, off)
}

// addr is the address of vector i of an iteration's 16 input columns at
// ptr: 0, 1 the top row's columns 0–7 and 8–15, 2, 3 the bottom row's. In
// a flat plane 8 wide an iteration's 8 outputs are two output rows, from
// the four input rows at ptr: "top" rows 0 and 2, "bottom" rows 1 and 3,
// which the same VSHUFPS split puts in the same lane order.
func (p *poolA2) addr(ptr string, i int) string {
	if p.flat {
		return fmt.Sprintf("%d(%s)", []int{0, 64, 32, 96}[i], ptr)
	}
	return fmt.Sprintf([]string{"0(%s)", "32(%s)", "0(%s)(R10*1)", "32(%s)(R10*1)"}[i], ptr)
}

func (p *poolA2) f(format string, args ...any) { p.a.f(format, args...) }

const (
	pcOne   = "poolc<>+0(SB)"
	pcTwo   = "poolc<>+32(SB)"
	pcThree = "poolc<>+64(SB)"
	pcZero  = "poolc<>+96(SB)"
	pcSign  = "poolc<>+128(SB)"
	pcBytes = "poolc<>+160(SB)"
)

// ld loads 8 floats at addr into dst, under tail mask i (0, 1: input
// columns 0–7, 8–15; 2: outputs) read into mreg in the masked copy.
func (p *poolA2) ld(addr, dst string, i int, mreg string) {
	if p.masked {
		p.f("\tVMOVDQU %d(AX), %s", 32*i, mreg)
		p.f("\tVMASKMOVPS %s, %s, %s", addr, mreg, dst)
		return
	}
	p.f("\tVMOVUPS %s, %s", addr, dst)
}

// st stores src to addr, under tail mask i in the masked copy.
func (p *poolA2) st(src, addr string, i int, mreg string) {
	if p.masked {
		p.f("\tVMOVDQU %d(AX), %s", 32*i, mreg)
		p.f("\tVMASKMOVPS %s, %s, %s", src, mreg, addr)
		return
	}
	p.f("\tVMOVUPS %s, %s", src, addr)
}

// loadRows loads the 16 input columns at DX of the two rows into Y1, Y2
// (top) and Y3, Y4 (bottom), mreg a free register.
func (p *poolA2) loadRows(mreg string) {
	for i := 0; i < 4; i++ {
		p.ld(p.addr("DX", i), ymm(1+i), i%2, mreg)
	}
}

// split leaves the window positions of Y1–Y4 in v0 (top left), Y2 (top
// right), Y1 (bottom left) and Y4 (bottom right).
func (p *poolA2) split(v0 string) {
	p.f("\tVSHUFPS $0x88, Y2, Y1, %s", v0)
	p.f("\tVSHUFPS $0xdd, Y2, Y1, Y2")
	p.f("\tVSHUFPS $0x88, Y4, Y3, Y1")
	p.f("\tVSHUFPS $0xdd, Y4, Y3, Y4")
}

// loadArg leaves the 8 window indices at R11 in dst as int32 in the
// shuffled lane order (the masked copy reads CX bytes one at a time;
// clobbers R12, R15).
func (p *poolA2) loadArg(dst, lbl string) {
	x := "X" + dst[1:]
	if p.masked {
		p.f("\tXORQ R12, R12")
		p.f("\tMOVQ CX, R15")
		p.f("%sbyte:", lbl)
		p.f("\tSHLQ $8, R12")
		p.f("\tMOVB -1(R11)(R15*1), R12")
		p.f("\tDECQ R15")
		p.f("\tJNZ %sbyte", lbl)
		p.f("\tMOVQ R12, %s", x)
		p.f("\tVPMOVZXBD %s, %s", x, dst)
	} else {
		p.f("\tVPMOVZXBD (R11), %s", dst)
	}
	p.f("\tVPERMPD $0xd8, %s, %[1]s", dst)
}

// rows emits the row and column loops around body (plain for 8 outputs,
// then masked for the 1…7 left).
func (p *poolA2) rows(l string, outPtrs string, body func(lbl string)) {
	step := 64
	if p.flat {
		step = 128
	}
	p.f("%srow:", l)
	p.f("\tMOVQ SI, DX")
	p.f("\tMOVQ R8, DI")
	p.f("\tMOVQ R9, R11")
	if outPtrs != "" {
		p.f("\tMOVQ %s, R13", outPtrs)
	}
	if p.flat {
		p.f("\tMOVQ n+24(FP), CX")
	} else {
		p.f("\tMOVQ OW+40(FP), CX")
	}
	p.f("%scol:", l)
	p.f("\tCMPQ CX, $8")
	p.f("\tJLT %stail", l)
	p.masked = false
	body(l + "p")
	p.f("\tADDQ $%d, DX", step)
	p.f("\tADDQ $32, DI")
	p.f("\tADDQ $8, R11")
	if outPtrs != "" {
		p.f("\tADDQ $%d, R13", step)
	}
	p.f("\tSUBQ $8, CX")
	p.f("\tJMP %scol", l)
	p.f("%stail:", l)
	p.f("\tTESTQ CX, CX")
	p.f("\tJZ %snext", l)
	p.f("\tMOVQ CX, AX")
	p.f("\tIMULQ $96, AX")
	p.f("\tLEAQ poolTail<>(SB), R12")
	p.f("\tADDQ R12, AX")
	p.masked = true
	body(l + "m")
	p.masked = false
	p.f("%snext:", l)
	if p.flat {
		return
	}
	p.f("\tLEAQ (SI)(R10*2), SI")
	if outPtrs != "" {
		p.f("\tLEAQ (%s)(R10*2), %[1]s", outPtrs)
	}
	p.f("\tMOVQ OW+40(FP), R12")
	p.f("\tLEAQ (R8)(R12*4), R8")
	p.f("\tADDQ R12, R9")
	p.f("\tDECQ BX")
	p.f("\tJNZ %srow", l)
}

// setup loads the frame's common arguments (dst+0, arg+8, src+16, W+24,
// OH+32, OW+40).
func (p *poolA2) setup(dst, src string) {
	p.f("\tMOVQ %s+0(FP), R8", dst)
	p.f("\tMOVQ arg+8(FP), R9")
	p.f("\tMOVQ %s+16(FP), SI", src)
	if p.flat {
		return
	}
	p.f("\tMOVQ W+24(FP), R10")
	p.f("\tSHLQ $2, R10")
	p.f("\tMOVQ OH+32(FP), BX")
}

// normAct maps r in place to v = (r − mu)·s + t, then a·v where !(v > 0),
// as planeNormActAVX2 (Y11–Y14 = mu, s, t, a, Y15 = 0; clobbers t1, t2).
func (p *poolA2) normAct(r, t1, t2 string) {
	p.f("\tVSUBPS Y11, %s, %[1]s", r)
	p.f("\tVFMADD213PS Y13, Y12, %s", r)
	p.f("\tVCMPPS $0x1e, Y15, %s, %s", r, t1)
	p.f("\tVMULPS Y14, %s, %s", r, t2)
	p.f("\tVBLENDVPS %s, %s, %s, %s", t1, r, t2, r)
}

// text emits the comment and TEXT line of kernel base (the row loops) or
// its flat variant: args the parameters after the pointers and the shape,
// frame the row loops' argument bytes.
func (p *poolA2) text(base, ptrs, args string, frame int, doc ...string) {
	name, shape := base+"AVX2", "W, OH, OW int"
	if p.flat {
		name, shape, frame = base+"Flat8AVX2", "n int", frame-16
	}
	p.f("// func %s(%s, %s, %s", name, ptrs, shape, args)
	for _, d := range doc {
		p.f("// %s", d)
	}
	if p.flat {
		p.f("// The flat variant: a plane 8 wide of 2·OH rows, n = OH·4 outputs.")
	}
	p.f("TEXT ·%s(SB), NOSPLIT, $0-%d", name, frame)
}

func (p *poolA2) forward() {
	p.text("normActPool", "out, arg, in unsafe.Pointer", "mu, s, t, a float32)", 64,
		"For each output (oy, ox): the four v = (in − mu)·s + t of its window",
		"(rows 2oy, 2oy+1, columns 2ox, 2ox+1), each activated (v if v > 0, else",
		"a·v); out = their maximum as Go's max (NaN if any is, +0 over −0); arg",
		"(skipped when nil) = the index 0–3 of the first holding it, 3 if none.")
	p.setup("out", "in")
	p.f("\tVBROADCASTSS %s, Y11", p.arg("mu", 48))
	p.f("\tVBROADCASTSS %s, Y12", p.arg("s", 52))
	p.f("\tVBROADCASTSS %s, Y13", p.arg("t", 56))
	p.f("\tVBROADCASTSS %s, Y14", p.arg("a", 60))
	p.f("\tVXORPS Y15, Y15, Y15")
	p.rows("f", "", func(l string) {
		p.loadRows("Y5")
		for _, r := range []string{"Y1", "Y2", "Y3", "Y4"} {
			p.normAct(r, "Y5", "Y6")
		}
		p.split("Y7") // v0 Y7, v1 Y2, v2 Y1, v3 Y4
		// VMAXPS is exact but for zeros and NaNs: a zero maximum is +0
		// unless all four sign bits are set, and a NaN in the window gives
		// the NaN sum of the four.
		p.f("\tVMAXPS Y2, Y7, Y5")
		p.f("\tVMAXPS Y4, Y1, Y6")
		p.f("\tVMAXPS Y6, Y5, Y5")
		p.f("\tVCMPPS $0x00, Y15, Y5, Y6")
		p.f("\tVANDPS Y2, Y7, Y3")
		p.f("\tVANDPS Y1, Y3, Y3")
		p.f("\tVANDPS Y4, Y3, Y3")
		p.f("\tVANDPS %s, Y3, Y3", pcSign)
		p.f("\tVBLENDVPS Y6, Y3, Y5, Y5")
		p.f("\tVCMPPS $0x03, Y2, Y7, Y6")
		p.f("\tVCMPPS $0x03, Y4, Y1, Y3")
		p.f("\tVORPS Y3, Y6, Y6")
		p.f("\tVADDPS Y2, Y7, Y3")
		p.f("\tVADDPS Y4, Y1, Y8")
		p.f("\tVADDPS Y8, Y3, Y3")
		p.f("\tVBLENDVPS Y6, Y3, Y5, Y5")
		p.f("\tVPERMPD $0xd8, Y5, Y3")
		p.st("Y3", "0(DI)", 2, "Y6")
		p.f("\tCMPQ arg+8(FP), $0")
		p.f("\tJEQ %sskip", l)
		// The first window position equal to the maximum.
		p.f("\tVMOVDQU %s, Y6", pcThree)
		p.f("\tVCMPPS $0x00, Y5, Y1, Y8")
		p.f("\tVBLENDVPS Y8, %s, Y6, Y6", pcTwo)
		p.f("\tVCMPPS $0x00, Y5, Y2, Y8")
		p.f("\tVBLENDVPS Y8, %s, Y6, Y6", pcOne)
		p.f("\tVCMPPS $0x00, Y5, Y7, Y8")
		p.f("\tVBLENDVPS Y8, %s, Y6, Y6", pcZero)
		p.f("\tVPSHUFB %s, Y6, Y6", pcBytes)
		p.f("\tVEXTRACTI128 $1, Y6, X8")
		p.f("\tVPUNPCKLWD X8, X6, X6")
		if p.masked {
			p.f("\tMOVQ X6, R12")
			p.f("\tXORQ R15, R15")
			p.f("%sbyte:", l)
			p.f("\tMOVB R12, (R11)(R15*1)")
			p.f("\tSHRQ $8, R12")
			p.f("\tINCQ R15")
			p.f("\tCMPQ R15, CX")
			p.f("\tJLT %sbyte", l)
		} else {
			p.f("\tMOVQ X6, (R11)")
		}
		p.f("%sskip:", l)
	})
	p.f("\tVZEROUPPER")
	p.f("\tRET")
	p.f("")
}

// selectMax leaves in Y5 the input at each output's maximum: v0 (Y5), v1
// (Y2), v2 (Y1), v3 (Y4) picked by the window indices in Y6 (clobbers Y3).
func (p *poolA2) selectMax() {
	for _, c := range []struct{ k, v string }{{pcOne, "Y2"}, {pcTwo, "Y1"}, {pcThree, "Y4"}} {
		p.f("\tVPCMPEQD %s, Y6, Y3", c.k)
		p.f("\tVBLENDVPS Y3, %s, Y5, Y5", c.v)
	}
}

func (p *poolA2) stats() {
	p.text("normActPoolStats", "dy, arg, x unsafe.Pointer", "mu, s, t, a float32) (sg, sgd, sda float32)", 76,
		"With x̃ the input at each output's maximum (window index arg), v =",
		"(x̃ − mu)·s + t and g = dy if v > 0, else a·dy: returns Σ g,",
		"Σ g·(x̃ − mu) and Σ dy·v over v ≤ 0.")
	p.setup("dy", "x")
	p.f("\tVBROADCASTSS %s, Y11", p.arg("mu", 48))
	p.f("\tVBROADCASTSS %s, Y12", p.arg("s", 52))
	p.f("\tVBROADCASTSS %s, Y13", p.arg("t", 56))
	p.f("\tVBROADCASTSS %s, Y14", p.arg("a", 60))
	p.f("\tVXORPS Y9, Y9, Y9")
	p.f("\tVXORPS Y10, Y10, Y10")
	p.f("\tVXORPS Y15, Y15, Y15")
	p.rows("s", "", func(l string) {
		p.loadRows("Y5")
		p.split("Y5")
		p.ld("0(DI)", "Y7", 2, "Y8")
		p.f("\tVPERMPD $0xd8, Y7, Y7")
		p.loadArg("Y6", l)
		p.selectMax()
		p.f("\tVSUBPS Y11, Y5, Y5")
		p.f("\tVMOVAPS Y5, Y8")
		p.f("\tVFMADD213PS Y13, Y12, Y8")
		p.f("\tVCMPPS $0x12, %s, Y8, Y3", pcZero)
		p.f("\tVMULPS Y8, Y7, Y2")
		p.f("\tVANDPS Y3, Y2, Y2")
		p.f("\tVADDPS Y2, Y15, Y15")
		p.f("\tVCMPPS $0x1e, %s, Y8, Y3", pcZero)
		p.f("\tVMULPS Y14, Y7, Y2")
		p.f("\tVBLENDVPS Y3, Y7, Y2, Y2")
		p.f("\tVADDPS Y2, Y9, Y9")
		p.f("\tVFMADD231PS Y5, Y2, Y10")
	})
	hsumAVX2(p.a, 9, p.arg("sg", 64))
	hsumAVX2(p.a, 10, p.arg("sgd", 68))
	hsumAVX2(p.a, 15, p.arg("sda", 72))
	p.f("\tVZEROUPPER")
	p.f("\tRET")
	p.f("")
}

func (p *poolA2) backward() {
	p.text("normActPoolBackward", "dy, arg, x unsafe.Pointer", "mu, s, t, a float32, dx unsafe.Pointer, k, kb, kc float32)", 84,
		"Over the 2·OH rows and 2·OW columns the windows cover:",
		"dx = g·k + (x − mu)·kb + kc, g as in normActPoolStatsAVX2 at each",
		"output's maximum and 0 elsewhere.")
	p.setup("dy", "x")
	p.f("\tMOVQ %s, R14", p.arg("dx", 64))
	p.f("\tVBROADCASTSS %s, Y11", p.arg("mu", 48))
	p.f("\tVBROADCASTSS %s, Y12", p.arg("k", 72))
	p.f("\tVBROADCASTSS %s, Y13", p.arg("kb", 76))
	p.f("\tVBROADCASTSS %s, Y14", p.arg("kc", 80))
	p.rows("b", "R14", func(l string) {
		p.loadRows("Y5")
		p.split("Y5")
		p.ld("0(DI)", "Y7", 2, "Y8")
		p.f("\tVPERMPD $0xd8, Y7, Y7")
		p.loadArg("Y6", l)
		p.selectMax()
		// g in Y8.
		p.f("\tVSUBPS Y11, Y5, Y5")
		p.f("\tVBROADCASTSS %s, Y8", p.arg("s", 52))
		p.f("\tVBROADCASTSS %s, Y10", p.arg("t", 56))
		p.f("\tVFMADD213PS Y10, Y8, Y5")
		p.f("\tVCMPPS $0x1e, %s, Y5, Y3", pcZero)
		p.f("\tVBROADCASTSS %s, Y10", p.arg("a", 60))
		p.f("\tVMULPS Y10, Y7, Y10")
		p.f("\tVBLENDVPS Y3, Y7, Y10, Y8")
		// g at each window position (0 away from the maximum), back in
		// the rows' column order: Y1, Y2 top, Y3, Y4 bottom.
		for q, r := range []string{"Y5", "Y7", "Y9", "Y10"} {
			p.f("\tVPCMPEQD %s, Y6, %s", []string{pcZero, pcOne, pcTwo, pcThree}[q], r)
			p.f("\tVANDPS Y8, %s, %[1]s", r)
		}
		p.f("\tVUNPCKLPS Y7, Y5, Y1")
		p.f("\tVUNPCKHPS Y7, Y5, Y2")
		p.f("\tVUNPCKLPS Y10, Y9, Y3")
		p.f("\tVUNPCKHPS Y10, Y9, Y4")
		for i := 0; i < 4; i++ {
			p.ld(p.addr("DX", i), "Y5", i%2, "Y15")
			p.f("\tVSUBPS Y11, Y5, Y5")
			p.f("\tVFMADD213PS Y14, Y13, Y5")
			p.f("\tVFMADD231PS %s, Y12, Y5", ymm(1+i))
			p.st("Y5", p.addr("R13", i), i%2, "Y15")
		}
	})
	p.f("\tVZEROUPPER")
	p.f("\tRET")
	p.f("")
}
