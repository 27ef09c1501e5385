package kernels

// Vector loops the layers use. All take plain slices; lengths are the
// caller's contract (the routines index up to len(x) and panic on shorter
// partners, as ordinary slice indexing does).

// vecImpl is one implementation of the elementwise loops (contracts of the
// exported functions, with equal lengths already ensured).
type vecImpl struct {
	name  string
	axpy  func(alpha float32, x, y []float32)
	scale func(alpha float32, x []float32)
	relu  func(out, in []float32)
	dot   func(x, y []float32) float32
	// rowCorr adds the 1-D correlation of src with w into dst:
	// dst[x] += Σ_j w[j]·src[x+j] (len(dst), len(w) ≥ 1; len(src) ≥
	// len(dst)+len(w)−1). The row kernel of the depthwise convolution.
	rowCorr func(dst, src, w []float32)
}

// vecGo is the pure-Go implementation, the reference of the others.
var vecGo = vecImpl{name: "go", axpy: axpyGo, scale: scaleGo, relu: reluGo, dot: dotGo, rowCorr: rowCorrGo}

// vec is the implementation the exported functions use: the first of
// vecImpls().
var vec = vecImpls()[0]

// Axpy adds alpha·x to y: y[i] += alpha·x[i] for i < len(x).
func Axpy(alpha float32, x, y []float32) {
	y = y[:len(x)]
	if len(x) > 0 {
		vec.axpy(alpha, x, y)
	}
}

// Scale multiplies x in place by alpha.
func Scale(alpha float32, x []float32) {
	if len(x) > 0 {
		vec.scale(alpha, x)
	}
}

// Dot returns Σ x[i]·y[i] for i < len(x), accumulated in float64 by the
// pure-Go path and in float32 vector lanes by the assembly ones.
func Dot(x, y []float32) float32 {
	y = y[:len(x)]
	if len(x) == 0 {
		return 0
	}
	return vec.dot(x, y)
}

// Sum returns Σ x[i], accumulated in float64.
func Sum(x []float32) float32 {
	var s float64
	for _, v := range x {
		s += float64(v)
	}
	return float32(s)
}

// SumSquares returns Σ x[i]², accumulated in float64: the squared L2 norm
// that the loss heads, the optimizer's clipping and the evaluation's
// normalisation share.
func SumSquares(x []float32) float64 {
	var s float64
	for _, v := range x {
		s += float64(v) * float64(v)
	}
	return s
}

// ReLU writes out[i] = max(in[i], 0) for i < len(in); NaN propagates. out
// may be in itself.
func ReLU(out, in []float32) {
	out = out[:len(in)]
	if len(in) > 0 {
		vec.relu(out, in)
	}
}

func axpyGo(alpha float32, x, y []float32) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += alpha * v
	}
}

func scaleGo(alpha float32, x []float32) {
	for i := range x {
		x[i] *= alpha
	}
}

func dotGo(x, y []float32) float32 {
	y = y[:len(x)]
	var s float64
	for i, v := range x {
		s += float64(v) * float64(y[i])
	}
	return float32(s)
}

func rowCorrGo(dst, src, w []float32) {
	src = src[:len(dst)+len(w)-1]
	for x := range dst {
		s := dst[x]
		for j, wv := range w {
			s += wv * src[x+j]
		}
		dst[x] = s
	}
}

func reluGo(out, in []float32) {
	out = out[:len(in)]
	for i, v := range in {
		if v < 0 {
			v = 0
		}
		out[i] = v
	}
}

// ReLUBackward writes dIn[i] = dOut[i] where x[i] > 0 and 0 elsewhere, for
// i < len(x); x is the forward input (or output: the sign is the same). dIn
// is overwritten, not accumulated, and may be dOut itself.
func ReLUBackward(dIn, dOut, x []float32) {
	dIn, dOut = dIn[:len(x)], dOut[:len(x)]
	for i, v := range x {
		if v > 0 {
			dIn[i] = dOut[i]
		} else {
			dIn[i] = 0
		}
	}
}

// PReLU applies a per-channel parametric ReLU to in, laid out N×C×HW (any
// N, C = len(slope), hw = spatial size per channel): out = in where in > 0,
// slope[c]·in elsewhere. out may be in itself.
func PReLU(out, in, slope []float32, hw int) {
	c := len(slope)
	out = out[:len(in)]
	for base := 0; base < len(in); base += c * hw {
		for ch, s := range slope {
			o := base + ch*hw
			src, dst := in[o:o+hw], out[o:o+hw]
			for i, v := range src {
				if v > 0 {
					dst[i] = v
				} else {
					dst[i] = s * v
				}
			}
		}
	}
}

// PReLUBackward is the backward pass of PReLU (same N×C×HW layout): it
// writes dIn = dOut where in > 0 and slope[c]·dOut elsewhere (overwritten,
// may be dOut itself; nil skips it) and adds Σ dOut·in over in ≤ 0 to
// dSlope[c] (accumulated).
func PReLUBackward(dIn, dSlope, dOut, in, slope []float32, hw int) {
	c := len(slope)
	for base := 0; base < len(in); base += c * hw {
		for ch, s := range slope {
			o := base + ch*hw
			x, dy := in[o:o+hw], dOut[o:o+hw]
			var ds float64
			for i, v := range x {
				if v <= 0 {
					ds += float64(dy[i]) * float64(v)
				}
			}
			dSlope[ch] += float32(ds)
			if dIn == nil {
				continue
			}
			dx := dIn[o : o+hw]
			for i, v := range x {
				if v > 0 {
					dx[i] = dy[i]
				} else {
					dx[i] = s * dy[i]
				}
			}
		}
	}
}

// ChannelSums computes, for x laid out N×C×HW (C = len(sum)), the per-channel
// Σx and Σx² over all N and HW positions, in float64 (batch-norm statistics).
// sum and sumSq are overwritten.
func ChannelSums(sum, sumSq []float64, x []float32, hw int) {
	c := len(sum)
	sumSq = sumSq[:c]
	clear(sum)
	clear(sumSq)
	for base := 0; base < len(x); base += c * hw {
		for ch := range c {
			var s, q float64
			for _, v := range x[base+ch*hw : base+(ch+1)*hw] {
				f := float64(v)
				s += f
				q += f * f
			}
			sum[ch] += s
			sumSq[ch] += q
		}
	}
}

// ChannelDot computes, for x and y laid out N×C×HW (C = len(dst)), the
// per-channel Σ x·y over all N and HW positions, in float64 (the batch-norm
// backward reduction Σ dy·x̂). dst is overwritten.
func ChannelDot(dst []float64, x, y []float32, hw int) {
	c := len(dst)
	y = y[:len(x)]
	clear(dst)
	for base := 0; base < len(x); base += c * hw {
		for ch := range c {
			o := base + ch*hw
			yy := y[o : o+hw]
			var s float64
			for i, v := range x[o : o+hw] {
				s += float64(v) * float64(yy[i])
			}
			dst[ch] += s
		}
	}
}

// ChannelAffine writes out = in·scale[c] + shift[c] for in laid out N×C×HW
// (C = len(scale)); the batch-norm apply step. out may be in itself.
func ChannelAffine(out, in, scale, shift []float32, hw int) {
	c := len(scale)
	shift = shift[:c]
	out = out[:len(in)]
	for base := 0; base < len(in); base += c * hw {
		for ch, s := range scale {
			o := base + ch*hw
			b := shift[ch]
			dst := out[o : o+hw]
			for i, v := range in[o : o+hw] {
				dst[i] = v*s + b
			}
		}
	}
}
