package main

import "fmt"

// The AVX2+FMA per-plane loops of plane.go. AVX2 has no mask registers:
// each loop runs u vectors of 8 floats per iteration, then one vector, then
// a tail of 1…7 floats loaded and stored with VMASKMOVPS under a vector
// mask read from a table (Y15), whose masked-out lanes load as zero. The
// activation's sign choice is a VCMPPS compare and a VBLENDVPS select; a
// sum over the lanes that pass a test adds the product ANDed with the
// compare's mask (so an Inf or NaN in a lane that fails it never reaches
// the sum, as in the Go reference).

// planeLoop describes one streaming plane loop.
type planeLoop struct {
	name, proto, doc string
	frame            string
	// args loads the arguments (pointers into registers, n into CX, the
	// broadcast constants) before the loops.
	args []string
	// ptrs are the registers of the streams, advanced 32·u bytes per
	// iteration; pf the input streams prefetched 1 KB ahead.
	ptrs, pf []string
	u        int
	// body emits the code of vector slot s (registers of that slot) at
	// byte offset off; ld and st load and store 8 floats (masked in the
	// tail).
	body func(a *asm, s, off int, ld func(ptr string, off int, dst string), st func(src, ptr string, off int), tail bool)
	// finish emits the reduction after the loops (nil: none).
	finish func(a *asm)
}

func (p planeLoop) emit(a *asm) {
	a.f("// func %s", p.proto)
	a.f("// %s", p.doc)
	a.f("TEXT ·%s(SB), NOSPLIT, $%s", p.name, p.frame)
	for _, s := range p.args {
		a.f("\t%s", s)
	}
	full := func(ptr string, off int, dst string) { a.f("\tVMOVUPS %d(%s), %s", off, ptr, dst) }
	fullSt := func(src, ptr string, off int) { a.f("\tVMOVUPS %s, %d(%s)", src, off, ptr) }
	mLd := func(ptr string, off int, dst string) { a.f("\tVMASKMOVPS %d(%s), Y15, %s", off, ptr, dst) }
	mSt := func(src, ptr string, off int) { a.f("\tVMASKMOVPS %s, Y15, %d(%s)", src, off, ptr) }
	advance := func(bytes int) {
		for _, r := range p.ptrs {
			a.f("\tADDQ $%d, %s", bytes, r)
		}
	}
	l := p.name
	if p.u > 1 {
		a.f("\tCMPQ CX, $%d", 8*p.u)
		a.f("\tJLT %s_one", l)
		a.f("%s_loop:", l)
		for off := 0; off < 32*p.u; off += 64 {
			for _, r := range p.pf {
				a.f("\tPREFETCHT0 %d(%s)", 1024+off, r)
			}
		}
		for s := 0; s < p.u; s++ {
			p.body(a, s, 32*s, full, fullSt, false)
		}
		advance(32 * p.u)
		a.f("\tSUBQ $%d, CX", 8*p.u)
		a.f("\tCMPQ CX, $%d", 8*p.u)
		a.f("\tJGE %s_loop", l)
	}
	a.f("%s_one:", l)
	a.f("\tCMPQ CX, $8")
	a.f("\tJLT %s_tail", l)
	for _, r := range p.pf {
		a.f("\tPREFETCHT0 1024(%s)", r)
	}
	p.body(a, 0, 0, full, fullSt, false)
	advance(32)
	a.f("\tSUBQ $8, CX")
	a.f("\tJMP %s_one", l)
	a.f("%s_tail:", l)
	a.f("\tTESTQ CX, CX")
	a.f("\tJZ %s_done", l)
	a.f("\tLEAQ chanmask<>+32(SB), AX")
	a.f("\tSHLQ $2, CX")
	a.f("\tSUBQ CX, AX")
	a.f("\tVMOVDQU (AX), Y15")
	p.body(a, 0, 0, mLd, mSt, true)
	a.f("%s_done:", l)
	if p.finish != nil {
		p.finish(a)
	}
	a.f("\tVZEROUPPER")
	a.f("\tRET")
	a.f("")
}

// ymm names register Y<i>.
func ymm(i int) string { return fmt.Sprintf("Y%d", i) }

