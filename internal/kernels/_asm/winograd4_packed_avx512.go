package main

import "fmt"

// wino4PackedOps writes the F(4×4) column loops for short tile rows (names
// …4x<nt>AVX512, nt = 4 or 8 tiles a row, same contracts as the
// …4AVX512 ones): one vector holds the tiles of g = 16/nt consecutive tile
// rows, tile t of the group's tile row j in lane j·nt+t, which is where
// the scratch keeps it (tile row k from k·nt), so all 16 lanes work. Tile
// row j's 4·nt image columns are loaded into (or stored from) its share of
// the 64 columns that split4 takes apart (join4 puts together); the
// patch's columns 4 and 5 of a row's last tile come from a vector holding
// each row's two columns after its tiles in lanes j·nt and j·nt+1.
func wino4PackedOps(a *asm) {
	for _, nt := range []int{4, 8} {
		wino4ColsInPacked(a, nt)
		a.f("")
		wino4ColsOutPacked(a, nt)
		a.f("")
		wino4ColsOutGradPacked(a, nt)
		a.f("")
		wino4ColsInGradPacked(a, nt)
		a.f("")
		for k, name := range []string{"Next", "Next2"} {
			perm(a, fmt.Sprintf("wino4x%d%s", nt, name), func(t int) int {
				if (t+1)%nt != 0 {
					return t + 1
				}
				return 16 + t + 1 - nt + k
			})
		}
		winoPackedPerms(a, "wino4", nt)
	}
}

// winoPackedPerms writes the input-gradient loops' permutations for rows
// of nt tiles: <prefix>x<nt>Prev takes lane t−1 of the same tile row (lane
// 0 of the second vector for a row's first tile), <prefix>x<nt>Tail puts
// each row's last lane of the first and second vector in its lanes j·nt
// and j·nt+1.
func winoPackedPerms(a *asm, prefix string, nt int) {
	perm(a, fmt.Sprintf("%sx%dPrev", prefix, nt), func(t int) int {
		if t%nt != 0 {
			return t - 1
		}
		return 16
	})
	perm(a, fmt.Sprintf("%sx%dTail", prefix, nt), func(t int) int {
		switch t % nt {
		case 0:
			return t + nt - 1
		case 1:
			return 16 + t + nt - 2
		}
		return 0
	})
}

// winoGroups emits the loop over the groups of g = 16/nt tile rows (m
// plane rows apart) of the plane: CX = the plane row of patch row 0 of the
// group's first tile row, DX = tile rows left, R14 = the group's scratch,
// K1 = the lanes of its min(DX, g) tile rows; body(i) is called for i <
// patchRows.
func winoGroups(a *asm, name string, m, nt, patchRows int, body func(i int)) {
	g, shift := 16/nt, map[int]int{4: 2, 8: 3}[nt]
	a.f("\tMOVQ R12, CX")
	a.f("\tMOVQ R13, DX")
	a.f("\tMOVQ DI, R14")
	a.f("%s_groups:", name)
	a.f("\tMOVQ CX, BX")
	a.f("\tMOVQ DX, CX")
	a.f("\tMOVQ $%d, AX", g)
	a.f("\tCMPQ CX, AX")
	a.f("\tCMOVQGT AX, CX")
	a.f("\tSHLQ $%d, CX", shift)
	a.f("\tMOVQ $1, AX")
	a.f("\tSHLQ CX, AX")
	a.f("\tDECQ AX")
	a.f("\tKMOVW AX, K1")
	a.f("\tMOVQ BX, CX")
	for i := 0; i < patchRows; i++ {
		body(i)
	}
	a.f("\tADDQ $%d, CX", m*g)
	a.f("\tADDQ $64, R14")
	a.f("\tSUBQ $%d, DX", g)
	a.f("\tJGT %s_groups", name)
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}

// winoGroupRow emits, for each tile row j of the group that exists and
// whose patch row i lies inside the plane, rowBody(j) with AX the address
// of that plane row's column c0.
func winoGroupRow(a *asm, name string, m, nt, i int, rowBody func(j int)) {
	for j := 0; j < 16/nt; j++ {
		skip := fmt.Sprintf("%s_skip%d_%d", name, i, j)
		a.f("\tCMPQ DX, $%d", j)
		a.f("\tJLE %s", skip)
		winoRowAddr(a, m*j+i, skip)
		rowBody(j)
		a.f("%s:", skip)
	}
}

