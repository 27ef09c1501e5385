package main

// The AVX-512 kernels of the 3×3, padding 1 depthwise convolution
// (depthwise_amd64.go): the forward pass over all channels of an image (stride 1,
// overwriting or accumulating, and stride 2), the filter gradient of one
// plane (stride 1 and 2) and the stride-2 input gradient of one plane.
//
// The kernels walk a plane in strips of 16 output (or dy) columns, top to
// bottom. In the forward and filter-gradient kernels each input row of the
// strip is loaded once (stride 1: three shifted loads, the left, centre and
// right taps; stride 2: two loads split into even and odd columns by
// VPERMT2PS, plus the column left of the strip) and serves the up to three
// output rows it belongs to, through one partial sum per filter row; the
// stride-2 input gradient loads each dy row once for the two or three input
// rows it feeds. Lane masks, fixed per strip, zero the columns outside the
// row and leave the outputs past its end alone; the padding rows above and
// below the plane are never read. The kernels prefetch the same columns of
// the next plane as they go, or of the first plane at least 1 KB on
// (prefetchPlanes; the distance in spare registers, named at each kernel):
// the strips jump between rows, which the hardware prefetchers follow
// poorly when the image is not in the caches.
//
// Common registers:
//
//	R13  byte offset of the strip in the output row   R14  strips left    BX  strips per row
//	R11  input row bytes (W·4)                         AX   output row bytes (OW·4)
//	R8   input row of the strip                        R9   output (or dy) row of the strip
//	R12  row counter                                   K5 = 0xfffe, K6 = 0xffff, K7 = 0x8000

// strips emits the strip loop of one plane: K1–K4 hold the strip's masks
// (K1–K3 full and K4 = k4, then changed by first on the first strip and by
// last on the last one, after first when there is a single strip), then
// body runs with R13 at the strip.
func strips(a *asm, p, k4 string, first, last func(), body func()) {
	full := func() {
		for i := 1; i <= 3; i++ {
			a.f("\tKMOVW K6, K%d", i)
		}
		a.f("\tKMOVW %s, K4", k4)
	}
	a.f("\tXORQ R13, R13")
	a.f("\tMOVQ BX, R14")
	full()
	first()
	a.f("\tCMPQ R14, $1")
	a.f("\tJNE %sstrip", p)
	last()
	a.f("%sstrip:", p)
	body()
	a.f("\tADDQ $64, R13")
	a.f("\tDECQ R14")
	a.f("\tJZ %sdone", p)
	full()
	a.f("\tCMPQ R14, $1")
	a.f("\tJNE %sstrip", p)
	last()
	a.f("\tJMP %sstrip", p)
	a.f("%sdone:", p)
}

// s1Masks are the strip masks of stride 1: K1 left taps (not lane 0 of the
// first strip), K2 centre taps and outputs, K3 right taps; the last strip's
// come from the frame at off.
func s1Masks(a *asm, off int) (first, last func()) {
	first = func() { a.f("\tKMOVW K5, K1") }
	last = func() {
		a.f("\tKMOVW l1+%d(FP), K1", off)
		a.f("\tKMOVW l2+%d(FP), K2", off+2)
		a.f("\tKMOVW l3+%d(FP), K3", off+4)
		a.f("\tCMPQ BX, $1") // a single strip is also the first
		a.f("\tJNE 2(PC)")
		a.f("\tKANDW K5, K1, K1")
	}
	return first, last
}

// s2Masks are the strip masks of stride 2: K1, K2 input columns 2x0 … +15
// and 2x0+16 … +31, K3 outputs, K4 lane 15 (the column 2x0−1; none in the
// first strip); the last strip's K1–K3 come from the frame at off.
func s2Masks(a *asm, off int) (first, last func()) {
	first = func() { a.f("\tKXORW K4, K4, K4") }
	last = func() {
		a.f("\tKMOVW l1+%d(FP), K1", off)
		a.f("\tKMOVW l2+%d(FP), K2", off+2)
		a.f("\tKMOVW l3+%d(FP), K3", off+4)
	}
	return first, last
}

