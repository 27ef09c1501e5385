package main

// normActPoolOpsNEON writes the arm64 NEON loops of pool.go
// (pool_neon_arm64.s): the fused batch norm, PReLU/ReLU and 2×2 max pool
// of one plane and the two passes of its backward, on raw pointers.
//
// Each iteration covers 4 pooled outputs of one output row: VLD2 splits 8
// columns of an input row into its even and odd columns, so the two rows
// of the 4 windows arrive as four vectors, one per window position q
// (top left, top right, bottom left, bottom right) with the outputs in
// order, and VST2 interleaves the input gradient back the same way. A
// window index byte q is widened to a 32-bit lane by VTBL (the byte
// repeated in all four bytes of its lane, compared with the constant q in
// every byte) and written back by a VTBL that picks each lane's low byte.
// There are no masks: the loops cover the first 4·nv outputs of each of
// the OH output rows (nv, OH ≥ 1) and the Go wrappers (pool_arm64.go) take
// each row's last OW mod 4. Arithmetic is that of planeNormActNEON and its
// backward passes (plane_neon.go), value for value: c = x − mu, v = t +
// c·s fused, and so on, so that the results match the Go loops bit for bit.
//
// Registers: R0, R1 the top and bottom input row of the iteration, R2 the
// output or pooled gradient, R3 the window indices, R4, R5 the top and
// bottom rows of the input gradient; R6, R7, R8 the bytes from the end of
// one output row's columns to the next row's (input rows, float outputs,
// index bytes), R9 output rows left, R10 nv, R11 iterations left in the
// row, R12 an input row's bytes. Vector constants from V31 down: the
// float32 parameters, then the bytes 0, 1, 2, 3 and the VTBL indices.
func normActPoolOpsNEON(a *asm) {
	a.f("// NEON loops of pool.go, written by _asm/pool_neon.go")
	a.f("// (layout and registers described there).")
	a.f("")
	p := poolN{a: a}
	p.forward()
	a.f("")
	p.stats()
	a.f("")
	p.backward()
}

type poolN struct {
	a *asm
	// Vector registers of the constants, set by consts.
	k            []int // the float32 parameters, in order
	zero, c1, c2 int   // bytes 0, 1, 2 in every byte
	c3, tbl      int   // bytes 3; the VTBL index
}

func (p *poolN) f(format string, args ...any) { p.a.f(format, args...) }

// consts broadcasts the float32 parameters names (frame offsets from off,
// 4 bytes apart) into V31, V30, …, then the byte constants 0–3 and the
// VTBL index table tbl (low 64 bits, high 64 bits) below them, above the
// scratch registers V0…V(scratch−1).
func (p *poolN) consts(names []string, off int, tblLo, tblHi uint64, scratch int) {
	p.k = nil
	r := 31
	for i, n := range names {
		p.f("\tFMOVS %s+%d(FP), F%d", n, off+4*i, r)
		p.f("\tVDUP V%d.S[0], V%[1]d.S4", r)
		p.k = append(p.k, r)
		r--
	}
	p.zero, p.c1, p.c2, p.c3, p.tbl = r, r-1, r-2, r-3, r-4
	if p.tbl < scratch {
		panic("pool_neon: out of vector registers")
	}
	for q, reg := range []int{p.zero, p.c1, p.c2, p.c3} {
		p.f("\tVMOVI $%d, V%d.B16", q, reg)
	}
	p.f("\tVMOVQ $0x%016x, $0x%016x, V%d", tblLo, tblHi, p.tbl)
}

// shape loads the plane's shape from the frame (W, OH, OW, nv at off,
// off+8, …) into the registers of the row loop, with the input and
// output pointers of the streams used: in (R0, R1), the pooled plane
// (R2), the window indices (R3) and dx (R4, R5), "" for none.
func (p *poolN) shape(off int, in, pooled, arg, dx string) {
	p.f("\tMOVD W+%d(FP), R12", off)
	p.f("\tLSL $2, R12, R12")
	p.f("\tMOVD OH+%d(FP), R9", off+8)
	p.f("\tMOVD OW+%d(FP), R8", off+16)
	p.f("\tMOVD nv+%d(FP), R10", off+24)
	p.f("\tSUB R10<<2, R8, R8") // index bytes after a row's iterations
	p.f("\tLSL $2, R8, R7")     // float bytes
	p.f("\tLSL $1, R12, R6")    // two input rows …
	p.f("\tSUB R10<<5, R6, R6") // … less the iterations' columns
	p.f("\tMOVD %s, R0", in)
	p.f("\tADD R12, R0, R1")
	p.f("\tMOVD %s, R2", pooled)
	if arg != "" {
		p.f("\tMOVD %s, R3", arg)
	}
	if dx != "" {
		p.f("\tMOVD %s, R4", dx)
		p.f("\tADD R12, R4, R5")
	}
}

