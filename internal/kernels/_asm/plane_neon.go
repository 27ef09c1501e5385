package main

import "fmt"

// The arm64 NEON plane loops (plane_neon_arm64.s): the contracts of
// plane.go on raw pointers and a length n that is a positive multiple of
// 4 (the Go wrappers run the last n mod 4 values through the Go loops).
//
// Each loop takes U vectors of 4 floats per iteration (U = 4, or 2 where a
// vector needs five scratch registers), then single vectors. Register
// layout: accumulators of the reductions first (acc j of slot u in
// V(j·U+u), one chain per slot), then the scratch registers, input-major
// (scratch i of slot u in V(base+i·U+u), so that one VLD1/VST1 moves a
// whole row of slots), and the broadcast constants from V31 down.

type neonPlane struct {
	name    string
	args    string   // the Go signature's parameter list after the pointers
	ptrs    []string // pointer parameters; the first is the output when out ≥ 0
	out     int      // scratch index stored through ptrs[0], or −1
	ins     []int    // scratch index loaded through each pointer (−1: none)
	consts  []string // float32 parameters broadcast into V31, V30, …
	zero    bool     // a zero vector after the constants
	nacc    int      // float32 results (accumulated sums)
	scratch int      // scratch registers per slot
	unroll  int
	frame   int      // argument + result bytes
	results []string // result names and offsets, "name+off"
	body    func(a *asm, s func(i int) int, acc func(j int) int, k func(i int) int)
}

func (p neonPlane) emit(a *asm) {
	a.f("// func %s(%s unsafe.Pointer, n int%s)%s", p.name, joinNames(p.ptrs), p.args, resultSig(p.nacc))
	a.f("TEXT ·%s(SB), NOSPLIT, $0-%d", p.name, p.frame)
	for i, ptr := range p.ptrs {
		a.f("\tMOVD %s+%d(FP), R%d", ptr, 8*i, i)
	}
	nOff := 8 * len(p.ptrs)
	a.f("\tMOVD n+%d(FP), R8", nOff)
	for i, c := range p.consts {
		a.f("\tFMOVS %s+%d(FP), F%d", c, nOff+8+4*i, 31-i)
		a.f("\tVDUP V%d.S[0], V%[1]d.S4", 31-i)
	}
	nk := len(p.consts)
	if p.zero {
		vzero(a, 31-nk)
		nk++
	}
	U := p.unroll
	base := p.nacc * U
	if base+U*p.scratch+nk > 32 {
		panic(fmt.Sprintf("%s: out of vector registers", p.name))
	}
	for r := 0; r < base; r++ {
		vzero(a, r)
	}
	shift := map[int]int{2: 3, 4: 4}[U]
	a.f("\tLSR $%d, R8, R9", shift)
	a.f("\tAND $%d, R8, R10", 4*U-1)
	a.f("\tLSR $2, R10")
	k := func(i int) int { return 31 - i }
	acc := func(u int) func(j int) int { return func(j int) int { return j*U + u } }
	step := func(label string, slots int, counter string) {
		a.f("\tCBZ %s, %s_end", counter, label)
		a.f("%s:", label)
		for pi, in := range p.ins {
			switch {
			case in >= 0 && pi == 0 && p.out >= 0:
				// Read and written in place: the store advances R0.
				a.f("\tVLD1 (R0), %s", vlist(base+in*slots, slots))
			case in >= 0:
				a.f("\tVLD1.P %d(R%d), %s", 16*slots, pi, vlist(base+in*slots, slots))
			}
		}
		for u := 0; u < slots; u++ {
			s := func(i int) int { return base + i*slots + u }
			p.body(a, s, acc(u), k)
		}
		if p.out >= 0 {
			a.f("\tVST1.P %s, %d(R0)", vlist(base+p.out*slots, slots), 16*slots)
		}
		a.f("\tSUB $1, %s", counter)
		a.f("\tCBNZ %s, %s", counter, label)
		a.f("%s_end:", label)
	}
	step("loop", U, "R9")
	step("single", 1, "R10")
	for j := 0; j < p.nacc; j++ {
		r := j * U
		for u := 1; u < U; u++ {
			fadd(a, r, r, r+u)
		}
		faddp(a, r, r, r)
		faddpS(a, r, r)
		a.f("\tFMOVS F%d, %s(FP)", r, p.results[j])
	}
	a.f("\tRET")
}

