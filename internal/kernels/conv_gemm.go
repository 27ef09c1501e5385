package kernels

// SgemmConv computes one image's convolution as a GEMM without an im2col
// buffer: C = alpha·W·Im2col(img) + beta·C, where W is the packed weight
// matrix (M×(C·KH·KW); pa.Cols() must equal g.ColRows()), img is one C×H×W
// image and C is M×(OutH·OutW) with row stride ldc (beta = 0 ignores its
// content). The columns of the im2col matrix are written straight into the
// GEMM's packed panels. It splits the work over Threads() goroutines.
func SgemmConv(pa *PackedA, img []float32, g ConvGeom, alpha, beta float32, c []float32, ldc int) {
	sgemmConv(pa, Threads(), img, g, alpha, beta, c, ldc)
}

// SgemmConvSerial is SgemmConv on the calling goroutine only.
func SgemmConvSerial(pa *PackedA, img []float32, g ConvGeom, alpha, beta float32, c []float32, ldc int) {
	sgemmConv(pa, 1, img, g, alpha, beta, c, ldc)
}

func sgemmConv(pa *PackedA, threads int, img []float32, g ConvGeom, alpha, beta float32, c []float32, ldc int) {
	if pa.k != g.ColRows() {
		panic("kernels: SgemmConv: packed weights have the wrong number of columns for the geometry")
	}
	n := g.OutH() * g.OutW()
	checkMatrix("SgemmConv", "C", false, pa.m, n, c, ldc)
	if pa.m <= 0 || n <= 0 {
		return
	}
	if pa.k <= 0 || alpha == 0 {
		scaleC(beta, c, pa.m, n, ldc)
		return
	}
	img = img[:g.C*g.H*g.W]
	nr := pa.kn.nr
	gemmPackedA(pa, threads, n, func(dst []float32, p0, kc, j0, cols int) {
		packIm2col(dst, img, g, p0, kc, j0, cols, nr)
	}, alpha, beta, c, ldc)
}

// packIm2col is packBGo for the implicit matrix Im2col(img, g) (rows
// C·KH·KW, columns OutH·OutW): runs of an output row are copied straight
// from the image (stride 1) or gathered (larger strides), padding is zero.
func packIm2col(dst, img []float32, g ConvGeom, p0, kc, j0, cols, nr int) {
	ow := g.OutW()
	panels := (cols + nr - 1) / nr
	dst = dst[:panels*kc*nr]
	for pp := 0; pp < kc; pp++ {
		p := p0 + pp
		ch, kk := p/(g.KH*g.KW), p%(g.KH*g.KW)
		ki, kj := kk/g.KW, kk%g.KW
		plane := img[ch*g.H*g.W : (ch+1)*g.H*g.W]
		x0, x1 := validRange(ow, g.SW, g.PW, kj, g.W)
		for q := 0; q < panels; q++ {
			d := dst[(q*kc+pp)*nr : (q*kc+pp+1)*nr]
			ja, jb := j0+q*nr, min(j0+(q+1)*nr, j0+cols)
			clear(d[jb-ja:])
			// Walk the panel's columns one output-row segment at a time.
			for j := ja; j < jb; {
				oy, ox := j/ow, j%ow
				end := min(jb, j+ow-ox) // this output row's part of the panel
				seg := d[j-ja : end-ja]
				iy := oy*g.SH - g.PH + ki
				if iy < 0 || iy >= g.H {
					clear(seg)
					j = end
					continue
				}
				src := plane[iy*g.W : (iy+1)*g.W]
				oxEnd := ox + len(seg)
				lo, hi := max(ox, x0), min(oxEnd, x1)
				if lo >= hi {
					clear(seg)
					j = end
					continue
				}
				run := seg[lo-ox : hi-ox]
				ix := lo*g.SW - g.PW + kj
				if g.SW == 1 && len(run) >= 16 {
					clear(seg[:lo-ox])
					clear(seg[hi-ox:])
					copy(run, src[ix:ix+len(run)])
					j = end
					continue
				}
				// Short runs (small maps) and strides: one loop, no calls.
				for t := range seg {
					if x := ox + t; x >= lo && x < hi {
						seg[t] = src[x*g.SW-g.PW+kj]
					} else {
						seg[t] = 0
					}
				}
				j = end
			}
		}
	}
}