// rows emits the loops over the output rows and their nv iterations
// around body, advancing the streams named by the registers in regs
// (R0, R1, R4, R5 by R6; R2 by R7; R3 by R8) after each row.
func (p *poolN) rows(l string, regs []int, body func()) {
	p.f("%srow:", l)
	p.f("\tMOVD R10, R11")
	p.f("%scol:", l)
	body()
	p.f("\tSUB $1, R11")
	p.f("\tCBNZ R11, %scol", l)
	for _, r := range regs {
		inc := map[int]int{0: 6, 1: 6, 2: 7, 3: 8, 4: 6, 5: 6}[r]
		p.f("\tADD R%d, R%d", inc, r)
	}
	p.f("\tSUB $1, R9")
	p.f("\tCBNZ R9, %srow", l)
}

// loadWindows loads the 4 windows at R0, R1 into V0 (top left), V1 (top
// right), V2 (bottom left) and V3 (bottom right).
func (p *poolN) loadWindows() {
	p.f("\tVLD2.P 32(R0), [V0.S4, V1.S4]")
	p.f("\tVLD2.P 32(R1), [V2.S4, V3.S4]")
}

// loadArg loads the 4 window indices at R3 into dst, each byte repeated
// in the four bytes of its lane.
func (p *poolN) loadArg(dst int) {
	p.f("\tFMOVS.P 4(R3), F%d", dst)
	p.f("\tVTBL V%d.B16, [V%d.B16], V%[2]d.B16", p.tbl, dst)
}

// isIndex sets each lane of mask to all ones where the lane of idx (from
// loadArg) is window index q.
func (p *poolN) isIndex(mask, idx, q int) {
	c := []int{p.zero, p.c1, p.c2, p.c3}[q]
	p.f("\tVCMEQ V%d.B16, V%d.B16, V%d.B16", c, idx, mask)
}

// normActV leaves v = t + c·s in v for c in place (c = x − mu on return).
func (p *poolN) normActV(v, c int) {
	fsub(p.a, c, c, p.k[0])
	vmov(p.a, v, p.k[2])
	vfmla(p.a, v, c, p.k[1])
}

// gradient leaves in g the dy of lanes where v > 0, a·dy elsewhere
// (clobbers tmp), as planeNormActGradStatsNEON.
func (p *poolN) gradient(g, dy, v, tmp int) {
	fcmgtz(p.a, g, v)
	fmul(p.a, tmp, dy, p.k[3])
	bsl(p.a, g, dy, tmp)
}

func (p *poolN) forward() {
	p.f("// func normActPoolNEON(out, arg, in unsafe.Pointer, W, OH, OW, nv int, mu, s, t, a float32)")
	p.f("// For the first 4·nv outputs (oy, ox) of each of the OH rows: the four")
	p.f("// v = (in − mu)·s + t of the window (rows 2oy, 2oy+1, columns 2ox, 2ox+1),")
	p.f("// each activated (v if v > 0, else a·v); out = their maximum as Go's max")
	p.f("// (FMAX: NaN if any is, +0 over −0); arg (skipped when nil) = the index")
	p.f("// 0–3 of the first holding it, 3 if none.")
	p.f("TEXT ·normActPoolNEON(SB), NOSPLIT, $0-72")
	p.consts([]string{"mu", "s", "t", "a"}, 56, 0x0c080400, 0, 14)
	p.shape(24, "in+16(FP)", "out+0(FP)", "arg+8(FP)", "")
	p.f("\tCBZ R3, fvrow")
	body := func(arg bool) func() {
		return func() {
			p.loadWindows()
			// Activated values of window position q in V(8+q).
			for q := 0; q < 4; q++ {
				p.normActV(4+q, q)
				fcmgtz(p.a, 8+q, 4+q)
				fmul(p.a, q, 4+q, p.k[3])
				bsl(p.a, 8+q, 4+q, q)
			}
			fmax(p.a, 12, 8, 9)
			fmax(p.a, 13, 10, 11)
			fmax(p.a, 12, 12, 13)
			p.f("\tVST1.P [V12.S4], 16(R2)")
			if !arg {
				return
			}
			// The first position equal to the maximum: 3, then 2, 1, 0
			// where v2, v1, v0 equal it (no lane equals a NaN).
			for q := 0; q < 3; q++ {
				fcmeq(p.a, q, 8+q, 12)
			}
			bsl(p.a, 2, p.c2, p.c3)
			bsl(p.a, 1, p.c1, 2)
			bsl(p.a, 0, p.zero, 1)
			p.f("\tVTBL V%d.B16, [V0.B16], V0.B16", p.tbl)
			p.f("\tFMOVS.P F0, 4(R3)")
		}
	}
	p.rows("fa", []int{0, 1, 2, 3}, body(true))
	p.f("\tRET")
	p.rows("fv", []int{0, 1, 2}, body(false))
	p.f("\tRET")
}