// wino4LoadGroupRow loads patch row i of the group's tile rows into Z0…Z3
// (tile row j's 4·nt columns at j·4·nt of their 64, lanes off K2/K3
// outside the image row), with extra: each row's next two columns into
// Z4's lanes j·nt, j·nt+1 (K6 says which are inside); zeros elsewhere.
func wino4LoadGroupRow(a *asm, name string, nt, i int, extra bool) {
	for v := range 5 {
		a.f("\tVPXORD Z%d, Z%d, Z%d", v, v, v)
	}
	winoGroupRow(a, name, 4, nt, i, func(j int) {
		winoPrefetch(a, 4*(4*nt+2))
		if nt == 8 {
			a.f("\tVMOVUPS.Z (AX), K2, Z%d", 2*j)
			a.f("\tVMOVUPS.Z 64(AX), K3, Z%d", 2*j+1)
		} else {
			a.f("\tVMOVUPS.Z (AX), K2, Z%d", j)
		}
		if extra {
			a.f("\tKSHIFTLW $%d, K6, K7", j*nt)
			a.f("\tVMOVUPS %d(AX), K7, Z4", 4*(4*nt-j*nt))
		}
	})
}

// wino4PackedMasks sets K2 (and K3 for nt = 8) to the columns c0 … c0+4·nt−1
// inside the row, with extra K6 to columns c0+4·nt and c0+4·nt+1.
func wino4PackedMasks(a *asm, nt int, extra bool) {
	span := 4 * nt
	if extra {
		span += 2
	}
	winoRowMask(a, span)
	winoKMask(a, "K2", 0)
	if nt == 8 {
		winoKMask(a, "K3", 16)
	}
	if extra {
		winoKMask(a, "K6", 4*nt)
	}
}

func wino4ColsInPacked(a *asm, nt int) {
	n := fmt.Sprintf("winoColsIn4x%dAVX512", nt)
	w := w4{a: a}
	winoColArgs(a, n, "h", "plane", "h")
	a.f("\tVMOVUPS ·winoEven<>(SB), Z%d", w4Even)
	a.f("\tVMOVUPS ·winoOdd<>(SB), Z%d", w4Odd)
	a.f("\tVMOVUPS ·wino4x%dNext<>(SB), Z%d", nt, w4Next)
	a.f("\tVMOVUPS ·wino4x%dNext2<>(SB), Z%d", nt, w4Next2)
	a.f("\tVBROADCASTSS ·wino4Four<>(SB), Z%d", w4Four)
	wino4PackedMasks(a, nt, true)
	winoGroups(a, n, 4, nt, 6, func(i int) {
		wino4LoadGroupRow(a, n, nt, i, true)
		w.split4([4]int{0, 1, 2, 3}, [4]int{5, 6, 7, 8}, [4]int{9, 11, 10, 12})
		w.perm(13, 9, 4, w4Next)   // columns 4t+4
		w.perm(14, 11, 4, w4Next2) // columns 4t+5
		for s, r := range tf4In(w, []int{9, 11, 10, 12, 13, 14}, 15) {
			a.f("\tVMOVUPS Z%d, K1, %s", r, wino4Scratch(i, s, 0))
		}
	})
}

func wino4ColsOutGradPacked(a *asm, nt int) {
	n := fmt.Sprintf("winoColsOutGrad4x%dAVX512", nt)
	w := w4{a: a}
	winoColArgs(a, n, "h", "plane", "h")
	a.f("\tVMOVUPS ·winoEven<>(SB), Z%d", w4Even)
	a.f("\tVMOVUPS ·winoOdd<>(SB), Z%d", w4Odd)
	a.f("\tVBROADCASTSS ·wino4Four<>(SB), Z%d", w4Four)
	wino4PackedMasks(a, nt, false)
	winoGroups(a, n, 4, nt, 4, func(i int) {
		wino4LoadGroupRow(a, n, nt, i, false)
		w.split4([4]int{0, 1, 2, 3}, [4]int{4, 5, 6, 7}, [4]int{8, 9, 10, 11})
		for b, r := range tf4OutGrad(w, []int{8, 9, 10, 11}, 12) {
			a.f("\tVMOVUPS Z%d, K1, %s", r, wino4Scratch(i, b, 0))
		}
	})
}

