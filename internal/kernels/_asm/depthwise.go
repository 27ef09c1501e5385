package main

import "fmt"

// The AVX-512 kernels of the 3×3, padding 1 depthwise convolution
// (dw_amd64.go): the forward pass over all channels of an image (stride 1,
// overwriting or accumulating, and stride 2), the filter gradient of one
// plane (stride 1 and 2) and the stride-2 input gradient of one plane. Rows
// are vectorised along x, 16 outputs per vector, with lane masks for the
// padded edges and the tail; a missing input row (the padding above the
// first and below the last output row) is a row code path that leaves its
// taps out, so the padding is never read.
//
// Register conventions of the row-driven kernels:
//
//	DI   the output (or dy) row            R8, R9, R10  input rows y−1, y, y+1 (stride 2: 2y−1, 2y, 2y+1)
//	R11  input row bytes (W·4)             AX           output row bytes (OW·4)
//	R12  row counter                       R13          byte offset of the vector in the output row
//	R14  vectors left in the row           BX           vectors per row, ceil(OW/16)
//	K1–K4 the lane masks of the vector     K5 = 0xfffe, K6 = 0xffff
//	Z0–Z8 the filter taps (forward) or the filter-gradient sums (gradient)

// dwKernel describes one row-driven kernel: its stride and the vector body
// emitted for a row whose input rows above (top) and below (bot) the middle
// one exist.
type dwKernel struct {
	stride int
	// ohArg, hArg name the output and input heights in the frame.
	ohArg, hArg string
	// lastMasks loads the lane masks of a row's last vector (K1–K3).
	lastMasks func(a *asm)
	body      func(a *asm, top, bot bool)
	// rowStart runs at the start of every row (stride 2 clears the odd
	// columns carried from the previous vector).
	rowStart func(a *asm)
	labels   int
}

// label returns a fresh label prefix.
func (k *dwKernel) label() string {
	k.labels++
	return fmt.Sprintf("r%d", k.labels)
}

// row emits one output row: the vectors of the row, with the first-vector
// masks (stride 1: no left tap in lane 0), full masks in the middle and the
// caller's masks on the last vector.
func (k *dwKernel) row(a *asm, top, bot bool) {
	l := k.label()
	a.f("\tXORQ R13, R13")
	a.f("\tMOVQ BX, R14")
	if k.rowStart != nil {
		k.rowStart(a)
	}
	if k.stride == 1 {
		a.f("\tKMOVW K5, K1")
	} else {
		a.f("\tKMOVW K6, K1")
	}
	a.f("\tKMOVW K6, K2")
	a.f("\tKMOVW K6, K3")
	a.f("\tCMPQ R14, $1")
	a.f("\tJNE %sv", l)
	k.lastMasks(a)
	a.f("%sv:", l)
	k.body(a, top, bot)
	a.f("\tADDQ $64, R13")
	a.f("\tDECQ R14")
	a.f("\tJZ %send", l)
	a.f("\tKMOVW K6, K1")
	a.f("\tKMOVW K6, K2")
	a.f("\tKMOVW K6, K3")
	a.f("\tCMPQ R14, $1")
	a.f("\tJNE %sv", l)
	k.lastMasks(a)
	a.f("\tJMP %sv", l)
	a.f("%send:", l)
}

// advance moves DI and the input-row pointers to the next output row.
func (k *dwKernel) advance(a *asm) {
	if k.stride == 1 {
		a.f("\tMOVQ R9, R8")
		a.f("\tADDQ R11, R9")
	} else {
		a.f("\tLEAQ (R9)(R11*1), R8")
		a.f("\tLEAQ (R9)(R11*2), R9")
	}
	a.f("\tLEAQ (R9)(R11*1), R10")
	a.f("\tADDQ AX, DI")
}

