package main

// The AVX2+FMA kernels of the 3×3, padding 1 depthwise convolution
// (depthwise_avx2_amd64.go), designed for 16 ymm registers and no mask registers:
// the forward pass over all channels of an image (stride 1, overwriting or
// accumulating, and stride 2), the filter gradient of one plane (stride 1
// and 2) and the stride-2 input gradient of one plane (overwriting or
// accumulating).
//
// Each kernel walks a plane in strips of 8 output (or dy) columns, top to
// bottom, each input row of a strip loaded once for the output rows it
// feeds. The nine filter taps (or the nine filter-gradient sums) live in
// Y0–Y8 for the whole plane. Strips between the first and the last are
// plain loads and stores; the first and the last strip (one strip: both)
// run a second copy of the code whose loads and stores are VMASKMOVPS under
// lane masks the Go side computes for that geometry (masked-out lanes load
// as zero, so the padding columns read nothing and the columns past the
// row are left alone). Each mask is read from the table into a register
// just before its use, so the masked copy needs one register only.
//
// As the AVX-512 kernels, each kernel prefetches the columns of the strip
// it reads and writes in the plane a distance pf ahead (the next plane, or
// for planes under 1 KB the first at least 1 KB on; dwPrefetch), the
// distance read from the frame into CX at each use: the strips jump between
// rows, which the hardware prefetchers follow poorly when the image is not
// in the caches.
//
// Stride 2 splits 16 input columns into even and odd ones with VSHUFPS,
// which leaves them in the lane order 0 1 4 5 2 3 6 7 (within 128-bit
// halves); every vector of a strip is in that order, and one VPERMPD $0xD8
// puts an output row back in order before its store. The input gradient
// loads dy in that order (VPERMPD) so that VUNPCKLPS/VUNPCKHPS of its
// even- and odd-column sums give the 16 input columns in order.
//
// Common registers:
//
//	R9   mask table (two sets: first strip, last strip)  AX  the set of a masked strip
//	R12  first output (dy) column of the strip           R10 output (dy) columns (ow)
//	R11  input row bytes (W·4)                           BX  output (dy) row bytes (OW·4)
//	R13  rows left                                        DX  output rows left
//	R14  input (or dIn) pointer down the strip           R8  output (or dy) pointer

// dwA2 emits one AVX2 depthwise kernel.
type dwA2 struct {
	a *asm
	// masked is set while emitting the masked copy of a strip body.
	masked bool
}

func (d *dwA2) f(format string, args ...any) { d.a.f(format, args...) }

// ld loads 8 floats at off(ptr) into dst, under the mask at moff(AX) (read
// into mreg) in the masked copy.
func (d *dwA2) ld(ptr string, off int, dst string, moff int, mreg string) {
	if d.masked {
		d.f("\tVMOVDQU %d(AX), %s", moff, mreg)
		d.f("\tVMASKMOVPS %d(%s), %s, %s", off, ptr, mreg, dst)
		return
	}
	d.f("\tVMOVUPS %d(%s), %s", off, ptr, dst)
}

// st stores src at off(ptr); with acc it adds the values there first (tmp
// a free register).
func (d *dwA2) st(src, ptr string, off int, moff int, mreg, tmp string, acc bool) {
	if d.masked {
		d.f("\tVMOVDQU %d(AX), %s", moff, mreg)
		if acc {
			d.f("\tVMASKMOVPS %d(%s), %s, %s", off, ptr, mreg, tmp)
			d.f("\tVADDPS %s, %s, %[2]s", tmp, src)
		}
		d.f("\tVMASKMOVPS %s, %s, %d(%s)", src, mreg, off, ptr)
		return
	}
	if acc {
		d.f("\tVADDPS %d(%s), %s, %[3]s", off, ptr, src)
	}
	d.f("\tVMOVUPS %s, %d(%s)", src, off, ptr)
}