// selectMax leaves in V0 the input at each output's window index (lanes
// of idx from loadArg): V0 where it is 0, V1, V2, V3 where 1, 2, 3; masks
// holds the masks of indices 1–3 (three registers from masks).
func (p *poolN) selectMax(idx, masks int) {
	for q := 1; q < 4; q++ {
		p.isIndex(masks+q-1, idx, q)
		p.f("\tVBIT V%d.B16, V%d.B16, V0.B16", masks+q-1, q)
	}
}

func (p *poolN) stats() {
	p.f("// func normActPoolStatsNEON(dy, arg, x unsafe.Pointer, W, OH, OW, nv int, mu, s, t, a float32) (sg, sgd, sda float32)")
	p.f("// With x̃ the input at each output's maximum (window index arg) over the")
	p.f("// first 4·nv outputs of each of the OH rows, v = (x̃ − mu)·s + t and g = dy")
	p.f("// if v > 0, else a·dy: returns Σ g, Σ g·(x̃ − mu) and Σ dy·v over v ≤ 0.")
	p.f("TEXT ·normActPoolStatsNEON(SB), NOSPLIT, $0-84")
	// VTBL index: byte i of lane i/4's index in all four bytes of the lane.
	p.consts([]string{"mu", "s", "t", "a"}, 56, 0x0101010100000000, 0x0303030302020202, 19)
	p.shape(24, "x+16(FP)", "dy+0(FP)", "arg+8(FP)", "")
	const sg, sgd, sda = 16, 17, 18
	for _, r := range []int{sg, sgd, sda} {
		vzero(p.a, r)
	}
	p.rows("s", []int{0, 1, 2, 3}, func() {
		p.loadWindows()
		p.f("\tVLD1.P 16(R2), [V4.S4]")
		p.loadArg(5)
		p.selectMax(5, 6)
		p.normActV(7, 0) // c in V0, v in V7
		p.gradient(8, 4, 7, 9)
		fadd(p.a, sg, sg, 8)
		vfmla(p.a, sgd, 8, 0)
		fcmlez(p.a, 9, 7)
		fmul(p.a, 4, 4, 7)
		vand(p.a, 4, 4, 9)
		fadd(p.a, sda, sda, 4)
	})
	for i, r := range []int{sg, sgd, sda} {
		faddp(p.a, r, r, r)
		faddpS(p.a, r, r)
		p.f("\tFMOVS F%d, %s+%d(FP)", r, []string{"sg", "sgd", "sda"}[i], 72+4*i)
	}
	p.f("\tRET")
}

func (p *poolN) backward() {
	p.f("// func normActPoolBackwardNEON(dx, dy, arg, x unsafe.Pointer, W, OH, OW, nv int, mu, s, t, a, k, kb, kc float32)")
	p.f("// Over the windows of the first 4·nv outputs of each of the OH rows:")
	p.f("// dx = g·k + (x − mu)·kb + kc, g as in normActPoolStatsNEON at each")
	p.f("// output's maximum and 0 at the window's other positions.")
	p.f("TEXT ·normActPoolBackwardNEON(SB), NOSPLIT, $0-92")
	p.consts([]string{"mu", "s", "t", "a", "k", "kb", "kc"}, 64, 0x0101010100000000, 0x0303030302020202, 20)
	p.shape(32, "x+24(FP)", "dy+8(FP)", "arg+16(FP)", "dx+0(FP)")
	p.rows("b", []int{0, 1, 2, 3, 4, 5}, func() {
		p.loadWindows()
		p.f("\tVLD1.P 16(R2), [V4.S4]")
		p.loadArg(5)
		// Masks of window positions 0–3 in V16–V19; x̃ selected into V0,
		// so keep the top left in V12.
		vmov(p.a, 12, 0)
		p.selectMax(5, 17)
		p.isIndex(16, 5, 0)
		p.normActV(7, 0)
		p.gradient(8, 4, 7, 9) // g in V8
		// dx of window position q in out[q]: the top row's pair, then the
		// bottom row's, each two consecutive registers for VST2.
		out := []int{10, 11, 13, 14}
		for q := 0; q < 4; q++ {
			x := q
			if q == 0 {
				x = 12
			}
			vand(p.a, 16+q, 16+q, 8)
			fsub(p.a, x, x, p.k[0])
			vmov(p.a, out[q], p.k[6])
			vfmla(p.a, out[q], x, p.k[5])
			vfmla(p.a, out[q], 16+q, p.k[4])
		}
		p.f("\tVST2.P [V10.S4, V11.S4], 32(R4)")
		p.f("\tVST2.P [V13.S4, V14.S4], 32(R5)")
	})
	p.f("\tRET")
}

// fmax: Vd = max(Vn, Vm) lane by lane, NaN if either is, +0 over −0.
func fmax(a *asm, d, n, m int) { v3(a, "FMAX", 0x4E20F400, d, n, m) }

// fcmeq sets each lane of Vd to all ones where Vn = Vm (false for NaN).
func fcmeq(a *asm, d, n, m int) { v3(a, "FCMEQ", 0x4E20E400, d, n, m) }