// rows emits all output rows of one plane, R9 pointing at input row 0 and
// DI at output row 0. The first row has no input row above; the last has
// one below only with stride 2 and an even input height; a single row has
// one below only with stride 2 and an input height of 2.
func (k *dwKernel) rows(a *asm, p string) {
	// lastBot jumps to label when the last row has no input row below it
	// (clobbers R12, free by then).
	lastBot := func(label string) {
		if k.stride == 1 {
			a.f("\tJMP %s", label)
			return
		}
		a.f("\tMOVQ %s, R12", k.hArg)
		a.f("\tTESTQ $1, R12")
		a.f("\tJNZ %s", label)
	}
	a.f("\tMOVQ %s, R12", k.ohArg)
	a.f("\tLEAQ (R9)(R11*1), R10")
	a.f("\tCMPQ R12, $1")
	a.f("\tJEQ %ssingle", p)
	k.row(a, false, true)
	k.advance(a)
	a.f("\tSUBQ $2, R12")
	a.f("\tJZ %slast", p)
	a.f("%smid:", p)
	k.row(a, true, true)
	k.advance(a)
	a.f("\tDECQ R12")
	a.f("\tJNZ %smid", p)
	a.f("%slast:", p)
	lastBot(p + "last10")
	k.row(a, true, true)
	a.f("\tJMP %sdone", p)
	a.f("%slast10:", p)
	k.row(a, true, false)
	a.f("\tJMP %sdone", p)
	a.f("%ssingle:", p)
	lastBot(p + "single00")
	k.row(a, false, true)
	a.f("\tJMP %sdone", p)
	a.f("%ssingle00:", p)
	k.row(a, false, false)
	a.f("%sdone:", p)
}

// inRows lists the input rows present for top/bot: pointer register and
// filter row.
func inRows(top, bot bool) (ptrs []string, kis []int) {
	if top {
		ptrs, kis = append(ptrs, "R8"), append(kis, 0)
	}
	ptrs, kis = append(ptrs, "R9"), append(kis, 1)
	if bot {
		ptrs, kis = append(ptrs, "R10"), append(kis, 2)
	}
	return ptrs, kis
}

// deinterleave loads input columns 2x0 … 2x0+31 of row p (zero outside the
// row, masks K1 and K2) and leaves the even columns in ze, the odd ones in
// zo and the odd ones shifted one lane up (columns 2x−1, lane 0 from the
// previous vector's odd columns in prev, which it then updates) in zl.
// Z9 and Z10 hold the even and odd permutations.
func deinterleave(a *asm, p, prev, ze, zo, zl, zb string) {
	a.f("\tVMOVUPS.Z (%s)(R13*2), K1, %s", p, zo)
	a.f("\tVMOVUPS.Z 64(%s)(R13*2), K2, %s", p, zb)
	a.f("\tVMOVAPS %s, %s", zo, ze)
	a.f("\tVPERMT2PS %s, Z9, %s", zb, ze)
	a.f("\tVPERMT2PS %s, Z10, %s", zb, zo)
	a.f("\tVALIGND $15, %s, %s, %s", prev, zo, zl)
	a.f("\tVMOVAPS %s, %s", zo, prev)
}

// broadcastTaps loads the nine filter taps at (DX) into Z0–Z8.
func broadcastTaps(a *asm) {
	for t := 0; t < 9; t++ {
		a.f("\tVBROADCASTSS %d(DX), Z%d", 4*t, t)
	}
}

// loadPerms loads the two permutations named into Z9 and Z10.
func loadPerms(a *asm, p9, p10 string) {
	a.f("\tVMOVUPS ·%s<>(SB), Z9", p9)
	a.f("\tVMOVUPS ·%s<>(SB), Z10", p10)
}