// strips emits the strip loop over one plane: body runs once per strip with
// R12 at its first output column, in its plain copy for the middle strips
// and its masked copy (AX at the mask set) for the first and last.
func (d *dwA2) strips(p string, setBytes int, body func()) {
	d.f("\tXORQ R12, R12")
	d.f("%sstrip:", p)
	d.f("\tMOVQ R9, AX")
	d.f("\tTESTQ R12, R12")
	d.f("\tJEQ %smasked", p)
	d.f("\tLEAQ %d(R9), AX", setBytes)
	d.f("\tLEAQ 8(R12), CX")
	d.f("\tCMPQ CX, R10")
	d.f("\tJGE %smasked", p)
	d.masked = false
	body()
	d.f("\tJMP %snext", p)
	d.f("%smasked:", p)
	d.masked = true
	body()
	d.masked = false
	d.f("%snext:", p)
	d.f("\tADDQ $8, R12")
	d.f("\tCMPQ R12, R10")
	d.f("\tJLT %sstrip", p)
}

// loadFilter broadcasts the 9 taps at (ptr) into Y0–Y8.
func (d *dwA2) loadFilter(ptr string) {
	for i := 0; i < 9; i++ {
		d.f("\tVBROADCASTSS %d(%s), Y%d", 4*i, ptr, i)
	}
}

// s1Taps loads the left, centre and right taps of the input row at R14
// into Y12 one at a time (mask table: left 0, centre 32, right 64) and
// calls use(kj) after each.
func (d *dwA2) s1Taps(use func(kj int)) {
	for kj := 0; kj < 3; kj++ {
		d.ld("R14", 4*(kj-1), "Y12", 32*kj, "Y13")
		use(kj)
	}
}

// s2Taps leaves the left, centre and right taps of the stride-2 input row
// at R14 (columns 2x0−1+2j, 2x0+2j, 2x0+1+2j) in Y11, Y12, Y13, in the
// shuffled lane order (mask table: columns 2x0−1… 0, 2x0+7… 32, 2x0… 64,
// 2x0+8… 96; clobbers Y14, Y15).
func (d *dwA2) s2Taps() {
	if d.masked {
		d.ld("R14", 0, "Y11", 64, "Y14")
		d.ld("R14", 32, "Y13", 96, "Y14")
		d.f("\tVSHUFPS $0x88, Y13, Y11, Y12")
		d.f("\tVSHUFPS $0xdd, Y13, Y11, Y13")
		d.ld("R14", -4, "Y11", 0, "Y14")
		d.ld("R14", 28, "Y15", 32, "Y14")
		d.f("\tVSHUFPS $0x88, Y15, Y11, Y11")
		return
	}
	d.f("\tVMOVUPS (R14), Y11")
	d.f("\tVSHUFPS $0x88, 32(R14), Y11, Y12")
	d.f("\tVSHUFPS $0xdd, 32(R14), Y11, Y13")
	d.f("\tVMOVUPS -4(R14), Y11")
	d.f("\tVSHUFPS $0x88, 28(R14), Y11, Y11")
}

// pf prefetches off(ptr) a distance ahead read from the frame slot arg.
func (d *dwA2) pf(ptr string, off int, arg string) {
	d.f("\tMOVQ %s, CX", arg)
	d.f("\tPREFETCHT0 %d(%s)(CX*1)", off, ptr)
}

// dwTap names filter tap (ki, kj) (or the filter-gradient sum of it).
func dwTap(ki, kj int) string { return ymm(3*ki + kj) }