func joinNames(ns []string) string {
	s := ""
	for i, n := range ns {
		if i > 0 {
			s += ", "
		}
		s += n
	}
	return s
}

func resultSig(n int) string {
	return map[int]string{0: "", 1: " float32", 2: " (float32, float32)", 3: " (float32, float32, float32)"}[n]
}

// fcmlez sets each lane of Vd to all ones where Vn ≤ 0 (false for NaN).
func fcmlez(a *asm, d, n int) {
	w := uint32(0x6EA0D800) | uint32(n)<<5 | uint32(d)
	a.f("\tWORD $0x%08X // FCMLE V%d.4S, V%d.4S, #0.0", w, d, n)
}

// bsl: Vd = Vd ? Vn : Vm, bit by bit (Vd a lane mask).
func bsl(a *asm, d, n, m int) { a.f("\tVBSL V%d.B16, V%d.B16, V%d.B16", m, n, d) }

func vand(a *asm, d, n, m int) { a.f("\tVAND V%d.B16, V%d.B16, V%d.B16", m, n, d) }

func vmov(a *asm, d, n int) { a.f("\tVMOV V%d.B16, V%d.B16", n, d) }

func planeOpsNEON(a *asm) {
	ops := []neonPlane{
		{name: "planeSumNEON", ptrs: []string{"x"}, out: -1, ins: []int{0}, nacc: 1, scratch: 1, unroll: 4,
			frame: 20, results: []string{"ret+16"},
			body: func(a *asm, s func(int) int, acc func(int) int, k func(int) int) {
				fadd(a, acc(0), acc(0), s(0))
			}},
		{name: "planeSqDevNEON", args: ", mu float32", ptrs: []string{"x"}, out: -1, ins: []int{0}, consts: []string{"mu"},
			nacc: 1, scratch: 1, unroll: 4, frame: 28, results: []string{"ret+24"},
			body: func(a *asm, s func(int) int, acc func(int) int, k func(int) int) {
				fsub(a, s(0), s(0), k(0))
				vfmla(a, acc(0), s(0), s(0))
			}},
		{name: "planeNormNEON", args: ", mu, scale, shift float32", ptrs: []string{"out", "in"}, out: 1, ins: []int{-1, 0},
			consts: []string{"mu", "scale", "shift"}, scratch: 2, unroll: 4, frame: 36,
			body: func(a *asm, s func(int) int, acc func(int) int, k func(int) int) {
				fsub(a, s(0), s(0), k(0))
				vmov(a, s(1), k(2))
				vfmla(a, s(1), s(0), k(1))
			}},
		{name: "planeGradStatsNEON", args: ", mu float32", ptrs: []string{"dy", "x"}, out: -1, ins: []int{0, 1},
			consts: []string{"mu"}, nacc: 2, scratch: 2, unroll: 4, frame: 40, results: []string{"sdy+32", "sdyx+36"},
			body: func(a *asm, s func(int) int, acc func(int) int, k func(int) int) {
				fadd(a, acc(0), acc(0), s(0))
				fsub(a, s(1), s(1), k(0))
				vfmla(a, acc(1), s(0), s(1))
			}},
		{name: "planeNormBackwardNEON", args: ", mu, k, b, c float32", ptrs: []string{"dx", "dy", "x"}, out: 2, ins: []int{-1, 0, 1},
			consts: []string{"mu", "k", "b", "c"}, scratch: 3, unroll: 4, frame: 48,
			body: func(a *asm, s func(int) int, acc func(int) int, k func(int) int) {
				fsub(a, s(1), s(1), k(0))
				vmov(a, s(2), k(3))
				vfmla(a, s(2), s(1), k(2))
				vfmla(a, s(2), s(0), k(1))
			}},
		{name: "preluPlaneNEON", args: ", a float32", ptrs: []string{"out", "in"}, out: 1, ins: []int{-1, 0},
			consts: []string{"a"}, scratch: 3, unroll: 4, frame: 28,
			body: func(a *asm, s func(int) int, acc func(int) int, k func(int) int) {
				fcmgtz(a, s(1), s(0))
				fmul(a, s(2), s(0), k(0))
				bsl(a, s(1), s(0), s(2))
			}},
		{name: "preluPlaneBackwardNEON", args: ", a float32", ptrs: []string{"dx", "dy", "x"}, out: 2, ins: []int{-1, 0, 1},
			consts: []string{"a"}, nacc: 1, scratch: 4, unroll: 4, frame: 44, results: []string{"ret+40"},
			body: func(a *asm, s func(int) int, acc func(int) int, k func(int) int) {
				fcmgtz(a, s(2), s(1))
				fmul(a, s(3), s(0), k(0))
				bsl(a, s(2), s(0), s(3))
				fcmlez(a, s(3), s(1))
				fmul(a, s(0), s(0), s(1))
				vand(a, s(0), s(0), s(3))
				fadd(a, acc(0), acc(0), s(0))
			}},
		{name: "reluBackwardNEON", ptrs: []string{"dx", "dy", "x"}, out: 1, ins: []int{-1, 0, 1},
			scratch: 2, unroll: 4, frame: 32,
			body: func(a *asm, s func(int) int, acc func(int) int, k func(int) int) {
				fcmgtz(a, s(1), s(1))
				vand(a, s(1), s(1), s(0))
			}},
		{name: "planeNormActNEON", args: ", mu, s, t, a float32", ptrs: []string{"out", "in"}, out: 2, ins: []int{-1, 0},
			consts: []string{"mu", "s", "t", "a"}, scratch: 4, unroll: 4, frame: 40,
			body: func(a *asm, s func(int) int, acc func(int) int, k func(int) int) {
				fsub(a, s(0), s(0), k(0))
				vmov(a, s(1), k(2))
				vfmla(a, s(1), s(0), k(1))
				fcmgtz(a, s(2), s(1))
				fmul(a, s(3), s(1), k(3))
				bsl(a, s(2), s(1), s(3))
			}},
		{name: "planeNormActGradStatsNEON", args: ", mu, s, t, a float32", ptrs: []string{"dy", "x"}, out: -1, ins: []int{0, 1},
			consts: []string{"mu", "s", "t", "a"}, nacc: 3, scratch: 5, unroll: 2, frame: 52,
			results: []string{"sg+40", "sgd+44", "sda+48"},
			body: func(a *asm, s func(int) int, acc func(int) int, k func(int) int) {
				fsub(a, s(1), s(1), k(0)) // c
				vmov(a, s(2), k(2))
				vfmla(a, s(2), s(1), k(1)) // v
				fcmgtz(a, s(3), s(2))
				fmul(a, s(4), s(0), k(3))
				bsl(a, s(3), s(0), s(4)) // g
				fadd(a, acc(0), acc(0), s(3))
				vfmla(a, acc(1), s(3), s(1))
				fcmlez(a, s(4), s(2))
				fmul(a, s(0), s(0), s(2))
				vand(a, s(0), s(0), s(4))
				fadd(a, acc(2), acc(2), s(0))
			}},
		{name: "planeNormActBackwardNEON", args: ", mu, s, t, a, k, kb, kc float32", ptrs: []string{"dx", "dy", "x"}, out: 2,
			ins: []int{-1, 0, 1}, consts: []string{"mu", "s", "t", "a", "k", "kb", "kc"}, scratch: 5, unroll: 4, frame: 60,
			body: func(a *asm, s func(int) int, acc func(int) int, k func(int) int) {
				fsub(a, s(1), s(1), k(0)) // c
				vmov(a, s(2), k(2))
				vfmla(a, s(2), s(1), k(1)) // v
				fcmgtz(a, s(3), s(2))
				fmul(a, s(4), s(0), k(3))
				bsl(a, s(3), s(0), s(4)) // g
				vmov(a, s(2), k(6))
				vfmla(a, s(2), s(1), k(5))
				vfmla(a, s(2), s(3), k(4))
			}},
	}
	for i, op := range ops {
		if i > 0 {
			a.f("")
		}
		op.emit(a)
	}
}
