package main

// The arm64 NEON row kernels of the 3×3 depthwise convolution
// (depthwise_neon_arm64.s). The Go driver (depthwise_arm64.go) walks the planes,
// passes the interior columns of each row (where every tap is inside the
// input row; n, a positive multiple of 4) and computes the edge columns
// itself. A filter row j reads input row rj (a row of zeros for the padding
// rows); weights w[3j+d] live in V24–V26 and are applied by element.

// dwWeightsNEON loads the 9 weights at R10 into V24 (w0–w3), V25 (w4–w7) and
// lane 0 of V26 (w8).
func dwWeightsNEON(a *asm) {
	a.f("\tVLD1 (R10), %s", vlist(24, 2))
	a.f("\tFMOVS 32(R10), F26")
}

func dwWNEON(i int) (reg, lane int) { return 24 + i/4, i % 4 }

// dwRowS1NEON emits dw3RowS1NEON: out[x] (= or, when acc ≠ 0, +=)
// Σ_j Σ_d w[3j+d]·rj[x+d] for x < n. Registers R1+3j+d point at rj+d.
// Each vector of 4 outputs keeps one partial sum per filter row (three
// short FMA chains), two vectors per iteration.
func dwRowS1NEON(a *asm) {
	a.f("// func dw3RowS1NEON(out, r0, r1, r2, w unsafe.Pointer, n, acc int)")
	a.f("TEXT ·dw3RowS1NEON(SB), NOSPLIT, $0-56")
	a.f("\tMOVD out+0(FP), R0")
	for j := 0; j < 3; j++ {
		r := 1 + 3*j
		a.f("\tMOVD r%d+%d(FP), R%d", j, 8+8*j, r)
		a.f("\tADD $4, R%d, R%d", r, r+1)
		a.f("\tADD $8, R%d, R%d", r, r+2)
	}
	a.f("\tMOVD w+32(FP), R10")
	dwWeightsNEON(a)
	a.f("\tMOVD n+40(FP), R11")
	a.f("\tMOVD acc+48(FP), R12")
	a.f("\tLSR $3, R11, R13")
	a.f("\tAND $4, R11, R14")
	body := func(label string, slots int, counter string) {
		a.f("\tCBZ %s, %s_end", counter, label)
		a.f("%s:", label)
		ld := func(k, u int) int { return 6 + k*slots + u }
		acc := func(j, u int) int { return j*slots + u }
		for k := 0; k < 9; k++ {
			a.f("\tVLD1.P %d(R%d), %s", 16*slots, 1+k, vlist(ld(k, 0), slots))
		}
		for u := 0; u < slots; u++ {
			for j := 0; j < 3; j++ {
				r, l := dwWNEON(3 * j)
				fmulElem(a, acc(j, u), ld(3*j, u), r, l)
				for d := 1; d < 3; d++ {
					r, l := dwWNEON(3*j + d)
					fmlaElem(a, acc(j, u), ld(3*j+d, u), r, l)
				}
			}
			fadd(a, acc(0, u), acc(0, u), acc(1, u))
			fadd(a, acc(0, u), acc(0, u), acc(2, u))
		}
		a.f("\tCBZ R12, %s_store", label)
		a.f("\tVLD1 (R0), %s", vlist(27, slots))
		for u := 0; u < slots; u++ {
			fadd(a, u, u, 27+u)
		}
		a.f("%s_store:", label)
		a.f("\tVST1.P %s, %d(R0)", vlist(0, slots), 16*slots)
		if counter == "R13" {
			a.f("\tSUB $1, %s", counter)
			a.f("\tCBNZ %s, %s", counter, label)
		}
		a.f("%s_end:", label)
	}
	body("pair", 2, "R13")
	body("single", 1, "R14")
	a.f("\tRET")
}

// dwRowS2NEON emits dw3RowS2NEON: out[x] = Σ_j Σ_d w[3j+d]·rj[2x+d] for x < n.
// VLD2 splits a row into even (tap 0) and odd (tap 1) columns; tap 2 is the
// even columns of the same row two floats on (R2j+2 = rj + 2).
func dwRowS2NEON(a *asm) {
	a.f("// func dw3RowS2NEON(out, r0, r1, r2, w unsafe.Pointer, n int)")
	a.f("TEXT ·dw3RowS2NEON(SB), NOSPLIT, $0-48")
	a.f("\tMOVD out+0(FP), R0")
	for j := 0; j < 3; j++ {
		r := 1 + 2*j
		a.f("\tMOVD r%d+%d(FP), R%d", j, 8+8*j, r)
		a.f("\tADD $8, R%d, R%d", r, r+1)
	}
	a.f("\tMOVD w+32(FP), R10")
	dwWeightsNEON(a)
	a.f("\tMOVD n+40(FP), R11")
	a.f("\tLSR $2, R11")
	a.f("loop:")
	// Row j: taps 0, 1 in V6+4j, V7+4j; tap 2 in V8+4j (V9+4j unused).
	for j := 0; j < 3; j++ {
		a.f("\tVLD2.P 32(R%d), %s", 1+2*j, vlist(6+4*j, 2))
		a.f("\tVLD2.P 32(R%d), %s", 2+2*j, vlist(8+4*j, 2))
	}
	for j := 0; j < 3; j++ {
		r, l := dwWNEON(3 * j)
		fmulElem(a, j, 6+4*j, r, l)
		for d := 1; d < 3; d++ {
			r, l := dwWNEON(3*j + d)
			fmlaElem(a, j, 6+4*j+d, r, l)
		}
	}
	fadd(a, 0, 0, 1)
	fadd(a, 0, 0, 2)
	a.f("\tVST1.P [V0.S4], 16(R0)")
	a.f("\tSUB $1, R11")
	a.f("\tCBNZ R11, loop")
	a.f("\tRET")
}