// conv3s1 emits the stride-1 forward kernel (acc: accumulating). Y9–Y11
// are the partial sums of output rows r−1, r, r+1 while input row r is
// read; Y12 the tap, Y13 the mask, Y14 a temporary.
func (d *dwA2) conv3s1(name string, acc bool) {
	verb := "overwrites"
	if acc {
		verb = "adds into"
	}
	d.f("// func %s(out, in, w, m unsafe.Pointer, c, h, wd, pf int)", name)
	d.f("// The 3×3 stride-1 padding-1 correlation of c ≥ 1 planes of h×wd floats")
	d.f("// in with their filters w (c×9) %s out (c×h×wd); m holds the masks", verb)
	d.f("// of the first and last strip (left, centre, right taps: 2×3×8 int32);")
	d.f("// pf is the prefetch distance in bytes.")
	d.f("TEXT ·%s(SB), NOSPLIT, $0-64", name)
	d.f("\tMOVQ out+0(FP), DI")
	d.f("\tMOVQ in+8(FP), SI")
	d.f("\tMOVQ w+16(FP), R15")
	d.f("\tMOVQ m+24(FP), R9")
	d.f("\tMOVQ wd+48(FP), R10")
	d.f("\tLEAQ (R10*4), R11")
	d.f("\tMOVQ R11, BX")
	d.f("plane:")
	d.loadFilter("R15")
	d.strips("s1", 96, func() {
		d.f("\tLEAQ (SI)(R12*4), R14")
		d.f("\tLEAQ (DI)(R12*4), R8")
		d.f("\tMOVQ h+40(FP), R13")
		row := func() {
			d.pf("R14", 0, "pf+56(FP)")
			d.s1Taps(func(kj int) {
				d.f("\tVFMADD231PS Y12, %s, Y9", dwTap(2, kj))
				d.f("\tVFMADD231PS Y12, %s, Y10", dwTap(1, kj))
				if kj == 0 {
					d.f("\tVMULPS Y12, %s, Y11", dwTap(0, kj))
				} else {
					d.f("\tVFMADD231PS Y12, %s, Y11", dwTap(0, kj))
				}
			})
			d.f("\tADDQ R11, R14")
		}
		rotate := func() {
			d.f("\tVMOVAPS Y10, Y9")
			d.f("\tVMOVAPS Y11, Y10")
		}
		lbl := "s1p"
		if d.masked {
			lbl = "s1m"
		}
		d.f("\tVXORPS Y10, Y10, Y10")
		row()
		rotate()
		d.f("\tDECQ R13")
		d.f("\tJZ %send", lbl)
		d.f("%srow:", lbl)
		row()
		d.pf("R8", 0, "pf+56(FP)")
		d.st("Y9", "R8", 0, 32, "Y13", "Y14", acc)
		d.f("\tADDQ BX, R8")
		rotate()
		d.f("\tDECQ R13")
		d.f("\tJNZ %srow", lbl)
		d.f("%send:", lbl)
		d.st("Y9", "R8", 0, 32, "Y13", "Y14", acc)
	})
	d.f("\tMOVQ h+40(FP), CX")
	d.f("\tIMULQ R11, CX")
	d.f("\tADDQ CX, SI")
	d.f("\tADDQ CX, DI")
	d.f("\tADDQ $36, R15")
	d.f("\tDECQ c+32(FP)")
	d.f("\tJNZ plane")
	d.f("\tVZEROUPPER")
	d.f("\tRET")
	d.f("")
}

