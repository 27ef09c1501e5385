package main

import "fmt"

// wino2PackedOps writes the F(2×2) column loops for short tile rows (names
// winoCols…2x<nt>AVX512, nt = 4 or 8 tiles a row, same contracts as the
// F(2×2) ones): as wino4PackedOps, g = 16/nt tile rows share a vector,
// tile t of the group's row j in lane j·nt+t. Row j's 2·nt columns are
// loaded into (stored from) the 32 columns the even/odd split takes apart
// at 2·nt·j, lane-shifted with the masks where that is not a vector's
// start; the input loop loads the columns two further on the same way
// (for each tile's columns 2 and 3).
func wino2PackedOps(a *asm) {
	for _, nt := range []int{4, 8} {
		wino2ColsInPacked(a, nt)
		a.f("")
		wino2ColsOutPacked(a, nt)
		a.f("")
		wino2ColsOutGradPacked(a, nt)
		a.f("")
		wino2ColsInGradPacked(a, nt)
		a.f("")
		winoPackedPerms(a, "wino2", nt)
	}
}

// wino2Place returns the vector (of two) and lane where tile row j's 2·nt
// columns start.
func wino2Place(nt, j int) (v, lane int) { return 2 * nt * j / 16, 2 * nt * j % 16 }

// wino2Masked emits op (a load or store mnemonic with its operands in
// order: op %s(AX), K, Z or op Z, K, %s(AX)) for tile row j's columns at
// byte offset off, with mask k (bits from the row's first column) moved to
// the row's lane (through K7) and the address moved back to match.
func wino2Masked(a *asm, nt, j int, k string, off int, emit func(k, addr string, v int)) {
	v, lane := wino2Place(nt, j)
	if lane != 0 {
		a.f("\tKSHIFTLW $%d, %s, K7", lane, k)
		k = "K7"
	}
	emit(k, fmt.Sprintf("%d(AX)", off-4*lane), v)
}

// wino2Masks sets K2 to the columns c0 … c0+2·nt−1 inside the row, with
// shifted K3 to c0+2 … c0+2·nt+1, with tail K6 to c0+2·nt and c0+2·nt+1.
func wino2Masks(a *asm, nt int, shifted, tail bool) {
	span := 2 * nt
	if shifted || tail {
		span += 2
	}
	winoRowMask(a, span)
	bits := func(k string, shift, n int) {
		a.f("\tMOVQ AX, BX")
		if shift > 0 {
			a.f("\tSHRQ $%d, BX", shift)
		}
		a.f("\tANDQ $%d, BX", 1<<n-1)
		a.f("\tKMOVW BX, %s", k)
	}
	bits("K2", 0, 2*nt)
	if shifted {
		bits("K3", 2, 2*nt)
	}
	if tail {
		bits("K6", 2*nt, 2)
	}
}

// wino2LoadGroupRow loads row i of the group's tile rows into Z0, Z1 (and,
// with shifted, the columns two further on into Z2, Z3), zeros elsewhere.
func wino2LoadGroupRow(a *asm, name string, nt, i int, shifted bool) {
	for v := range 4 {
		a.f("\tVPXORD Z%d, Z%d, Z%d", v, v, v)
	}
	winoGroupRow(a, name, 2, nt, i, func(j int) {
		winoPrefetch(a, 4*(2*nt+2))
		load := func(base int) func(k, addr string, v int) {
			return func(k, addr string, v int) { a.f("\tVMOVUPS %s, %s, Z%d", addr, k, base+v) }
		}
		wino2Masked(a, nt, j, "K2", 0, load(0))
		if shifted {
			wino2Masked(a, nt, j, "K3", 8, load(2))
		}
	})
}

// wino2Scratch is the address of stream 4i+s of the group's scratch.
func wino2Scratch(i, s int) string { return winoScratchAddr(i, s, 0) }

func wino2ColsInPacked(a *asm, nt int) {
	n := fmt.Sprintf("winoColsIn2x%dAVX512", nt)
	winoColArgs(a, n, "h", "plane", "h")
	a.f("\tVMOVUPS ·winoEven<>(SB), Z30")
	a.f("\tVMOVUPS ·winoOdd<>(SB), Z31")
	wino2Masks(a, nt, true, false)
	winoGroups(a, n, 2, nt, 4, func(i int) {
		wino2LoadGroupRow(a, n, nt, i, true)
		winoSplit(a, 0, 1, 4, 5) // E0, O0
		winoSplit(a, 2, 3, 6, 7) // E1, O1
		a.f("\tVSUBPS Z6, Z4, Z8")
		a.f("\tVMOVUPS Z8, K1, %s", wino2Scratch(i, 0))
		a.f("\tVADDPS Z6, Z5, Z9")
		a.f("\tVMOVUPS Z9, K1, %s", wino2Scratch(i, 1))
		a.f("\tVSUBPS Z5, Z6, Z10")
		a.f("\tVMOVUPS Z10, K1, %s", wino2Scratch(i, 2))
		a.f("\tVSUBPS Z7, Z5, Z11")
		a.f("\tVMOVUPS Z11, K1, %s", wino2Scratch(i, 3))
	})
}

