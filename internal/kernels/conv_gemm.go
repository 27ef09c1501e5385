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
	gemmPackedA(pa, threads, n, bSource{img: img[:g.C*g.H*g.W], g: g}, alpha, beta, c, ldc)
}

// packIm2col is packBGo for the implicit matrix Im2col(img, g) (rows
// C·KH·KW, columns OutH·OutW): it writes the block's part of the im2col
// matrix into tmp (len ≥ kc·cols, row stride cols, small enough to stay in
// cache) from whole output-row runs, then packs tmp with kn's B packer.
func packIm2col(kn *microKernel, dst, tmp, img []float32, g ConvGeom, p0, kc, j0, cols int) {
	ow := g.OutW()
	tmp = tmp[:kc*cols]
	for pp := 0; pp < kc; pp++ {
		p := p0 + pp
		ch, kk := p/(g.KH*g.KW), p%(g.KH*g.KW)
		ki, kj := kk/g.KW, kk%g.KW
		plane := img[ch*g.H*g.W : (ch+1)*g.H*g.W]
		x0, x1 := validRange(ow, g.SW, g.PW, kj, g.W)
		row := tmp[pp*cols : (pp+1)*cols]
		for j := j0; j < j0+cols; {
			oy, ox := j/ow, j%ow
			end := min(j0+cols, j+ow-ox) // this output row's part
			seg := row[j-j0 : end-j0]
			iy := oy*g.SH - g.PH + ki
			lo, hi := max(ox, x0), min(ox+len(seg), x1)
			if iy < 0 || iy >= g.H || lo >= hi {
				clear(seg)
				j = end
				continue
			}
			src := plane[iy*g.W : (iy+1)*g.W]
			clear(seg[:lo-ox])
			clear(seg[hi-ox:])
			run := seg[lo-ox : hi-ox]
			ix := lo*g.SW - g.PW + kj
			if g.SW == 1 {
				copy(run, src[ix:])
			} else {
				for t := range run {
					run[t] = src[ix]
					ix += g.SW
				}
			}
			j = end
		}
	}
	kn.packB(dst, false, tmp, cols, 0, kc, 0, cols, kn.nr)
}