// conv3s2 emits the stride-2 forward kernel: Y9 is the sum of output row y,
// Y10 that of row y+1 (from the odd input row 2y+1).
func (d *dwA2) conv3s2(name string) {
	d.f("// func %s(out, in, w, m unsafe.Pointer, c, h, wd, oh, ow, pfIn, pfOut int)", name)
	d.f("// The 3×3 stride-2 padding-1 correlation of c ≥ 1 planes of h×wd floats")
	d.f("// in with their filters w (c×9) overwrites out (c×oh×ow); m holds the")
	d.f("// masks of the first and last strip (input columns 2x0−1…, 2x0+7…, 2x0…,")
	d.f("// 2x0+8…, outputs x0…: 2×5×8 int32); pfIn and pfOut are the prefetch")
	d.f("// distances in bytes in the input and output.")
	d.f("TEXT ·%s(SB), NOSPLIT, $0-88", name)
	d.f("\tMOVQ out+0(FP), DI")
	d.f("\tMOVQ in+8(FP), SI")
	d.f("\tMOVQ w+16(FP), R15")
	d.f("\tMOVQ m+24(FP), R9")
	d.f("\tMOVQ wd+48(FP), R11")
	d.f("\tSHLQ $2, R11")
	d.f("\tMOVQ ow+64(FP), R10")
	d.f("\tLEAQ (R10*4), BX")
	d.f("plane:")
	d.loadFilter("R15")
	d.strips("s2", 160, func() {
		d.f("\tLEAQ (SI)(R12*8), R14")
		d.f("\tLEAQ (DI)(R12*4), R8")
		d.f("\tMOVQ h+40(FP), R13")
		d.f("\tMOVQ oh+56(FP), DX")
		d.f("\tVXORPS Y9, Y9, Y9")
		lbl := "s2p"
		if d.masked {
			lbl = "s2m"
		}
		d.f("%srow:", lbl)
		d.pf("R14", -4, "pfIn+72(FP)")
		d.pf("R14", 60, "pfIn+72(FP)")
		d.s2Taps()
		for kj, t := range []string{"Y11", "Y12", "Y13"} {
			d.f("\tVFMADD231PS %s, %s, Y9", t, dwTap(1, kj))
		}
		d.f("\tADDQ R11, R14")
		d.f("\tCMPQ R13, $2")
		d.f("\tJLT %sstore", lbl)
		d.pf("R14", -4, "pfIn+72(FP)")
		d.pf("R14", 60, "pfIn+72(FP)")
		d.s2Taps()
		for kj, t := range []string{"Y11", "Y12", "Y13"} {
			d.f("\tVFMADD231PS %s, %s, Y9", t, dwTap(2, kj))
			if kj == 0 {
				d.f("\tVMULPS %s, %s, Y10", t, dwTap(0, kj))
			} else {
				d.f("\tVFMADD231PS %s, %s, Y10", t, dwTap(0, kj))
			}
		}
		d.f("\tADDQ R11, R14")
		d.f("%sstore:", lbl)
		d.pf("R8", 0, "pfOut+80(FP)")
		d.f("\tVPERMPD $0xd8, Y9, Y9")
		d.st("Y9", "R8", 0, 128, "Y14", "", false)
		d.f("\tADDQ BX, R8")
		d.f("\tVMOVAPS Y10, Y9")
		d.f("\tSUBQ $2, R13")
		d.f("\tDECQ DX")
		d.f("\tJNZ %srow", lbl)
	})
	d.f("\tMOVQ h+40(FP), CX")
	d.f("\tIMULQ R11, CX")
	d.f("\tADDQ CX, SI")
	d.f("\tMOVQ oh+56(FP), CX")
	d.f("\tIMULQ BX, CX")
	d.f("\tADDQ CX, DI")
	d.f("\tADDQ $36, R15")
	d.f("\tDECQ c+32(FP)")
	d.f("\tJNZ plane")
	d.f("\tVZEROUPPER")
	d.f("\tRET")
	d.f("")
}

// gradSums adds the horizontal sums of Y0–Y8 into the 9 floats at (DI)
// (clobbers Y14).
func (d *dwA2) gradSums() {
	for i := 0; i < 9; i++ {
		d.f("\tVEXTRACTF128 $1, Y%d, X14", i)
		d.f("\tVADDPS X14, X%d, X%[1]d", i)
		d.f("\tVHADDPS X%d, X%[1]d, X%[1]d", i)
		d.f("\tVHADDPS X%d, X%[1]d, X%[1]d", i)
		d.f("\tVADDSS %d(DI), X%d, X%[2]d", 4*i, i)
		d.f("\tVMOVSS X%d, %d(DI)", i, 4*i)
	}
}