// setupRows loads the row geometry: R11 = wd·4, AX = ow·4, BX = ceil(ow/16),
// K5 = 0xfffe, K6 = 0xffff.
func setupRows(a *asm, wdArg, owArg string) {
	a.f("\tMOVQ %s, R11", wdArg)
	a.f("\tSHLQ $2, R11")
	a.f("\tMOVQ %s, AX", owArg)
	a.f("\tLEAQ 15(AX), BX")
	a.f("\tSHRQ $4, BX")
	a.f("\tSHLQ $2, AX")
	a.f("\tMOVL $0xfffe, R12")
	a.f("\tKMOVW R12, K5")
	a.f("\tKXNORW K6, K6, K6")
}

// masks3 returns a lastMasks that loads K1–K3 from the frame.
func masks3(off int) func(a *asm) {
	return func(a *asm) {
		for i := 0; i < 3; i++ {
			a.f("\tKMOVW l%d+%d(FP), K%d", i+1, off+2*i, i+1)
		}
	}
}

// dwConv emits the forward kernel of one stride (acc: add into out).
func dwConv(a *asm, name string, stride int, acc bool) {
	k := &dwKernel{stride: stride, ohArg: "oh+48(FP)", hArg: "h+32(FP)", lastMasks: masks3(64)}
	a.f("// func %s(out, in, w unsafe.Pointer, c, h, wd, oh, ow int, l1, l2, l3 uint16)", name)
	if stride == 1 {
		what := "writes"
		if acc {
			what = "adds"
		}
		a.f("// For each of c channels: %s the 3×3 stride-1 padding-1 correlation of", what)
		a.f("// the h×wd plane of in with its filter w[0:9] into the plane of out")
		a.f("// (oh = h, ow = wd). Masks of a row's last vector: l1 left taps, l2")
		a.f("// outputs, l3 right taps.")
		k.body = func(a *asm, top, bot bool) {
			ptrs, kis := inRows(top, bot)
			for i, p := range ptrs {
				z, t := 11+i, 3*kis[i]
				a.f("\tVMULPS.Z -4(%s)(R13*1), Z%d, K1, Z%d", p, t, z)
				a.f("\tVFMADD231PS (%s)(R13*1), Z%d, K2, Z%d", p, t+1, z)
				a.f("\tVFMADD231PS 4(%s)(R13*1), Z%d, K3, Z%d", p, t+2, z)
			}
			for i := 1; i < len(ptrs); i++ {
				a.f("\tVADDPS Z%d, Z11, Z11", 11+i)
			}
			if acc {
				a.f("\tVADDPS (DI)(R13*1), Z11, K2, Z11")
			}
			a.f("\tVMOVUPS Z11, K2, (DI)(R13*1)")
		}
	} else {
		a.f("// For each of c channels: writes the 3×3 stride-2 padding-1 correlation")
		a.f("// of the h×wd plane of in with its filter w[0:9] into the oh×ow plane of")
		a.f("// out. Masks of a row's last vector: l1, l2 input columns 2x0 … +15 and")
		a.f("// 2x0+16 … +31 inside the row, l3 outputs.")
		k.rowStart = func(a *asm) {
			for r := 11; r < 14; r++ {
				a.f("\tVPXORD Z%d, Z%[1]d, Z%[1]d", r)
			}
		}
		k.body = func(a *asm, top, bot bool) {
			ptrs, kis := inRows(top, bot)
			for i, p := range ptrs {
				ki, z := kis[i], 17+4*i
				ze, zo, zl, zb := fmt.Sprintf("Z%d", z), fmt.Sprintf("Z%d", z+1), fmt.Sprintf("Z%d", z+2), fmt.Sprintf("Z%d", z+3)
				deinterleave(a, p, fmt.Sprintf("Z%d", 11+ki), ze, zo, zl, zb)
				acc := 14 + i
				a.f("\tVMULPS %s, Z%d, Z%d", zl, 3*ki, acc)
				a.f("\tVFMADD231PS %s, Z%d, Z%d", ze, 3*ki+1, acc)
				a.f("\tVFMADD231PS %s, Z%d, Z%d", zo, 3*ki+2, acc)
			}
			for i := 1; i < len(ptrs); i++ {
				a.f("\tVADDPS Z%d, Z14, Z14", 14+i)
			}
			a.f("\tVMOVUPS Z14, K3, (DI)(R13*1)")
		}
	}
	a.f("TEXT ·%s(SB), NOSPLIT, $0-70", name)
	a.f("\tMOVQ out+0(FP), DI")
	a.f("\tMOVQ in+8(FP), SI")
	a.f("\tMOVQ w+16(FP), DX")
	a.f("\tMOVQ c+24(FP), CX")
	setupRows(a, "wd+40(FP)", "ow+56(FP)")
	if stride == 2 {
		loadPerms(a, "dwEven", "dwOdd")
	}
	a.f("chan:")
	broadcastTaps(a)
	a.f("\tMOVQ SI, R9")
	k.rows(a, "p")
	a.f("\tADDQ AX, DI")
	a.f("\tMOVQ h+32(FP), R12")
	a.f("\tIMULQ R11, R12")
	a.f("\tADDQ R12, SI")
	a.f("\tADDQ $36, DX")
	a.f("\tDECQ CX")
	a.f("\tJNZ chan")
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}