// dwGradNEON emits dw3GradS1NEON / dw3GradS2NEON: sums[3j+d] +=
// Σ_{x<n} dy[x]·rj[s·x+d], nine vector sums reduced at the end.
func dwGradNEON(a *asm, stride int) {
	name := map[int]string{1: "dw3GradS1NEON", 2: "dw3GradS2NEON"}[stride]
	a.f("// func %s(sums, dy, r0, r1, r2 unsafe.Pointer, n int)", name)
	a.f("TEXT ·%s(SB), NOSPLIT, $0-48", name)
	a.f("\tMOVD sums+0(FP), R10")
	a.f("\tMOVD dy+8(FP), R0")
	per := 3
	if stride == 2 {
		per = 2
	}
	for j := 0; j < 3; j++ {
		r := 1 + per*j
		a.f("\tMOVD r%d+%d(FP), R%d", j, 16+8*j, r)
		if stride == 1 {
			a.f("\tADD $4, R%d, R%d", r, r+1)
			a.f("\tADD $8, R%d, R%d", r, r+2)
		} else {
			a.f("\tADD $8, R%d, R%d", r, r+1)
		}
	}
	a.f("\tMOVD n+40(FP), R11")
	a.f("\tLSR $2, R11")
	for k := 0; k < 9; k++ {
		vzero(a, k)
	}
	a.f("loop:")
	a.f("\tVLD1.P 16(R0), [V9.S4]")
	// Tap 3j+d of row j in V(tap[3j+d]).
	var tap [9]int
	if stride == 1 {
		for k := 0; k < 9; k++ {
			a.f("\tVLD1.P 16(R%d), [V%d.S4]", 1+k, 10+k)
			tap[k] = 10 + k
		}
	} else {
		for j := 0; j < 3; j++ {
			a.f("\tVLD2.P 32(R%d), %s", 1+2*j, vlist(10+4*j, 2))
			a.f("\tVLD2.P 32(R%d), %s", 2+2*j, vlist(12+4*j, 2))
			tap[3*j], tap[3*j+1], tap[3*j+2] = 10+4*j, 11+4*j, 12+4*j
		}
	}
	for k := 0; k < 9; k++ {
		vfmla(a, k, tap[k], 9)
	}
	a.f("\tSUB $1, R11")
	a.f("\tCBNZ R11, loop")
	for k := 0; k < 9; k++ {
		faddp(a, k, k, k)
		faddpS(a, k, k)
		a.f("\tFMOVS %d(R10), F20", 4*k)
		a.f("\tFADDS F%d, F20", k)
		a.f("\tFMOVS F20, %d(R10)", 4*k)
	}
	a.f("\tRET")
}

// dwBackRowS2NEON emits dw3BackRowS2NEON, one filter row w0…w2 of the stride-2
// input gradient: for x < n, p[2x] += w1·dy[x] and p[2x+1] += w2·dy[x] +
// w0·dy[x+1] (VLD2/VST2 split and merge the even and odd columns of p).
func dwBackRowS2NEON(a *asm) {
	a.f("// func dw3BackRowS2NEON(p, dy, w unsafe.Pointer, n int)")
	a.f("TEXT ·dw3BackRowS2NEON(SB), NOSPLIT, $0-32")
	a.f("\tMOVD p+0(FP), R0")
	a.f("\tMOVD dy+8(FP), R1")
	a.f("\tADD $4, R1, R2")
	a.f("\tMOVD w+16(FP), R10")
	a.f("\tFMOVS 0(R10), F24")
	a.f("\tFMOVS 4(R10), F25")
	a.f("\tFMOVS 8(R10), F26")
	a.f("\tMOVD n+24(FP), R11")
	a.f("\tLSR $2, R11")
	a.f("loop:")
	a.f("\tVLD1.P 16(R1), [V2.S4]")
	a.f("\tVLD1.P 16(R2), [V3.S4]")
	a.f("\tVLD2 (R0), %s", vlist(0, 2))
	fmlaElem(a, 0, 2, 25, 0)
	fmlaElem(a, 1, 2, 26, 0)
	fmlaElem(a, 1, 3, 24, 0)
	a.f("\tVST2.P %s, 32(R0)", vlist(0, 2))
	a.f("\tSUB $1, R11")
	a.f("\tCBNZ R11, loop")
	a.f("\tRET")
}

func depthwiseOpsNEON(a *asm) {
	dwRowS1NEON(a)
	a.f("")
	dwRowS2NEON(a)
	a.f("")
	dwGradNEON(a, 1)
	a.f("")
	dwGradNEON(a, 2)
	a.f("")
	dwBackRowS2NEON(a)
}