// grad3s1 emits the stride-1 filter gradient of one plane: Y0–Y8 sum
// dy·tap, Y9–Y11 hold dy rows r−1, r, r+1 while input row r is read.
func (d *dwA2) grad3s1(name string) {
	d.f("// func %s(dw, dy, in, m unsafe.Pointer, h, wd, pf int)", name)
	d.f("// Adds the filter gradient of one stride-1 plane (dy and in h×wd) into")
	d.f("// dw (9 floats); m and pf as in dwConv3s1AVX2.")
	d.f("TEXT ·%s(SB), NOSPLIT, $0-56", name)
	d.f("\tMOVQ dw+0(FP), DI")
	d.f("\tMOVQ dy+8(FP), SI")
	d.f("\tMOVQ in+16(FP), R15")
	d.f("\tMOVQ m+24(FP), R9")
	d.f("\tMOVQ wd+40(FP), R10")
	d.f("\tLEAQ (R10*4), R11")
	d.f("\tMOVQ R11, BX")
	for i := 0; i < 9; i++ {
		d.f("\tVXORPS Y%d, Y%[1]d, Y%[1]d", i)
	}
	d.strips("g1", 96, func() {
		d.f("\tLEAQ (R15)(R12*4), R14")
		d.f("\tLEAQ (SI)(R12*4), R8")
		d.f("\tMOVQ h+32(FP), R13")
		d.f("\tLEAQ -1(R13), DX")
		lbl := "g1p"
		if d.masked {
			lbl = "g1m"
		}
		d.f("\tVXORPS Y9, Y9, Y9")
		d.ld("R8", 0, "Y10", 32, "Y13")
		d.f("\tADDQ BX, R8")
		d.f("%srow:", lbl)
		d.f("\tVXORPS Y11, Y11, Y11")
		d.f("\tTESTQ DX, DX")
		d.f("\tJZ %shave", lbl)
		d.pf("R8", 0, "pf+48(FP)")
		d.ld("R8", 0, "Y11", 32, "Y13")
		d.f("\tADDQ BX, R8")
		d.f("%shave:", lbl)
		d.pf("R14", 0, "pf+48(FP)")
		d.s1Taps(func(kj int) {
			d.f("\tVFMADD231PS Y12, Y11, %s", dwTap(0, kj))
			d.f("\tVFMADD231PS Y12, Y10, %s", dwTap(1, kj))
			d.f("\tVFMADD231PS Y12, Y9, %s", dwTap(2, kj))
		})
		d.f("\tADDQ R11, R14")
		d.f("\tVMOVAPS Y10, Y9")
		d.f("\tVMOVAPS Y11, Y10")
		d.f("\tDECQ R13")
		d.f("\tJZ %send", lbl)
		d.f("\tDECQ DX")
		d.f("\tJMP %srow", lbl)
		d.f("%send:", lbl)
	})
	d.gradSums()
	d.f("\tVZEROUPPER")
	d.f("\tRET")
	d.f("")
}