// taps1 loads the left, centre and right taps of the input row at R8 into
// z, z+1, z+2 (zero outside the row).
func taps1(a *asm, z int) {
	a.f("\tVMOVUPS.Z -4(R8), K1, Z%d", z)
	a.f("\tVMOVUPS.Z (R8), K2, Z%d", z+1)
	a.f("\tVMOVUPS.Z 4(R8), K3, Z%d", z+2)
}

// taps2 loads input columns 2x−1, 2x and 2x+1 of the strip (x = x0 …
// x0+15) of the row at R8 into z, z+1, z+2 (zero outside the row), with
// z+3, z+4 as scratch; Z9, Z10 hold the even and odd permutations.
func taps2(a *asm, z int) {
	l, e, o, b, x := z, z+1, z+2, z+3, z+4
	a.f("\tVMOVUPS.Z (R8), K1, Z%d", o)
	a.f("\tVMOVUPS.Z 64(R8), K2, Z%d", b)
	a.f("\tVMOVUPS.Z -64(R8), K4, Z%d", x)
	a.f("\tVMOVAPS Z%d, Z%d", o, e)
	a.f("\tVPERMT2PS Z%d, Z9, Z%d", b, e)
	a.f("\tVPERMT2PS Z%d, Z10, Z%d", b, o)
	a.f("\tVALIGND $15, Z%d, Z%d, Z%d", x, o, l)
}

// prefetch2 fetches the input columns of taps2 in the next plane (R10
// bytes on).
func prefetch2(a *asm) {
	for _, off := range []int{-4, 60, 124} {
		a.f("\tPREFETCHT0 %d(R8)(R10*1)", off)
	}
}

// planeBytes sets reg to the rows in the frame slot rows times the row
// bytes in rowReg.
func planeBytes(a *asm, rows, rowReg, reg string) {
	a.f("\tMOVQ %s, %s", rows, reg)
	a.f("\tIMULQ %s, %s", rowReg, reg)
}

// prefetchPlanes turns the plane bytes in reg into the prefetch distance:
// the smallest whole number of planes of at least 1 KB (the next plane of a
// 7×7 or 14×14 plane is too close for its lines to arrive in time). R12 is
// scratch; p names the labels.
func prefetchPlanes(a *asm, reg, p string) {
	a.f("\tMOVQ %s, R12", reg)
	a.f("%s:", p)
	a.f("\tCMPQ %s, $1024", reg)
	a.f("\tJGE %sok", p)
	a.f("\tADDQ R12, %s", reg)
	a.f("\tJMP %s", p)
	a.f("%sok:", p)
}

// dot3 emits acc = Σ_j w[3ki+j]·t[j] (the taps in z, z+1, z+2, filter in
// Z0–Z8).
func dot3(a *asm, acc, ki, z int) {
	a.f("\tVMULPS Z%d, Z%d, Z%d", z, 3*ki, acc)
	a.f("\tVFMADD231PS Z%d, Z%d, Z%d", z+1, 3*ki+1, acc)
	a.f("\tVFMADD231PS Z%d, Z%d, Z%d", z+2, 3*ki+2, acc)
}

// grad3 emits Z(3ki+j) += d·t[j] (the taps in z, z+1, z+2).
func grad3(a *asm, ki, d, z int) {
	for j := 0; j < 3; j++ {
		a.f("\tVFMADD231PS Z%d, Z%d, Z%d", z+j, d, 3*ki+j)
	}
}