func wino4ColsOutPacked(a *asm, nt int) {
	n := fmt.Sprintf("winoColsOut4x%dAVX512", nt)
	w := w4{a: a}
	winoColArgs(a, n, "plane", "h", "h")
	winoWriteEnd(a, 4, 0)
	a.f("\tVMOVUPS ·winoLo<>(SB), Z%d", w4Lo)
	a.f("\tVMOVUPS ·winoHi<>(SB), Z%d", w4Hi)
	a.f("\tVBROADCASTSS ·wino4Four<>(SB), Z%d", w4Four)
	a.f("\tVBROADCASTSS ·wino4Eight<>(SB), Z%d", w4Eight)
	wino4PackedMasks(a, nt, false)
	winoGroups(a, n, 4, nt, 4, func(i int) {
		for s := range 6 {
			a.f("\tVMOVUPS.Z %s, K1, Z%d", wino4Scratch(i, s, 0), s)
		}
		o := tf4Out(w, []int{0, 1, 2, 3, 4, 5}, 6)
		w.join4([4]int(o), [4]int{13, 14, 15, 16}, [4]int{17, 18, 19, 20})
		winoGroupRow(a, n, 4, nt, i, func(j int) {
			if nt == 8 {
				a.f("\tVMOVUPS Z%d, K2, (AX)", 17+2*j)
				a.f("\tVMOVUPS Z%d, K3, 64(AX)", 18+2*j)
			} else {
				a.f("\tVMOVUPS Z%d, K2, (AX)", 17+j)
			}
		})
	})
}

// wino4ColsInGradPacked: tile t's columns 4t, 4t+1 get c(t) + c(t−1)[4, 5]
// within its tile row (c(−1) = 0: a lane permutation with zeros), columns
// 4t+2, 4t+3 c(t); the row's columns 4·nt, 4·nt+1 get 0 + c(nt−1)[4, 5]
// (gathered into lanes j·nt, j·nt+1 and added like the input loop's
// extra columns). The patch rows go in the order 2…5, 0, 1, so that a
// plane row shared by two tile rows of the group (patch rows 4, 5 of one,
// 0, 1 of the next) gets their sums in tile-row order, as in the Go loop.
func wino4ColsInGradPacked(a *asm, nt int) {
	n := fmt.Sprintf("winoColsInGrad4x%dAVX512", nt)
	w := w4{a: a}
	const zero, tail, sum = 29, 16, 21
	winoColArgs(a, n, "plane", "h", "h")
	winoWriteEnd(a, 4, 2)
	a.f("\tVMOVUPS ·winoLo<>(SB), Z%d", w4Lo)
	a.f("\tVMOVUPS ·winoHi<>(SB), Z%d", w4Hi)
	a.f("\tVMOVUPS ·wino4x%dPrev<>(SB), Z%d", nt, w4Next)
	a.f("\tVMOVUPS ·wino4x%dTail<>(SB), Z%d", nt, w4Next2)
	a.f("\tVBROADCASTSS ·wino4Four<>(SB), Z%d", w4Four)
	a.f("\tVBROADCASTSS ·winoSign<>(SB), Z%d", w4Sign)
	a.f("\tVPXORD Z%d, Z%d, Z%d", zero, zero, zero)
	wino4PackedMasks(a, nt, true)
	winoGroups(a, n, 4, nt, 6, func(k int) {
		i := []int{2, 3, 4, 5, 0, 1}[k]
		for s := range 6 {
			a.f("\tVMOVUPS.Z %s, K1, Z%d", wino4Scratch(i, s, 0), s)
		}
		c := tf4InGrad(w, []int{0, 1, 2, 3, 4, 5}, 6, false)
		w.perm(14, c[4], zero, w4Next) // c(t−1)[4]
		w.perm(15, c[5], zero, w4Next) // c(t−1)[5]
		w.perm(tail, c[4], c[5], w4Next2)
		w.add(tail, zero, tail)
		w.add(c[0], c[0], 14)
		w.add(c[1], c[1], 15)
		w.join4([4]int(c), [4]int{17, 18, 19, 20}, [4]int{0, 1, 2, 3})
		winoGroupRow(a, n, 4, nt, i, func(j int) {
			winoPrefetch(a, 4*(4*nt+2))
			add := func(v int, off int, k string) {
				a.f("\tVMOVUPS.Z %d(AX), %s, Z%d", off, k, sum)
				a.f("\tVADDPS Z%d, Z%d, Z%d", v, sum, sum)
				a.f("\tVMOVUPS Z%d, %s, %d(AX)", sum, k, off)
			}
			if nt == 8 {
				add(2*j, 0, "K2")
				add(2*j+1, 64, "K3")
			} else {
				add(j, 0, "K2")
			}
			a.f("\tKSHIFTLW $%d, K6, K7", j*nt)
			add(tail, 4*(4*nt-j*nt), "K7")
		})
	})
}