// grad3s2 emits the stride-2 filter gradient of one plane: Y0–Y8 sum
// dy·tap, Y9 holds dy row y and Y10 row y+1 (shuffled lane order).
func (d *dwA2) grad3s2(name string) {
	d.f("// func %s(dw, dy, in, m unsafe.Pointer, h, wd, oh, ow, pfIn, pfOut int)", name)
	d.f("// Adds the filter gradient of one stride-2 plane (in h×wd, dy oh×ow)")
	d.f("// into dw (9 floats); m, pfIn and pfOut as in dwConv3s2AVX2.")
	d.f("TEXT ·%s(SB), NOSPLIT, $0-80", name)
	d.f("\tMOVQ dw+0(FP), DI")
	d.f("\tMOVQ dy+8(FP), SI")
	d.f("\tMOVQ in+16(FP), R15")
	d.f("\tMOVQ m+24(FP), R9")
	d.f("\tMOVQ wd+40(FP), R11")
	d.f("\tSHLQ $2, R11")
	d.f("\tMOVQ ow+56(FP), R10")
	d.f("\tLEAQ (R10*4), BX")
	for i := 0; i < 9; i++ {
		d.f("\tVXORPS Y%d, Y%[1]d, Y%[1]d", i)
	}
	d.strips("g2", 160, func() {
		d.f("\tLEAQ (R15)(R12*8), R14")
		d.f("\tLEAQ (SI)(R12*4), R8")
		d.f("\tMOVQ h+32(FP), R13")
		d.f("\tMOVQ oh+48(FP), DX")
		lbl := "g2p"
		if d.masked {
			lbl = "g2m"
		}
		d.ld("R8", 0, "Y9", 128, "Y14")
		d.f("\tVPERMPD $0xd8, Y9, Y9")
		d.f("\tADDQ BX, R8")
		d.f("%srow:", lbl)
		d.pf("R14", -4, "pfIn+64(FP)")
		d.pf("R14", 60, "pfIn+64(FP)")
		d.s2Taps()
		for kj, t := range []string{"Y11", "Y12", "Y13"} {
			d.f("\tVFMADD231PS %s, Y9, %s", t, dwTap(1, kj))
		}
		d.f("\tADDQ R11, R14")
		d.f("\tCMPQ R13, $2")
		d.f("\tJLT %send", lbl)
		d.f("\tVXORPS Y10, Y10, Y10")
		d.f("\tCMPQ DX, $1")
		d.f("\tJEQ %shave", lbl)
		d.pf("R8", 0, "pfOut+72(FP)")
		d.ld("R8", 0, "Y10", 128, "Y14")
		d.f("\tVPERMPD $0xd8, Y10, Y10")
		d.f("\tADDQ BX, R8")
		d.f("%shave:", lbl)
		d.pf("R14", -4, "pfIn+64(FP)")
		d.pf("R14", 60, "pfIn+64(FP)")
		d.s2Taps()
		for kj, t := range []string{"Y11", "Y12", "Y13"} {
			d.f("\tVFMADD231PS %s, Y9, %s", t, dwTap(2, kj))
			d.f("\tVFMADD231PS %s, Y10, %s", t, dwTap(0, kj))
		}
		d.f("\tADDQ R11, R14")
		d.f("\tVMOVAPS Y10, Y9")
		d.f("\tSUBQ $2, R13")
		d.f("\tDECQ DX")
		d.f("\tJNZ %srow", lbl)
		d.f("%send:", lbl)
	})
	d.gradSums()
	d.f("\tVZEROUPPER")
	d.f("\tRET")
	d.f("")
}

