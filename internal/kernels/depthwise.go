package kernels

// DepthwiseConv is the forward pass of a depthwise convolution of one image:
// each channel c of in (C×H×W) is convolved (cross-correlation, zero padding)
// with its own KH×KW filter weight[c] (weight: C×KH×KW) into out
// (C×OutH×OutW), which is overwritten. No bias.
//
// 3×3 filters with padding 1 and stride 1 or 2 run the plane kernels of dw
// (AVX-512 where the CPU has it); a filter covering the whole unpadded plane
// (a global depthwise convolution, 1×1 output) is one dot product per
// channel; other geometries run the generic loops.
func DepthwiseConv(out, in, weight []float32, g ConvGeom) {
	switch {
	case g.C == 0:
	case isGlobal(g):
		hw := g.H * g.W
		out = out[:g.C]
		for c := range out {
			out[c] = Dot(in[c*hw:(c+1)*hw], weight[c*hw:(c+1)*hw])
		}
	case is3x3(g):
		dw.conv3(out, in, weight, g)
	default:
		depthwiseGeneric(out, in, weight, g)
	}
}

// DepthwiseConvBackward is the backward pass of DepthwiseConv for one image:
// given dOut (C×OutH×OutW), the forward input in (C×H×W) and weight
// (C×KH×KW), it adds ∂L/∂in into dIn (C×H×W) and ∂L/∂weight into dW
// (C×KH×KW). Both are accumulated; dIn may be nil (first layer). The
// geometries take the paths of DepthwiseConv.
func DepthwiseConvBackward(dIn, dW, dOut, in, weight []float32, g ConvGeom) {
	depthwiseBackward(dIn, dW, dOut, in, weight, g, true)
}

// DepthwiseConvBackwardOverwrite is DepthwiseConvBackward with dIn
// overwritten rather than accumulated (dW is still accumulated).
func DepthwiseConvBackwardOverwrite(dIn, dW, dOut, in, weight []float32, g ConvGeom) {
	depthwiseBackward(dIn, dW, dOut, in, weight, g, false)
}

// depthwiseBackward is DepthwiseConvBackward, adding into dIn when accIn and
// overwriting it otherwise.
func depthwiseBackward(dIn, dW, dOut, in, weight []float32, g ConvGeom, accIn bool) {
	switch {
	case g.C == 0:
	case isGlobal(g):
		hw := g.H * g.W
		for c, dy := range dOut[:g.C] {
			Axpy(dy, in[c*hw:(c+1)*hw], dW[c*hw:(c+1)*hw])
			if dIn == nil {
				continue
			}
			dx, w := dIn[c*hw:(c+1)*hw], weight[c*hw:(c+1)*hw]
			if accIn {
				Axpy(dy, w, dx)
				continue
			}
			for i, v := range w {
				dx[i] = dy * v
			}
		}
	case is3x3(g):
		dw.back3(dIn, dW, dOut, in, weight, g, accIn)
	default:
		depthwiseBackwardGeneric(dIn, dW, dOut, in, weight, g, accIn)
	}
}

// isGlobal reports a filter that covers the whole unpadded plane: one output
// per channel (MobileFaceNet's global depthwise convolution).
func isGlobal(g ConvGeom) bool { return g.KH == g.H && g.KW == g.W && g.PH == 0 && g.PW == 0 }

// is3x3 reports a 3×3 filter with padding 1 and stride 1 or 2 on both axes
// (MobileFaceNet's depthwise convolutions), the geometries of dw.
func is3x3(g ConvGeom) bool {
	return g.KH == 3 && g.KW == 3 && g.PH == 1 && g.PW == 1 && g.SH == g.SW && (g.SH == 1 || g.SH == 2)
}
