package kernels

// validRange returns the output positions [lo, hi) of one output axis of
// length n whose input index o·s − p + k falls inside [0, size).
func validRange(n, s, p, k, size int) (lo, hi int) {
	// o·s − p + k ≥ 0  ⇔  o ≥ ceil((p − k)/s)
	if d := p - k; d > 0 {
		lo = (d + s - 1) / s
	}
	// o·s − p + k ≤ size − 1  ⇔  o ≤ floor((size − 1 + p − k)/s)
	if d := size - 1 + p - k; d < 0 {
		hi = 0
	} else {
		hi = min(d/s+1, n)
	}
	return lo, max(hi, lo)
}

// DepthwiseConv is the forward pass of a depthwise convolution of one image:
// each channel c of in (C×H×W) is convolved (cross-correlation, zero padding)
// with its own KH×KW filter weight[c] (weight: C×KH×KW) into out
// (C×OutH×OutW), which is overwritten. No bias.
func DepthwiseConv(out, in, weight []float32, g ConvGeom) {
	oh, ow := g.OutH(), g.OutW()
	for c := 0; c < g.C; c++ {
		dst := out[c*oh*ow : (c+1)*oh*ow]
		clear(dst)
		plane := in[c*g.H*g.W : (c+1)*g.H*g.W]
		w := weight[c*g.KH*g.KW : (c+1)*g.KH*g.KW]
		for ki := 0; ki < g.KH; ki++ {
			y0, y1 := validRange(oh, g.SH, g.PH, ki, g.H)
			for kj := 0; kj < g.KW; kj++ {
				x0, x1 := validRange(ow, g.SW, g.PW, kj, g.W)
				wv := w[ki*g.KW+kj]
				for y := y0; y < y1; y++ {
					src := plane[(y*g.SH-g.PH+ki)*g.W:]
					row := dst[y*ow : (y+1)*ow]
					ix := x0*g.SW - g.PW + kj
					if g.SW == 1 {
						Axpy(wv, src[ix:ix+x1-x0], row[x0:x1])
						continue
					}
					for x := x0; x < x1; x++ {
						row[x] += wv * src[ix]
						ix += g.SW
					}
				}
			}
		}
	}
}

// DepthwiseConvBackward is the backward pass of DepthwiseConv for one image:
// given dOut (C×OutH×OutW), the forward input in (C×H×W) and weight
// (C×KH×KW), it adds ∂L/∂in into dIn (C×H×W) and ∂L/∂weight into dW
// (C×KH×KW). Both are accumulated; dIn may be nil (first layer).
func DepthwiseConvBackward(dIn, dW, dOut, in, weight []float32, g ConvGeom) {
	oh, ow := g.OutH(), g.OutW()
	for c := 0; c < g.C; c++ {
		dy := dOut[c*oh*ow : (c+1)*oh*ow]
		plane := in[c*g.H*g.W : (c+1)*g.H*g.W]
		var dplane []float32
		if dIn != nil {
			dplane = dIn[c*g.H*g.W : (c+1)*g.H*g.W]
		}
		w := weight[c*g.KH*g.KW : (c+1)*g.KH*g.KW]
		dw := dW[c*g.KH*g.KW : (c+1)*g.KH*g.KW]
		for ki := 0; ki < g.KH; ki++ {
			y0, y1 := validRange(oh, g.SH, g.PH, ki, g.H)
			for kj := 0; kj < g.KW; kj++ {
				x0, x1 := validRange(ow, g.SW, g.PW, kj, g.W)
				wv := w[ki*g.KW+kj]
				var acc float32
				for y := y0; y < y1; y++ {
					off := (y*g.SH - g.PH + ki) * g.W
					row := dy[y*ow : (y+1)*ow]
					src := plane[off:]
					ix := x0*g.SW - g.PW + kj
					if g.SW == 1 {
						acc += Dot(row[x0:x1], src[ix:ix+x1-x0])
						if dplane != nil {
							Axpy(wv, row[x0:x1], dplane[off+ix:off+ix+x1-x0])
						}
						continue
					}
					if dplane == nil {
						for x := x0; x < x1; x++ {
							acc += row[x] * src[ix]
							ix += g.SW
						}
						continue
					}
					dsrc := dplane[off:]
					for x := x0; x < x1; x++ {
						acc += row[x] * src[ix]
						dsrc[ix] += wv * row[x]
						ix += g.SW
					}
				}
				dw[ki*g.KW+kj] += acc
			}
		}
	}
}
