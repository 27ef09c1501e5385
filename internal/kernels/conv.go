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
			y0, y1 := validRange(oh, g.SH, g.PH, ki, g.H)
			for kj := 0; kj < g.KW; kj++ {
				x0, x1 := validRange(ow, g.SW, g.PW, kj, g.W)
				dst := col[row*oh*ow : (row+1)*oh*ow]
				clear(dst[:y0*ow])
				clear(dst[y1*ow:])
				for y := y0; y < y1; y++ {
					out := dst[y*ow : (y+1)*ow]
					src := plane[(y*g.SH-g.PH+ki)*g.W:][:g.W]
					clear(out[:x0])
					clear(out[x1:])
					ix := x0*g.SW - g.PW + kj
					if g.SW == 1 {
						copy(out[x0:x1], src[ix:])
						continue
					}
					for x := x0; x < x1; x++ {
						out[x] = src[ix]
						ix += g.SW
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
			y0, y1 := validRange(oh, g.SH, g.PH, ki, g.H)
			for kj := 0; kj < g.KW; kj++ {
				x0, x1 := validRange(ow, g.SW, g.PW, kj, g.W)
				src := col[row*oh*ow : (row+1)*oh*ow]
				for y := y0; y < y1; y++ {
					dst := plane[(y*g.SH-g.PH+ki)*g.W:][:g.W]
					in := src[y*ow : (y+1)*ow]
					ix := x0*g.SW - g.PW + kj
					if g.SW == 1 {
						Axpy(1, in[x0:x1], dst[ix:])
						continue
					}
					for x := x0; x < x1; x++ {
						dst[ix] += in[x]
						ix += g.SW
					}
				}
				row++
			}
		}
	}
}