// dwGrad emits the filter-gradient kernel of one stride: nine vector sums
// Z0–Z8, reduced and added to dw at the end.
func dwGrad(a *asm, name string, stride int) {
	k := &dwKernel{stride: stride, ohArg: "oh+40(FP)", hArg: "h+24(FP)", lastMasks: masks3(56)}
	a.f("// func %s(dw, dy, in unsafe.Pointer, h, wd, oh, ow int, l1, l2, l3 uint16)", name)
	a.f("// Adds the filter gradient of one plane of a 3×3 stride-%d padding-1", stride)
	a.f("// correlation to dw[0:9]: dw[3i+j] += Σ dy[y][x]·in[%dy+i−1][%dx+j−1] over", stride, stride)
	a.f("// the taps inside the h×wd input; dy is oh×ow. Masks of a row's last")
	if stride == 1 {
		a.f("// vector as in dwConv3s1AVX512.")
		k.body = func(a *asm, top, bot bool) {
			a.f("\tVMOVUPS.Z (DI)(R13*1), K2, Z9")
			ptrs, kis := inRows(top, bot)
			for i, p := range ptrs {
				t := 3 * kis[i]
				a.f("\tVFMADD231PS -4(%s)(R13*1), Z9, K1, Z%d", p, t)
				a.f("\tVFMADD231PS (%s)(R13*1), Z9, K2, Z%d", p, t+1)
				a.f("\tVFMADD231PS 4(%s)(R13*1), Z9, K3, Z%d", p, t+2)
			}
		}
	} else {
		a.f("// vector as in dwConv3s2AVX512.")
		k.rowStart = func(a *asm) {
			for r := 11; r < 14; r++ {
				a.f("\tVPXORD Z%d, Z%[1]d, Z%[1]d", r)
			}
		}
		k.body = func(a *asm, top, bot bool) {
			a.f("\tVMOVUPS.Z (DI)(R13*1), K3, Z14")
			ptrs, kis := inRows(top, bot)
			for i, p := range ptrs {
				ki, z := kis[i], 17+4*i
				ze, zo, zl, zb := fmt.Sprintf("Z%d", z), fmt.Sprintf("Z%d", z+1), fmt.Sprintf("Z%d", z+2), fmt.Sprintf("Z%d", z+3)
				deinterleave(a, p, fmt.Sprintf("Z%d", 11+ki), ze, zo, zl, zb)
				a.f("\tVFMADD231PS %s, Z14, K3, Z%d", zl, 3*ki)
				a.f("\tVFMADD231PS %s, Z14, K3, Z%d", ze, 3*ki+1)
				a.f("\tVFMADD231PS %s, Z14, K3, Z%d", zo, 3*ki+2)
			}
		}
	}
	a.f("TEXT ·%s(SB), NOSPLIT, $0-62", name)
	a.f("\tMOVQ dy+8(FP), DI")
	a.f("\tMOVQ in+16(FP), R9")
	setupRows(a, "wd+32(FP)", "ow+48(FP)")
	if stride == 2 {
		loadPerms(a, "dwEven", "dwOdd")
	}
	for t := 0; t < 9; t++ {
		a.f("\tVPXORD Z%d, Z%[1]d, Z%[1]d", t)
	}
	k.rows(a, "p")
	a.f("\tMOVQ dw+0(FP), DX")
	for t := 0; t < 9; t++ {
		a.f("\tVEXTRACTF32X8 $1, Z%d, Y15", t)
		a.f("\tVADDPS Y15, Y%d, Y%[1]d", t)
		a.f("\tVEXTRACTF128 $1, Y%d, X15", t)
		a.f("\tVADDPS X15, X%d, X%[1]d", t)
		a.f("\tVHADDPS X%d, X%[1]d, X%[1]d", t)
		a.f("\tVHADDPS X%d, X%[1]d, X%[1]d", t)
		a.f("\tVADDSS %d(DX), X%d, X%[2]d", 4*t, t)
		a.f("\tVMOVSS X%d, %d(DX)", t, 4*t)
	}
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}

