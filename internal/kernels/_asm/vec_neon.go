package main

// The arm64 NEON vector loops (vec_neon_arm64.s): Axpy, Scale, ReLU and Dot
// through the plane-loop emitter (n a positive multiple of 4, the Go
// wrappers take the tail), and the row correlation of the depthwise
// convolution.

// fcmltz sets each lane of Vd to all ones where Vn < 0 (false for NaN).
func fcmltz(a *asm, d, n int) {
	w := uint32(0x4EA0E800) | uint32(n)<<5 | uint32(d)
	a.f("\tWORD $0x%08X // FCMLT V%d.4S, V%d.4S, #0.0", w, d, n)
}

func vectorOpsNEON(a *asm) {
	ops := []neonPlane{
		{name: "axpyNEON", args: ", alpha float32", ptrs: []string{"y", "x"}, out: 0, ins: []int{0, 1},
			consts: []string{"alpha"}, scratch: 2, unroll: 4, frame: 28,
			body: func(a *asm, s func(int) int, acc func(int) int, k func(int) int) {
				vfmla(a, s(0), s(1), k(0))
			}},
		{name: "scaleNEON", args: ", alpha float32", ptrs: []string{"x"}, out: 0, ins: []int{0},
			consts: []string{"alpha"}, scratch: 1, unroll: 4, frame: 20,
			body: func(a *asm, s func(int) int, acc func(int) int, k func(int) int) {
				fmul(a, s(0), s(0), k(0))
			}},
		// max(x, 0) as Go's reluGo: x < 0 → +0, else x (−0 and NaN kept).
		{name: "reluNEON", ptrs: []string{"out", "in"}, out: 1, ins: []int{-1, 0}, zero: true,
			scratch: 2, unroll: 4, frame: 24,
			body: func(a *asm, s func(int) int, acc func(int) int, k func(int) int) {
				fcmltz(a, s(1), s(0))
				bsl(a, s(1), k(0), s(0))
			}},
		{name: "dotNEON", ptrs: []string{"x", "y"}, out: -1, ins: []int{0, 1}, nacc: 1,
			scratch: 2, unroll: 4, frame: 28, results: []string{"ret+24"},
			body: func(a *asm, s func(int) int, acc func(int) int, k func(int) int) {
				vfmla(a, acc(0), s(0), s(1))
			}},
	}
	for _, op := range ops {
		op.emit(a)
		a.f("")
	}
	a.f("// func dwRowNEON(dst, src, w unsafe.Pointer, n, kw int)")
	a.f("// dst[x] += Σ_{j<kw} w[j]·src[x+j] for x < n (n a positive multiple of 4,")
	a.f("// kw ≥ 1), two output vectors at a time when it can.")
	a.f("TEXT ·dwRowNEON(SB), NOSPLIT, $0-40")
	a.f("\tMOVD dst+0(FP), R0")
	a.f("\tMOVD src+8(FP), R1")
	a.f("\tMOVD w+16(FP), R2")
	a.f("\tMOVD n+24(FP), R3")
	a.f("\tMOVD kw+32(FP), R4")
	a.f("\tLSR $3, R3, R8")
	a.f("\tAND $4, R3, R9")
	a.f("\tCBZ R8, pair_end")
	a.f("pair:")
	a.f("\tVLD1 (R0), %s", vlist(0, 2))
	a.f("\tMOVD R1, R5")
	a.f("\tMOVD R2, R6")
	a.f("\tMOVD R4, R7")
	a.f("pair_tap:")
	a.f("\tVLD1R.P 4(R6), [V4.S4]")
	a.f("\tVLD1 (R5), %s", vlist(2, 2))
	a.f("\tADD $4, R5")
	vfmla(a, 0, 2, 4)
	vfmla(a, 1, 3, 4)
	a.f("\tSUB $1, R7")
	a.f("\tCBNZ R7, pair_tap")
	a.f("\tVST1.P %s, 32(R0)", vlist(0, 2))
	a.f("\tADD $32, R1")
	a.f("\tSUB $1, R8")
	a.f("\tCBNZ R8, pair")
	a.f("pair_end:")
	a.f("\tCBZ R9, done")
	a.f("\tVLD1 (R0), [V0.S4]")
	a.f("single_tap:")
	a.f("\tVLD1R.P 4(R2), [V4.S4]")
	a.f("\tVLD1 (R1), [V2.S4]")
	a.f("\tADD $4, R1")
	vfmla(a, 0, 2, 4)
	a.f("\tSUB $1, R4")
	a.f("\tCBNZ R4, single_tap")
	a.f("\tVST1 [V0.S4], (R0)")
	a.f("done:")
	a.f("\tRET")
}