func wino2ColsOutPacked(a *asm, nt int) {
	n := fmt.Sprintf("winoColsOut2x%dAVX512", nt)
	winoColArgs(a, n, "plane", "h", "h")
	winoWriteEnd(a, 2, 0)
	a.f("\tVMOVUPS ·winoLo<>(SB), Z30")
	a.f("\tVMOVUPS ·winoHi<>(SB), Z31")
	wino2Masks(a, nt, false, false)
	winoGroups(a, n, 2, nt, 2, func(i int) {
		for j := 0; j < 4; j++ {
			a.f("\tVMOVUPS.Z %s, K1, Z%d", wino2Scratch(i, j), j)
		}
		a.f("\tVADDPS Z1, Z0, Z4")
		a.f("\tVADDPS Z2, Z4, Z4")
		a.f("\tVSUBPS Z2, Z1, Z5")
		a.f("\tVSUBPS Z3, Z5, Z5")
		winoInterleave(a, 4, 5)
		winoGroupRow(a, n, 2, nt, i, func(j int) {
			wino2Masked(a, nt, j, "K2", 0, func(k, addr string, v int) { a.f("\tVMOVUPS Z%d, %s, %s", 26+v, k, addr) })
		})
	})
}

func wino2ColsOutGradPacked(a *asm, nt int) {
	n := fmt.Sprintf("winoColsOutGrad2x%dAVX512", nt)
	winoColArgs(a, n, "h", "plane", "h")
	a.f("\tVMOVUPS ·winoEven<>(SB), Z30")
	a.f("\tVMOVUPS ·winoOdd<>(SB), Z31")
	a.f("\tVBROADCASTSS ·winoSign<>(SB), Z29")
	wino2Masks(a, nt, false, false)
	winoGroups(a, n, 2, nt, 2, func(i int) {
		wino2LoadGroupRow(a, n, nt, i, false)
		winoSplit(a, 0, 1, 2, 3) // E, O
		a.f("\tVMOVUPS Z2, K1, %s", wino2Scratch(i, 0))
		a.f("\tVADDPS Z3, Z2, Z4")
		a.f("\tVMOVUPS Z4, K1, %s", wino2Scratch(i, 1))
		a.f("\tVSUBPS Z3, Z2, Z5")
		a.f("\tVMOVUPS Z5, K1, %s", wino2Scratch(i, 2))
		a.f("\tVPXORD Z29, Z3, Z6")
		a.f("\tVMOVUPS Z6, K1, %s", wino2Scratch(i, 3))
	})
}

// wino2ColsInGradPacked: as wino4ColsInGradPacked for F(2×2): columns 2t,
// 2t+1 get c(t)[0, 1] + c(t−1)[2, 3] within the tile row (c(−1) from zeros:
// +0 and −0, the sign vector), the row's columns 2·nt, 2·nt+1 get
// 0 + c(nt−1)[2, 3]; patch rows in the order 2, 3, 0, 1.
func wino2ColsInGradPacked(a *asm, nt int) {
	n := fmt.Sprintf("winoColsInGrad2x%dAVX512", nt)
	const zero, sign, prev, tail = 28, 29, 24, 25
	winoColArgs(a, n, "plane", "h", "h")
	winoWriteEnd(a, 2, 2)
	a.f("\tVMOVUPS ·winoLo<>(SB), Z30")
	a.f("\tVMOVUPS ·winoHi<>(SB), Z31")
	a.f("\tVMOVUPS ·wino2x%dPrev<>(SB), Z%d", nt, prev)
	a.f("\tVMOVUPS ·wino2x%dTail<>(SB), Z%d", nt, tail)
	a.f("\tVBROADCASTSS ·winoSign<>(SB), Z%d", sign)
	a.f("\tVPXORD Z%d, Z%d, Z%d", zero, zero, zero)
	wino2Masks(a, nt, false, true)
	winoGroups(a, n, 2, nt, 4, func(k int) {
		i := []int{2, 3, 0, 1}[k]
		for j := 0; j < 4; j++ {
			a.f("\tVMOVUPS.Z %s, K1, Z%d", wino2Scratch(i, j), j)
		}
		a.f("\tVSUBPS Z2, Z1, Z8")         // a1 − a2
		a.f("\tVADDPS Z3, Z8, Z8")         // c1 = (a1 − a2) + a3
		a.f("\tVADDPS Z2, Z1, Z9")         // a1 + a2
		a.f("\tVSUBPS Z0, Z9, Z9")         // c2 = (a1 + a2) − a0
		a.f("\tVPXORD Z%d, Z3, Z10", sign) // c3 = −a3
		w := w4{a: a}
		w.perm(11, 9, zero, prev)  // c(t−1)[2]
		w.perm(12, 10, sign, prev) // c(t−1)[3]
		w.perm(13, 9, 10, tail)
		w.add(13, zero, 13)
		w.add(14, 0, 11) // c0 + c(t−1)[2]
		w.add(15, 8, 12) // c1 + c(t−1)[3]
		winoInterleave(a, 14, 15)
		winoGroupRow(a, n, 2, nt, i, func(j int) {
			winoPrefetch(a, 4*(2*nt+2))
			add := func(src int) func(k, addr string, v int) {
				return func(k, addr string, v int) {
					a.f("\tVMOVUPS.Z %s, %s, Z16", addr, k)
					a.f("\tVADDPS Z%d, Z16, Z16", src+v)
					a.f("\tVMOVUPS Z16, %s, %s", k, addr)
				}
			}
			wino2Masked(a, nt, j, "K2", 0, add(26))
			a.f("\tKSHIFTLW $%d, K6, K7", j*nt)
			a.f("\tVMOVUPS.Z %d(AX), K7, Z16", 4*(2*nt-j*nt))
			a.f("\tVADDPS Z13, Z16, Z16")
			a.f("\tVMOVUPS Z16, K7, %d(AX)", 4*(2*nt-j*nt))
		})
	})
}