// dwBackS2 emits the stride-2 input gradient of one plane. It runs over the
// input rows: row 2t takes dy row t through filter row 1, row 2t+1 takes dy
// rows t (filter row 2) and t+1 (filter row 0, when there is one). Along a
// row, even columns 2x take w[k][1]·dy[x] and odd ones 2x+1 take
// w[k][2]·dy[x] + w[k][0]·dy[x+1]; the two are interleaved with VPERMT2PS
// and added into dIn.
//
// Registers: DI the dIn row, R9 and R10 dy rows t and t+1, R12 the row-pair
// counter; K1–K4 the masks of dy[x], dy[x+1] and the two halves of dIn.
func dwBackS2(a *asm) {
	const name = "dwBack3s2AVX512"
	a.f("// func %s(dIn, dy, w unsafe.Pointer, h, wd, oh, ow int, l1, l2, l3, l4 uint16)", name)
	a.f("// Adds the input gradient of one plane of a 3×3 stride-2 padding-1")
	a.f("// correlation with w[0:9] to dIn (h×wd), given dy (oh×ow). Masks of a")
	a.f("// row's last vector: l1 dy[x] and l2 dy[x+1] inside the row, l3, l4 dIn")
	a.f("// columns 2x0 … +15 and 2x0+16 … +31 inside the row.")
	a.f("TEXT ·%s(SB), NOSPLIT, $0-64", name)
	a.f("\tMOVQ dIn+0(FP), DI")
	a.f("\tMOVQ dy+8(FP), R9")
	a.f("\tMOVQ w+16(FP), DX")
	setupRows(a, "wd+32(FP)", "ow+48(FP)")
	loadPerms(a, "dwLo", "dwHi")
	broadcastTaps(a)
	labels := 0
	row := func(ptrs []string, kis []int) {
		labels++
		l := fmt.Sprintf("r%d", labels)
		full := func() {
			for i := 1; i <= 4; i++ {
				a.f("\tKMOVW K6, K%d", i)
			}
		}
		last := func() {
			for i := 1; i <= 4; i++ {
				a.f("\tKMOVW l%d+%d(FP), K%d", i, 56+2*(i-1), i)
			}
		}
		a.f("\tXORQ R13, R13")
		a.f("\tMOVQ BX, R14")
		full()
		a.f("\tCMPQ R14, $1")
		a.f("\tJNE %sv", l)
		last()
		a.f("%sv:", l)
		for i, p := range ptrs {
			d, d1, ki := 11+2*i, 12+2*i, kis[i]
			a.f("\tVMOVUPS.Z (%s)(R13*1), K1, Z%d", p, d)
			a.f("\tVMOVUPS.Z 4(%s)(R13*1), K2, Z%d", p, d1)
			if i == 0 {
				a.f("\tVMULPS Z%d, Z%d, Z15", d, 3*ki+1)
				a.f("\tVMULPS Z%d, Z%d, Z16", d, 3*ki+2)
			} else {
				a.f("\tVFMADD231PS Z%d, Z%d, Z15", d, 3*ki+1)
				a.f("\tVFMADD231PS Z%d, Z%d, Z16", d, 3*ki+2)
			}
			a.f("\tVFMADD231PS Z%d, Z%d, Z16", d1, 3*ki)
		}
		a.f("\tVMOVAPS Z15, Z17")
		a.f("\tVPERMT2PS Z16, Z9, Z17")
		a.f("\tVPERMT2PS Z16, Z10, Z15")
		a.f("\tVADDPS (DI)(R13*2), Z17, K3, Z17")
		a.f("\tVMOVUPS Z17, K3, (DI)(R13*2)")
		a.f("\tVADDPS 64(DI)(R13*2), Z15, K4, Z15")
		a.f("\tVMOVUPS Z15, K4, 64(DI)(R13*2)")
		a.f("\tADDQ $64, R13")
		a.f("\tDECQ R14")
		a.f("\tJZ %send", l)
		a.f("\tCMPQ R14, $1")
		a.f("\tJNE %sv", l)
		last()
		a.f("\tJMP %sv", l)
		a.f("%send:", l)
	}
	a.f("\tMOVQ oh+40(FP), R12")
	a.f("\tDECQ R12")
	a.f("\tJZ lastpair")
	a.f("pair:")
	a.f("\tLEAQ (R9)(AX*1), R10")
	row([]string{"R9"}, []int{1})
	a.f("\tADDQ R11, DI")
	row([]string{"R9", "R10"}, []int{2, 0})
	a.f("\tADDQ R11, DI")
	a.f("\tMOVQ R10, R9")
	a.f("\tDECQ R12")
	a.f("\tJNZ pair")
	a.f("lastpair:")
	row([]string{"R9"}, []int{1})
	a.f("\tMOVQ h+24(FP), R12")
	a.f("\tTESTQ $1, R12")
	a.f("\tJNZ done")
	a.f("\tADDQ R11, DI")
	row([]string{"R9"}, []int{2})
	a.f("done:")
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}