// back3s2 emits the stride-2 input gradient of one plane (acc:
// accumulating into dIn). Y9, Y10 hold dy row y at columns x and x+1, Y11,
// Y12 row y+1 (shuffled lane order); Y13, Y14 the even- and odd-column sums
// of a dIn row, Y15 a temporary.
func (d *dwA2) back3s2(name string, acc bool) {
	verb := "overwrites"
	if acc {
		verb = "adds into"
	}
	d.f("// func %s(dIn, dy, w, m unsafe.Pointer, h, wd, oh, ow, pfIn, pfOut int)", name)
	d.f("// The input gradient of one stride-2 plane (dy oh×ow, filter w: 9")
	d.f("// floats) %s dIn (h×wd); m holds the masks of the first and last", verb)
	d.f("// strip (dy columns x0…, x0+1…, dIn columns 2x0…, 2x0+8…: 2×4×8 int32);")
	d.f("// pfIn and pfOut are the prefetch distances in bytes in dIn and dy.")
	d.f("TEXT ·%s(SB), NOSPLIT, $0-80", name)
	d.f("\tMOVQ dIn+0(FP), DI")
	d.f("\tMOVQ dy+8(FP), SI")
	d.f("\tMOVQ w+16(FP), R15")
	d.f("\tMOVQ m+24(FP), R9")
	d.f("\tMOVQ wd+40(FP), R11")
	d.f("\tSHLQ $2, R11")
	d.f("\tMOVQ ow+56(FP), R10")
	d.f("\tLEAQ (R10*4), BX")
	d.loadFilter("R15")
	// store interleaves E (Y13) and O (Y14) into 16 dIn columns at R14.
	store := func(tmp string) {
		d.pf("R14", 0, "pfIn+64(FP)")
		d.pf("R14", 60, "pfIn+64(FP)")
		d.f("\tVUNPCKLPS Y14, Y13, Y15")
		d.f("\tVUNPCKHPS Y14, Y13, Y14")
		d.st("Y15", "R14", 0, 64, "Y13", tmp, acc)
		d.st("Y14", "R14", 32, 96, "Y13", tmp, acc)
		d.f("\tADDQ R11, R14")
	}
	loadDy := func(a, a1 string) {
		d.pf("R8", 0, "pfOut+72(FP)")
		d.ld("R8", 0, a, 0, "Y15")
		d.ld("R8", 4, a1, 32, "Y15")
		d.f("\tVPERMPD $0xd8, %s, %[1]s", a)
		d.f("\tVPERMPD $0xd8, %s, %[1]s", a1)
		d.f("\tADDQ BX, R8")
	}
	d.strips("b2", 128, func() {
		d.f("\tLEAQ (DI)(R12*8), R14")
		d.f("\tLEAQ (SI)(R12*4), R8")
		d.f("\tMOVQ h+32(FP), R13")
		d.f("\tMOVQ oh+48(FP), DX")
		lbl := "b2p"
		if d.masked {
			lbl = "b2m"
		}
		loadDy("Y9", "Y10")
		d.f("%srow:", lbl)
		// Even row 2y: dy row y through filter row 1.
		d.f("\tVMULPS Y9, %s, Y13", dwTap(1, 1))
		d.f("\tVMULPS Y9, %s, Y14", dwTap(1, 2))
		d.f("\tVFMADD231PS Y10, %s, Y14", dwTap(1, 0))
		store("Y11")
		d.f("\tCMPQ R13, $2")
		d.f("\tJLT %send", lbl)
		// Odd row 2y+1: dy row y through filter row 2, row y+1 through 0.
		d.f("\tVXORPS Y11, Y11, Y11")
		d.f("\tVXORPS Y12, Y12, Y12")
		d.f("\tCMPQ DX, $1")
		d.f("\tJEQ %shave", lbl)
		loadDy("Y11", "Y12")
		d.f("%shave:", lbl)
		d.f("\tVMULPS Y9, %s, Y13", dwTap(2, 1))
		d.f("\tVFMADD231PS Y11, %s, Y13", dwTap(0, 1))
		d.f("\tVMULPS Y9, %s, Y14", dwTap(2, 2))
		d.f("\tVFMADD231PS Y10, %s, Y14", dwTap(2, 0))
		d.f("\tVFMADD231PS Y11, %s, Y14", dwTap(0, 2))
		d.f("\tVFMADD231PS Y12, %s, Y14", dwTap(0, 0))
		store("Y9")
		d.f("\tVMOVAPS Y11, Y9")
		d.f("\tVMOVAPS Y12, Y10")
		d.f("\tSUBQ $2, R13")
		d.f("\tDECQ DX")
		d.f("\tJNZ %srow", lbl)
		d.f("%send:", lbl)
	})
	d.f("\tVZEROUPPER")
	d.f("\tRET")
	d.f("")
}

// depthwiseOpsAVX2 writes the AVX2+FMA depthwise kernels.
func depthwiseOpsAVX2(a *asm) {
	a.f("// AVX2+FMA 3×3 padding-1 depthwise kernels, written by")
	a.f("// _asm/depthwise_avx2.go (layout and registers described there).")
	a.f("")
	d := &dwA2{a: a}
	d.conv3s1("dwConv3s1AVX2", false)
	d.conv3s1("dwConv3s1AccAVX2", true)
	d.conv3s2("dwConv3s2AVX2")
	d.grad3s1("dwGrad3s1AVX2")
	d.grad3s2("dwGrad3s2AVX2")
	d.back3s2("dwBack3s2AVX2", false)
	d.back3s2("dwBack3s2AccAVX2", true)
}