// storeOut stores z to the output row at R9 under K3 (stride 2) or K2
// (stride 1), first adding the output there when acc.
func storeOut(a *asm, z int, k string, acc bool) {
	if acc {
		a.f("\tVADDPS (R9), Z%d, %s, Z%d", z, k, z)
	}
	a.f("\tVMOVUPS Z%d, %s, (R9)", z, k)
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
// K5 = 0xfffe, K6 = 0xffff, K7 = 0x8000.
func setupRows(a *asm, wdArg, owArg string) {
	a.f("\tMOVQ %s, R11", wdArg)
	a.f("\tSHLQ $2, R11")
	a.f("\tMOVQ %s, AX", owArg)
	a.f("\tLEAQ 15(AX), BX")
	a.f("\tSHRQ $4, BX")
	a.f("\tSHLQ $2, AX")
	a.f("\tMOVL $0xfffe, R12")
	a.f("\tKMOVW R12, K5")
	a.f("\tMOVL $0x8000, R12")
	a.f("\tKMOVW R12, K7")
	a.f("\tKXNORW K6, K6, K6")
}

// stripS1 emits the stride-1 forward pass of one strip (R8 input row 0,
// R9 output row 0, R12 free). Output row r−1 is P0(r−2) + P1(r−1) + P2(r)
// with Pk(i) the filter row k applied to input row i: Z11 carries
// P0(r−2) + P1(r−1), Z12 carries P0(r−1).
func stripS1(a *asm, acc bool) {
	taps1(a, 14)
	dot3(a, 11, 1, 14)
	dot3(a, 12, 0, 14)
	a.f("\tADDQ R11, R8")
	a.f("\tMOVQ h+32(FP), R12")
	a.f("\tDECQ R12")
	a.f("\tJZ s1last")
	a.f("s1row:")
	a.f("\tPREFETCHT0 (R8)(R10*1)")
	a.f("\tPREFETCHT0 60(R8)(R10*1)")
	a.f("\tPREFETCHT0 (R9)(R10*1)")
	a.f("\tPREFETCHT0 60(R9)(R10*1)")
	taps1(a, 14)
	dot3(a, 17, 2, 14)
	dot3(a, 18, 1, 14)
	dot3(a, 19, 0, 14)
	a.f("\tVADDPS Z17, Z11, Z17")
	storeOut(a, 17, "K2", acc)
	a.f("\tVADDPS Z18, Z12, Z11")
	a.f("\tVMOVAPS Z19, Z12")
	a.f("\tADDQ R11, R8")
	a.f("\tADDQ AX, R9")
	a.f("\tDECQ R12")
	a.f("\tJNZ s1row")
	a.f("s1last:")
	storeOut(a, 11, "K2", acc)
}

// stripS2 emits the stride-2 forward pass of one strip: output row k is
// P0(2k−1) + P1(2k) + P2(2k+1); Z11 carries P0(2k−1) + P1(2k).
func stripS2(a *asm) {
	taps2(a, 20)
	dot3(a, 11, 1, 20)
	a.f("\tADDQ R11, R8")
	a.f("\tMOVQ oh+48(FP), R12")
	a.f("\tDECQ R12")
	a.f("\tJZ s2last")
	a.f("s2row:")
	prefetch2(a)
	a.f("\tPREFETCHT0 (R9)(R10*1)")
	taps2(a, 20) // input row 2k−1
	dot3(a, 12, 2, 20)
	dot3(a, 13, 0, 20)
	a.f("\tVADDPS Z12, Z11, Z12")
	storeOut(a, 12, "K3", false)
	a.f("\tADDQ R11, R8")
	a.f("\tADDQ AX, R9")
	prefetch2(a)
	taps2(a, 25) // input row 2k
	dot3(a, 14, 1, 25)
	a.f("\tVADDPS Z14, Z13, Z11")
	a.f("\tADDQ R11, R8")
	a.f("\tDECQ R12")
	a.f("\tJNZ s2row")
	a.f("s2last:")
	a.f("\tMOVQ h+32(FP), R12") // an even height leaves an input row below
	a.f("\tTESTQ $1, R12")
	a.f("\tJNZ s2store")
	taps2(a, 20)
	dot3(a, 12, 2, 20)
	a.f("\tVADDPS Z12, Z11, Z11")
	a.f("s2store:")
	storeOut(a, 11, "K3", false)
}

// dwConv emits the forward kernel of one stride (acc: add into out).
func dwConv(a *asm, name string, stride int, acc bool) {
	a.f("// func %s(out, in, w unsafe.Pointer, c, h, wd, oh, ow int, l1, l2, l3 uint16)", name)
	if stride == 1 {
		what := "writes"
		if acc {
			what = "adds"
		}
		a.f("// For each of c channels: %s the 3×3 stride-1 padding-1 correlation of", what)
		a.f("// the h×wd plane of in with its filter w[0:9] into the plane of out")
		a.f("// (oh = h, ow = wd). Masks of the last strip: l1 left taps, l2 outputs")
		a.f("// and centre taps, l3 right taps.")
	} else {
		a.f("// For each of c channels: writes the 3×3 stride-2 padding-1 correlation")
		a.f("// of the h×wd plane of in with its filter w[0:9] into the oh×ow plane of")
		a.f("// out. Masks of the last strip: l1, l2 input columns 2x0 … +15 and")
		a.f("// 2x0+16 … +31 inside the row, l3 outputs.")
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
	planeBytes(a, "h+32(FP)", "R11", "R10")
	prefetchPlanes(a, "R10", "pfd")
	a.f("chan:")
	broadcastTaps(a)
	first, last := s1Masks(a, 64)
	if stride == 2 {
		first, last = s2Masks(a, 64)
	}
	strips(a, "p", "K7", first, last, func() {
		a.f("\tLEAQ (SI)(R13*%d), R8", stride)
		a.f("\tLEAQ (DI)(R13*1), R9")
		if stride == 1 {
			stripS1(a, acc)
		} else {
			stripS2(a)
		}
	})
	a.f("\tMOVQ h+32(FP), R12")
	a.f("\tIMULQ R11, R12")
	a.f("\tADDQ R12, SI")
	a.f("\tMOVQ oh+48(FP), R12")
	a.f("\tIMULQ AX, R12")
	a.f("\tADDQ R12, DI")
	a.f("\tADDQ $36, DX")
	a.f("\tDECQ CX")
	a.f("\tJNZ chan")
	a.f("\tVZEROUPPER")
	a.f("\tRET")
}

// gradS1 emits the stride-1 filter gradient of one strip (R8 input row 0,
// R9 dy row 0): input row r adds dy row r+1 to the sums of filter row 0,
// dy row r to row 1 and dy row r−1 to row 2. Z15–Z17 hold dy rows r−1, r,
// r+1.
func gradS1(a *asm) {
	a.f("\tVMOVUPS.Z (R9), K2, Z16")
	taps1(a, 11)
	grad3(a, 1, 16, 11)
	a.f("\tMOVQ h+24(FP), R12")
	a.f("\tDECQ R12")
	a.f("\tJZ g1done")
	a.f("\tVMOVUPS.Z (R9)(R11*1), K2, Z17")
	grad3(a, 0, 17, 11)
	a.f("\tADDQ R11, R8")
	a.f("\tADDQ R11, R9")
	a.f("\tDECQ R12")
	a.f("\tJZ g1last")
	a.f("g1row:")
	a.f("\tPREFETCHT0 -4(R8)(R10*1)")
	a.f("\tPREFETCHT0 60(R8)(R10*1)")
	a.f("\tPREFETCHT0 (R9)(CX*1)")
	a.f("\tPREFETCHT0 60(R9)(CX*1)")
	a.f("\tVMOVAPS Z16, Z15")
	a.f("\tVMOVAPS Z17, Z16")
	a.f("\tVMOVUPS.Z (R9)(R11*1), K2, Z17")
	taps1(a, 11)
	grad3(a, 0, 17, 11)
	grad3(a, 1, 16, 11)
	grad3(a, 2, 15, 11)
	a.f("\tADDQ R11, R8")
	a.f("\tADDQ R11, R9")
	a.f("\tDECQ R12")
	a.f("\tJNZ g1row")
	a.f("g1last:")
	taps1(a, 11)
	grad3(a, 1, 17, 11)
	grad3(a, 2, 16, 11)
	a.f("g1done:")
}

// gradS2 emits the stride-2 filter gradient of one strip: input row 2k
// adds dy row k to the sums of filter row 1, input row 2k+1 dy row k to
// row 2 and dy row k+1 to row 0. Z16, Z17 hold dy rows k and k+1.
func gradS2(a *asm) {
	a.f("\tVMOVUPS.Z (R9), K3, Z16")
	taps2(a, 20)
	grad3(a, 1, 16, 20)
	a.f("\tADDQ R11, R8")
	a.f("\tMOVQ oh+40(FP), R12")
	a.f("\tDECQ R12")
	a.f("\tJZ g2last")
	a.f("g2row:")
	a.f("\tADDQ AX, R9")
	a.f("\tPREFETCHT0 (R9)(CX*1)")
	a.f("\tVMOVUPS.Z (R9), K3, Z17")
	prefetch2(a)
	taps2(a, 20) // input row 2k−1
	grad3(a, 2, 16, 20)
	grad3(a, 0, 17, 20)
	a.f("\tADDQ R11, R8")
	prefetch2(a)
	taps2(a, 25) // input row 2k
	grad3(a, 1, 17, 25)
	a.f("\tVMOVAPS Z17, Z16")
	a.f("\tADDQ R11, R8")
	a.f("\tDECQ R12")
	a.f("\tJNZ g2row")
	a.f("g2last:")
	a.f("\tMOVQ h+24(FP), R12")
	a.f("\tTESTQ $1, R12")
	a.f("\tJNZ g2done")
	taps2(a, 20)
	grad3(a, 2, 16, 20)
	a.f("g2done:")
}

// dwGrad emits the filter-gradient kernel of one stride: nine vector sums
// Z0–Z8, reduced and added to dw at the end.
func dwGrad(a *asm, name string, stride int) {
	a.f("// func %s(dw, dy, in unsafe.Pointer, h, wd, oh, ow int, l1, l2, l3 uint16)", name)
	a.f("// Adds the filter gradient of one plane of a 3×3 stride-%d padding-1", stride)
	a.f("// correlation to dw[0:9]: dw[3i+j] += Σ dy[y][x]·in[%dy+i−1][%dx+j−1] over", stride, stride)
	a.f("// the taps inside the h×wd input; dy is oh×ow. Masks of the last strip")
	a.f("// as in dwConv3s%dAVX512. Prefetches the next planes of in and dy.", stride)
	a.f("TEXT ·%s(SB), NOSPLIT, $0-62", name)
	a.f("\tMOVQ dy+8(FP), DI")
	a.f("\tMOVQ in+16(FP), SI")
	setupRows(a, "wd+32(FP)", "ow+48(FP)")
	planeBytes(a, "h+24(FP)", "R11", "R10")
	planeBytes(a, "oh+40(FP)", "AX", "CX")
	prefetchPlanes(a, "R10", "pfx")
	prefetchPlanes(a, "CX", "pfy")
	if stride == 2 {
		loadPerms(a, "dwEven", "dwOdd")
	}
	for t := 0; t < 9; t++ {
		a.f("\tVPXORD Z%d, Z%[1]d, Z%[1]d", t)
	}
	first, last := s1Masks(a, 56)
	if stride == 2 {
		first, last = s2Masks(a, 56)
	}
	strips(a, "p", "K7", first, last, func() {
		a.f("\tLEAQ (SI)(R13*%d), R8", stride)
		a.f("\tLEAQ (DI)(R13*1), R9")
		if stride == 1 {
			gradS1(a)
		} else {
			gradS2(a)
		}
	})
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

// dwBackS2 emits the stride-2 input gradient of one plane, in strips of
// 16 dy columns (32 dIn columns) walked down the input rows: row 2t takes dy
// row t through filter row 1, row 2t+1 takes dy rows t (filter row 2) and
// t+1 (filter row 0, when there is one). Along a row, even columns 2x take
// w[k][1]·dy[x] and odd ones 2x+1 take w[k][2]·dy[x] + w[k][0]·dy[x+1]; the
// two are interleaved with VPERMT2PS and stored (or added) into dIn. Each
// dy row is loaded once (Z11, Z12: row t and its shift by one column; Z13,
// Z14: row t+1).
//
// Registers: R8 the dIn row, R9 the dy row t, DI and DX the dIn and dy
// planes, CX and SI their bytes; K1–K4 the masks of dy[x], dy[x+1] and the
// two halves of the dIn columns.
func dwBackS2(a *asm, name string, acc bool) {
	what := "Writes"
	if acc {
		what = "Adds"
	}
	a.f("// func %s(dIn, dy, w unsafe.Pointer, h, wd, oh, ow int, l1, l2, l3, l4 uint16)", name)
	a.f("// %s the input gradient of one plane of a 3×3 stride-2 padding-1", what)
	a.f("// correlation with w[0:9] to dIn (h×wd), given dy (oh×ow). Masks of the")
	a.f("// last strip: l1 dy[x] and l2 dy[x+1] inside the row, l3, l4 dIn")
	a.f("// columns 2x0 … +15 and 2x0+16 … +31 inside the row. Prefetches the next")
	a.f("// planes of dIn and dy.")
	a.f("TEXT ·%s(SB), NOSPLIT, $0-64", name)
	a.f("\tMOVQ w+16(FP), DX")
	broadcastTaps(a)
	a.f("\tMOVQ dIn+0(FP), DI")
	a.f("\tMOVQ dy+8(FP), DX")
	setupRows(a, "wd+32(FP)", "ow+48(FP)")
	planeBytes(a, "h+24(FP)", "R11", "CX")
	planeBytes(a, "oh+40(FP)", "AX", "SI")
	prefetchPlanes(a, "CX", "pfx")
	prefetchPlanes(a, "SI", "pfy")
	loadPerms(a, "dwLo", "dwHi")
	// loadDy loads dy row R9 (+ idx) and its shift by one column.
	loadDy := func(idx string, z int) {
		a.f("\tVMOVUPS.Z (R9)%s, K1, Z%d", idx, z)
		a.f("\tVMOVUPS.Z 4(R9)%s, K2, Z%d", idx, z+1)
	}
	// row emits one dIn row at R8 from the dy rows in zs (a register
	// pair each) through the filter rows kis, then moves R8 down a row.
	row := func(zs, kis []int) {
		a.f("\tPREFETCHT0 (R8)(CX*1)")
		a.f("\tPREFETCHT0 64(R8)(CX*1)")
		for i, z := range zs {
			ki := kis[i]
			if i == 0 {
				a.f("\tVMULPS Z%d, Z%d, Z15", z, 3*ki+1)
				a.f("\tVMULPS Z%d, Z%d, Z16", z, 3*ki+2)
			} else {
				a.f("\tVFMADD231PS Z%d, Z%d, Z15", z, 3*ki+1)
				a.f("\tVFMADD231PS Z%d, Z%d, Z16", z, 3*ki+2)
			}
			a.f("\tVFMADD231PS Z%d, Z%d, Z16", z+1, 3*ki)
		}
		a.f("\tVMOVAPS Z15, Z17")
		a.f("\tVPERMT2PS Z16, Z9, Z17")
		a.f("\tVPERMT2PS Z16, Z10, Z15")
		if acc {
			a.f("\tVADDPS (R8), Z17, K3, Z17")
			a.f("\tVADDPS 64(R8), Z15, K4, Z15")
		}
		a.f("\tVMOVUPS Z17, K3, (R8)")
		a.f("\tVMOVUPS Z15, K4, 64(R8)")
		a.f("\tADDQ R11, R8")
	}
	first := func() {}
	last := func() {
		for i := 1; i <= 4; i++ {
			a.f("\tKMOVW l%d+%d(FP), K%d", i, 56+2*(i-1), i)
		}
	}
	strips(a, "p", "K6", first, last, func() {
		a.f("\tLEAQ (DI)(R13*2), R8")
		a.f("\tLEAQ (DX)(R13*1), R9")
		loadDy("", 11)
		a.f("\tMOVQ oh+40(FP), R12")
		a.f("\tDECQ R12")
		a.f("\tJZ b2last")
		a.f("b2row:")
		a.f("\tPREFETCHT0 (R9)(SI*1)")
		row([]int{11}, []int{1})
		loadDy("(AX*1)", 13)
		row([]int{11, 13}, []int{2, 0})
		a.f("\tVMOVAPS Z13, Z11")
		a.f("\tVMOVAPS Z14, Z12")
		a.f("\tADDQ AX, R9")
		a.f("\tDECQ R12")
		a.f("\tJNZ b2row")
		a.f("b2last:")
		row([]int{11}, []int{1})
		a.f("\tMOVQ h+24(FP), R12") // an even height has one more row
		a.f("\tTESTQ $1, R12")
		a.f("\tJNZ b2done")
		row([]int{11}, []int{2})
		a.f("b2done:")
	})
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
	dwBackS2(a, "dwBack3s2AVX512", false)
	a.f("")
	dwBackS2(a, "dwBack3s2AccAVX512", true)
	a.f("")
	perm(a, "dwEven", func(i int) int { return 2 * i })
	perm(a, "dwOdd", func(i int) int { return 2*i + 1 })
	perm(a, "dwLo", func(i int) int { return i/2 + 16*(i%2) })
	perm(a, "dwHi", func(i int) int { return 8 + i/2 + 16*(i%2) })
}