// perm emits a 16-entry int32 table.
func perm(a *asm, name string, idx func(i int) int) {
	for i := 0; i < 16; i++ {
		a.f("DATA ·%s<>+%d(SB)/4, $%d", name, 4*i, idx(i))
	}
	a.f("GLOBL ·%s<>(SB), RODATA|NOPTR, $64", name)
}

// depthwiseOps writes the depthwise kernels and their permutation tables:
// dwEven/dwOdd pick the even/odd lanes of two concatenated vectors, dwLo/dwHi
// interleave two vectors (low and high halves).
func depthwiseOps(a *asm) {
	dwConv(a, "dwConv3s1AVX512", 1, false)
	a.f("")
	dwConv(a, "dwConv3s1AccAVX512", 1, true)
	a.f("")
	dwConv(a, "dwConv3s2AVX512", 2, false)
	a.f("")
	dwGrad(a, "dwGrad3s1AVX512", 1)
	a.f("")
	dwGrad(a, "dwGrad3s2AVX512", 2)
	a.f("")
	dwBackS2(a)
	a.f("")
	perm(a, "dwEven", func(i int) int { return 2 * i })
	perm(a, "dwOdd", func(i int) int { return 2*i + 1 })
	perm(a, "dwLo", func(i int) int { return i/2 + 16*(i%2) })
	perm(a, "dwHi", func(i int) int { return 8 + i/2 + 16*(i%2) })
}