// hsumAVX2 leaves the sum of the 8 lanes of Y<r> in X<r> (clobbers Y14) and
// stores it to the result slot res.
func hsumAVX2(a *asm, r int, res string) {
	a.f("\tVEXTRACTF128 $1, Y%d, X14", r)
	a.f("\tVADDPS X14, X%d, X%[1]d", r)
	a.f("\tVHADDPS X%d, X%[1]d, X%[1]d", r)
	a.f("\tVHADDPS X%d, X%[1]d, X%[1]d", r)
	a.f("\tVMOVSS X%d, %s", r, res)
}

// planeOpsAVX2 writes the AVX2+FMA plane loops and their tail-mask table.
func planeOpsAVX2(a *asm) {
	a.f("// AVX2+FMA loops of plane.go over one channel plane (n ≥ 1 floats),")
	a.f("// written by _asm/plane_avx2.go: u vectors of 8 floats per iteration,")
	a.f("// then one, then a VMASKMOVPS tail. Sums run in float32 vector lanes.")
	a.f("")
	a.f("// chanmask: 8 lanes set, then 8 clear; the 32 bytes at chanmask+32−4n")
	a.f("// set the first n lanes.")
	for i := 0; i < 16; i++ {
		v := "0xffffffff"
		if i >= 8 {
			v = "0x00000000"
		}
		a.f("DATA chanmask<>+%d(SB)/4, $%s", 4*i, v)
	}
	a.f("GLOBL chanmask<>(SB), RODATA|NOPTR, $64")
	a.f("")
	// Sums of Y0…Y(k−1) into Y0.
	fold := func(a *asm, regs ...int) {
		for _, r := range regs[1:] {
			a.f("\tVADDPS Y%d, Y%d, Y%[2]d", r, regs[0])
		}
	}
	for _, p := range []planeLoop{
		{
			name: "planeSumAVX2", proto: "planeSumAVX2(x unsafe.Pointer, n int) float32", doc: "Σ x[i].",
			frame: "0-20", args: []string{"MOVQ x+0(FP), SI", "MOVQ n+8(FP), CX", "VXORPS Y0, Y0, Y0", "VXORPS Y1, Y1, Y1", "VXORPS Y2, Y2, Y2", "VXORPS Y3, Y3, Y3"},
			ptrs: []string{"SI"}, pf: []string{"SI"}, u: 4,
			body: func(a *asm, s, off int, ld func(string, int, string), _ func(string, string, int), _ bool) {
				ld("SI", off, ymm(4+s))
				a.f("\tVADDPS %s, %s, %[2]s", ymm(4+s), ymm(s))
			},
			finish: func(a *asm) { fold(a, 0, 1, 2, 3); hsumAVX2(a, 0, "ret+16(FP)") },
		},
		{
			name: "planeSqDevAVX2", proto: "planeSqDevAVX2(x unsafe.Pointer, n int, mu float32) float32", doc: "Σ (x[i] − mu)².",
			frame: "0-28", args: []string{"MOVQ x+0(FP), SI", "MOVQ n+8(FP), CX", "VBROADCASTSS mu+16(FP), Y8", "VXORPS Y0, Y0, Y0", "VXORPS Y1, Y1, Y1", "VXORPS Y2, Y2, Y2", "VXORPS Y3, Y3, Y3"},
			ptrs: []string{"SI"}, pf: []string{"SI"}, u: 4,
			body: func(a *asm, s, off int, ld func(string, int, string), _ func(string, string, int), tail bool) {
				t := ymm(4 + s)
				ld("SI", off, t)
				a.f("\tVSUBPS Y8, %s, %[1]s", t)
				if tail {
					a.f("\tVANDPS Y15, %s, %[1]s", t)
				}
				a.f("\tVFMADD231PS %s, %[1]s, %s", t, ymm(s))
			},
			finish: func(a *asm) { fold(a, 0, 1, 2, 3); hsumAVX2(a, 0, "ret+24(FP)") },
		},
		{
			name: "planeNormAVX2", proto: "planeNormAVX2(out, in unsafe.Pointer, n int, mu, scale, shift float32)", doc: "out[i] = (in[i] − mu)·scale + shift.",
			frame: "0-36", args: []string{"MOVQ out+0(FP), DI", "MOVQ in+8(FP), SI", "MOVQ n+16(FP), CX", "VBROADCASTSS mu+24(FP), Y8", "VBROADCASTSS scale+28(FP), Y9", "VBROADCASTSS shift+32(FP), Y10"},
			ptrs: []string{"SI", "DI"}, pf: []string{"SI"}, u: 4,
			body: func(a *asm, s, off int, ld func(string, int, string), st func(string, string, int), _ bool) {
				t := ymm(s)
				ld("SI", off, t)
				a.f("\tVSUBPS Y8, %s, %[1]s", t)
				a.f("\tVFMADD213PS Y10, Y9, %s", t)
				st(t, "DI", off)
			},
		},
		{
			name: "planeGradStatsAVX2", proto: "planeGradStatsAVX2(dy, x unsafe.Pointer, n int, mu float32) (sdy, sdyx float32)", doc: "Σ dy[i] and Σ dy[i]·(x[i] − mu).",
			frame: "0-40", args: []string{"MOVQ dy+0(FP), SI", "MOVQ x+8(FP), DX", "MOVQ n+16(FP), CX", "VBROADCASTSS mu+24(FP), Y8", "VXORPS Y0, Y0, Y0", "VXORPS Y1, Y1, Y1", "VXORPS Y2, Y2, Y2", "VXORPS Y3, Y3, Y3"},
			ptrs: []string{"SI", "DX"}, pf: []string{"SI", "DX"}, u: 2,
			body: func(a *asm, s, off int, ld func(string, int, string), _ func(string, string, int), _ bool) {
				d, x := ymm(4+2*s), ymm(5+2*s)
				ld("SI", off, d)
				ld("DX", off, x)
				a.f("\tVADDPS %s, %s, %[2]s", d, ymm(s))
				a.f("\tVSUBPS Y8, %s, %[1]s", x)
				a.f("\tVFMADD231PS %s, %s, %s", x, d, ymm(2+s))
			},
			finish: func(a *asm) {
				fold(a, 0, 1)
				fold(a, 2, 3)
				hsumAVX2(a, 0, "sdy+32(FP)")
				hsumAVX2(a, 2, "sdyx+36(FP)")
			},
		},
		{
			name: "planeNormBackwardAVX2", proto: "planeNormBackwardAVX2(dx, dy, x unsafe.Pointer, n int, mu, k, b, c float32)", doc: "dx[i] = dy[i]·k + (x[i] − mu)·b + c.",
			frame: "0-48", args: []string{"MOVQ dx+0(FP), DI", "MOVQ dy+8(FP), SI", "MOVQ x+16(FP), DX", "MOVQ n+24(FP), CX", "VBROADCASTSS mu+32(FP), Y8", "VBROADCASTSS k+36(FP), Y9", "VBROADCASTSS b+40(FP), Y10", "VBROADCASTSS c+44(FP), Y11"},
			ptrs: []string{"SI", "DX", "DI"}, pf: []string{"SI", "DX"}, u: 2,
			body: func(a *asm, s, off int, ld func(string, int, string), st func(string, string, int), _ bool) {
				x, d := ymm(2*s), ymm(2*s+1)
				ld("DX", off, x)
				ld("SI", off, d)
				a.f("\tVSUBPS Y8, %s, %[1]s", x)
				a.f("\tVFMADD213PS Y11, Y10, %s", x)
				a.f("\tVFMADD231PS %s, Y9, %s", d, x)
				st(x, "DI", off)
			},
		},
		{
			name: "preluPlaneAVX2", proto: "preluPlaneAVX2(out, in unsafe.Pointer, n int, a float32)", doc: "out[i] = in[i] if in[i] > 0, else a·in[i].",
			frame: "0-28", args: []string{"MOVQ out+0(FP), DI", "MOVQ in+8(FP), SI", "MOVQ n+16(FP), CX", "VBROADCASTSS a+24(FP), Y8", "VXORPS Y9, Y9, Y9"},
			ptrs: []string{"SI", "DI"}, pf: []string{"SI"}, u: 2,
			body: func(a *asm, s, off int, ld func(string, int, string), st func(string, string, int), _ bool) {
				x, m, r := ymm(3*s), ymm(3*s+1), ymm(3*s+2)
				ld("SI", off, x)
				a.f("\tVCMPPS $0x1e, Y9, %s, %s", x, m)
				a.f("\tVMULPS Y8, %s, %s", x, r)
				a.f("\tVBLENDVPS %s, %s, %s, %s", m, x, r, r)
				st(r, "DI", off)
			},
		},
		{
			name: "preluPlaneBackwardAVX2", proto: "preluPlaneBackwardAVX2(dx, dy, x unsafe.Pointer, n int, a float32) float32", doc: "dx[i] = dy[i] if x[i] > 0, else a·dy[i]; returns Σ dy[i]·x[i] over x[i] ≤ 0.",
			frame: "0-44", args: []string{"MOVQ dx+0(FP), DI", "MOVQ dy+8(FP), SI", "MOVQ x+16(FP), DX", "MOVQ n+24(FP), CX", "VBROADCASTSS a+32(FP), Y12", "VXORPS Y13, Y13, Y13", "VXORPS Y0, Y0, Y0", "VXORPS Y1, Y1, Y1"},
			ptrs: []string{"SI", "DX", "DI"}, pf: []string{"SI", "DX"}, u: 2,
			body: func(a *asm, s, off int, ld func(string, int, string), st func(string, string, int), _ bool) {
				x, d, m, t := ymm(2+5*s), ymm(3+5*s), ymm(4+5*s), ymm(5+5*s)
				ld("DX", off, x)
				ld("SI", off, d)
				a.f("\tVCMPPS $0x12, Y13, %s, %s", x, m)
				a.f("\tVMULPS %s, %s, %s", x, d, t)
				a.f("\tVANDPS %s, %s, %[2]s", m, t)
				a.f("\tVADDPS %s, %s, %[2]s", t, ymm(s))
				a.f("\tVCMPPS $0x1e, Y13, %s, %s", x, m)
				a.f("\tVMULPS Y12, %s, %s", d, t)
				a.f("\tVBLENDVPS %s, %s, %s, %s", m, d, t, t)
				st(t, "DI", off)
			},
			finish: func(a *asm) { fold(a, 0, 1); hsumAVX2(a, 0, "ret+40(FP)") },
		},
		{
			name: "reluBackwardAVX2", proto: "reluBackwardAVX2(dx, dy, x unsafe.Pointer, n int)", doc: "dx[i] = dy[i] if x[i] > 0, else 0.",
			frame: "0-32", args: []string{"MOVQ dx+0(FP), DI", "MOVQ dy+8(FP), SI", "MOVQ x+16(FP), DX", "MOVQ n+24(FP), CX", "VXORPS Y9, Y9, Y9"},
			ptrs: []string{"SI", "DX", "DI"}, pf: []string{"SI", "DX"}, u: 2,
			body: func(a *asm, s, off int, ld func(string, int, string), st func(string, string, int), _ bool) {
				x, d := ymm(2*s), ymm(2*s+1)
				ld("DX", off, x)
				ld("SI", off, d)
				a.f("\tVCMPPS $0x1e, Y9, %s, %[1]s", x)
				a.f("\tVANDPS %s, %s, %[2]s", x, d)
				st(d, "DI", off)
			},
		},
		{
			name: "planeNormActAVX2", proto: "planeNormActAVX2(out, in unsafe.Pointer, n int, mu, s, t, a float32)", doc: "v = (in[i] − mu)·s + t; out[i] = v if v > 0, else a·v.",
			frame: "0-40", args: []string{"MOVQ out+0(FP), DI", "MOVQ in+8(FP), DX", "MOVQ n+16(FP), CX", "VBROADCASTSS mu+24(FP), Y10", "VBROADCASTSS s+28(FP), Y11", "VBROADCASTSS t+32(FP), Y12", "VBROADCASTSS a+36(FP), Y13", "VXORPS Y14, Y14, Y14"},
			ptrs: []string{"DX", "DI"}, pf: []string{"DX"}, u: 2,
			body: func(a *asm, s, off int, ld func(string, int, string), st func(string, string, int), _ bool) {
				v, m, r := ymm(3*s), ymm(3*s+1), ymm(3*s+2)
				ld("DX", off, v)
				a.f("\tVSUBPS Y10, %s, %[1]s", v)
				a.f("\tVFMADD213PS Y12, Y11, %s", v)
				a.f("\tVCMPPS $0x1e, Y14, %s, %s", v, m)
				a.f("\tVMULPS Y13, %s, %s", v, r)
				a.f("\tVBLENDVPS %s, %s, %s, %s", m, v, r, r)
				st(r, "DI", off)
			},
		},
		{
			name: "planeNormActGradStatsAVX2", proto: "planeNormActGradStatsAVX2(dy, x unsafe.Pointer, n int, mu, s, t, a float32) (sg, sgd, sda float32)",
			doc:   "With v = (x[i] − mu)·s + t and g = dy[i] if v > 0, else a·dy[i]: Σ g, Σ g·(x[i] − mu), Σ dy[i]·v over v ≤ 0.",
			frame: "0-52", args: []string{"MOVQ dy+0(FP), SI", "MOVQ x+8(FP), DX", "MOVQ n+16(FP), CX", "VBROADCASTSS mu+24(FP), Y10", "VBROADCASTSS s+28(FP), Y11", "VBROADCASTSS t+32(FP), Y12", "VBROADCASTSS a+36(FP), Y13", "VXORPS Y14, Y14, Y14", "VXORPS Y0, Y0, Y0", "VXORPS Y1, Y1, Y1", "VXORPS Y2, Y2, Y2"},
			ptrs: []string{"SI", "DX"}, pf: []string{"SI", "DX"}, u: 1,
			body: func(a *asm, _, off int, ld func(string, int, string), _ func(string, string, int), _ bool) {
				ld("DX", off, "Y3")
				ld("SI", off, "Y5")
				a.f("\tVSUBPS Y10, Y3, Y3")
				a.f("\tVMOVAPS Y3, Y4")
				a.f("\tVFMADD213PS Y12, Y11, Y4")
				a.f("\tVCMPPS $0x12, Y14, Y4, Y6")
				a.f("\tVMULPS Y4, Y5, Y7")
				a.f("\tVANDPS Y6, Y7, Y7")
				a.f("\tVADDPS Y7, Y2, Y2")
				a.f("\tVCMPPS $0x1e, Y14, Y4, Y6")
				a.f("\tVMULPS Y13, Y5, Y7")
				a.f("\tVBLENDVPS Y6, Y5, Y7, Y7")
				a.f("\tVADDPS Y7, Y0, Y0")
				a.f("\tVFMADD231PS Y3, Y7, Y1")
			},
			finish: func(a *asm) {
				hsumAVX2(a, 0, "sg+40(FP)")
				hsumAVX2(a, 1, "sgd+44(FP)")
				hsumAVX2(a, 2, "sda+48(FP)")
			},
		},
		{
			name: "planeNormActBackwardAVX2", proto: "planeNormActBackwardAVX2(dx, dy, x unsafe.Pointer, n int, mu, s, t, a, k, kb, kc float32)",
			doc:   "With v and g as in planeNormActGradStatsAVX2: dx[i] = g·k + (x[i] − mu)·kb + kc.",
			frame: "0-60", args: []string{"MOVQ dx+0(FP), DI", "MOVQ dy+8(FP), SI", "MOVQ x+16(FP), DX", "MOVQ n+24(FP), CX", "VBROADCASTSS mu+32(FP), Y8", "VBROADCASTSS s+36(FP), Y9", "VBROADCASTSS t+40(FP), Y10", "VBROADCASTSS a+44(FP), Y11", "VBROADCASTSS k+48(FP), Y12", "VBROADCASTSS kb+52(FP), Y13", "VBROADCASTSS kc+56(FP), Y14", "VXORPS Y7, Y7, Y7"},
			ptrs: []string{"SI", "DX", "DI"}, pf: []string{"SI", "DX"}, u: 1,
			body: func(a *asm, _, off int, ld func(string, int, string), st func(string, string, int), _ bool) {
				ld("DX", off, "Y0")
				ld("SI", off, "Y2")
				a.f("\tVSUBPS Y8, Y0, Y0")
				a.f("\tVMOVAPS Y0, Y1")
				a.f("\tVFMADD213PS Y10, Y9, Y1")
				a.f("\tVCMPPS $0x1e, Y7, Y1, Y1")
				a.f("\tVMULPS Y11, Y2, Y3")
				a.f("\tVBLENDVPS Y1, Y2, Y3, Y3")
				a.f("\tVFMADD213PS Y14, Y13, Y0")
				a.f("\tVFMADD231PS Y12, Y3, Y0")
				st("Y0", "DI", off)
			},
		},
	} {
		p.emit(a)
	}
}
