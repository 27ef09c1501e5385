package kernels

// ConvGeom describes a 2-D convolution window over one C×H×W image: kernel
// KH×KW, stride SH×SW, zero padding PH×PW (each side).
type ConvGeom struct {
	C, H, W int
	KH, KW  int
	SH, SW  int
	PH, PW  int
}

// OutH is the output height, (H + 2·PH − KH)/SH + 1.
func (g ConvGeom) OutH() int { return (g.H+2*g.PH-g.KH)/g.SH + 1 }

// OutW is the output width, (W + 2·PW − KW)/SW + 1.
func (g ConvGeom) OutW() int { return (g.W+2*g.PW-g.KW)/g.SW + 1 }

// ColRows is the number of rows of the im2col matrix, C·KH·KW.
func (g ConvGeom) ColRows() int { return g.C * g.KH * g.KW }

// Im2col unfolds one image (img: C×H×W) into col: (C·KH·KW) × (OutH·OutW),
// row-major, zero where the window overlaps the padding. col is overwritten.
func Im2col(col, img []float32, g ConvGeom) {
	oh, ow := g.OutH(), g.OutW()
	row := 0
	for c := 0; c < g.C; c++ {
		plane := img[c*g.H*g.W : (c+1)*g.H*g.W]
		for ki := 0; ki < g.KH; ki++ {
			for kj := 0; kj < g.KW; kj++ {
				dst := col[row*oh*ow : (row+1)*oh*ow]
				for y := 0; y < oh; y++ {
					iy := y*g.SH - g.PH + ki
					out := dst[y*ow : (y+1)*ow]
					if iy < 0 || iy >= g.H {
						clear(out)
						continue
					}
					src := plane[iy*g.W : (iy+1)*g.W]
					for x := range out {
						ix := x*g.SW - g.PW + kj
						if ix < 0 || ix >= g.W {
							out[x] = 0
						} else {
							out[x] = src[ix]
						}
					}
				}
				row++
			}
		}
	}
}

// Col2im is the adjoint of Im2col: it adds every entry of col ((C·KH·KW) ×
// (OutH·OutW)) back into the image position it was read from. img (C×H×W) is
// accumulated into, not overwritten.
func Col2im(img, col []float32, g ConvGeom) {
	oh, ow := g.OutH(), g.OutW()
	row := 0
	for c := 0; c < g.C; c++ {
		plane := img[c*g.H*g.W : (c+1)*g.H*g.W]
		for ki := 0; ki < g.KH; ki++ {
			for kj := 0; kj < g.KW; kj++ {
				src := col[row*oh*ow : (row+1)*oh*ow]
				for y := 0; y < oh; y++ {
					iy := y*g.SH - g.PH + ki
					if iy < 0 || iy >= g.H {
						continue
					}
					dst := plane[iy*g.W : (iy+1)*g.W]
					in := src[y*ow : (y+1)*ow]
					for x, v := range in {
						ix := x*g.SW - g.PW + kj
						if ix >= 0 && ix < g.W {
							dst[ix] += v
						}
					}
				}
				row++
			}
		}
	}
}
