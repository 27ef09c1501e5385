package model

import (
	"fmt"

	"github.com/cocotrain/cocotrain/internal/kernels"
	"github.com/cocotrain/cocotrain/internal/params"
)

// ConvSpec configures a Conv2d: Out output channels, a square Kernel×Kernel
// window, Stride, zero padding Pad on each side, Groups channel groups (1 =
// dense, Groups = input channels = Out: depthwise) and an optional bias.
type ConvSpec struct {
	Out, Kernel, Stride, Pad, Groups int
	Bias                             bool
}

// Conv2d is a 2-D convolution, as torch.nn.Conv2d.
//
//	in:  n × Cin × H × W
//	out: n × Cout × OH × OW,  OH = (H + 2·Pad − Kernel)/Stride + 1
//	weight: Cout × Cin/Groups × Kernel × Kernel, bias: Cout
//
// Dense and grouped convolutions unfold each sample with im2col and multiply
// per group (a 1×1 stride-1 unpadded convolution multiplies the input
// directly); depthwise convolutions (one input and one output channel per
// group) run a direct loop.
type Conv2d struct {
	base
	spec   ConvSpec
	geom   kernels.ConvGeom
	weight *params.Param
	bias   *params.Param // nil without bias
	// cache
	x []float32 // the input of the last Forward
}

// NewConv2d declares "<name>.weight" (and "<name>.bias") in a and returns the
// layer for per-sample input shape in.
func NewConv2d(ex *Exec, a *params.Arena, name string, in Shape, s ConvSpec) (*Conv2d, error) {
	if s.Groups == 0 {
		s.Groups = 1
	}
	if s.Stride == 0 {
		s.Stride = 1
	}
	if s.Out <= 0 || s.Kernel <= 0 || s.Stride <= 0 || s.Pad < 0 || s.Groups <= 0 {
		return nil, fmt.Errorf("model: %s: bad convolution %+v", name, s)
	}
	if in.C%s.Groups != 0 || s.Out%s.Groups != 0 {
		return nil, fmt.Errorf("model: %s: %d input and %d output channels not divisible by %d groups", name, in.C, s.Out, s.Groups)
	}
	g := kernels.ConvGeom{C: in.C, H: in.H, W: in.W, KH: s.Kernel, KW: s.Kernel, SH: s.Stride, SW: s.Stride, PH: s.Pad, PW: s.Pad}
	out := Shape{s.Out, g.OutH(), g.OutW()}
	if in.H+2*s.Pad < s.Kernel || in.W+2*s.Pad < s.Kernel {
		return nil, fmt.Errorf("model: %s: %d×%d kernel larger than padded %v input", name, s.Kernel, s.Kernel, in)
	}
	c := &Conv2d{base: base{name: name, in: in, out: out, ex: ex}, spec: s, geom: g}
	c.weight = c.declare(a, "weight", params.Weight, s.Out, in.C/s.Groups, s.Kernel, s.Kernel)
	if s.Bias {
		c.bias = c.declare(a, "bias", params.Bias, s.Out)
	}
	return c, nil
}

// MACs is Cout·OH·OW·(Cin/Groups)·Kernel² per sample.
func (c *Conv2d) MACs() int64 {
	return int64(c.out.Size()) * int64(c.in.C/c.spec.Groups*c.spec.Kernel*c.spec.Kernel)
}

// depthwise reports one input and one output channel per group.
func (c *Conv2d) depthwise() bool { return c.spec.Groups == c.in.C && c.spec.Groups == c.spec.Out }

// pointwise reports a 1×1 stride-1 unpadded convolution (a plain GEMM).
func (c *Conv2d) pointwise() bool { return c.spec.Kernel == 1 && c.spec.Stride == 1 && c.spec.Pad == 0 }

// Forward computes out = conv(in) (+ bias).
func (c *Conv2d) Forward(out, in []float32, n int) {
	c.x = in
	inSz, outSz := c.in.Size(), c.out.Size()
	ohw := c.out.H * c.out.W
	c.ex.parallel(n, func(w, i int) {
		x := in[i*inSz : (i+1)*inSz]
		y := out[i*outSz : (i+1)*outSz]
		switch {
		case c.depthwise():
			c.depthwiseForward(y, x)
		default:
			col := x
			if !c.pointwise() {
				col = c.ex.col(w, c.geom.ColRows()*ohw)
				kernels.Im2col(col, x, c.geom)
			}
			G := c.spec.Groups
			cog, kg := c.spec.Out/G, c.geom.ColRows()/G
			for g := 0; g < G; g++ {
				sgemm(false, false, cog, ohw, kg, 1, c.weight.W[g*cog*kg:], kg, col[g*kg*ohw:], ohw, 0, y[g*cog*ohw:], ohw)
			}
		}
		if c.bias != nil {
			for o, b := range c.bias.W {
				row := y[o*ohw : (o+1)*ohw]
				for j := range row {
					row[j] += b
				}
			}
		}
	})
}

// Backward computes dIn = convᵀ(dOut) and adds ∂L/∂weight, ∂L/∂bias.
func (c *Conv2d) Backward(dIn, dOut []float32, n int) {
	if c.depthwise() {
		c.depthwiseBackward(dIn, dOut, n)
		return
	}
	inSz, outSz := c.in.Size(), c.out.Size()
	ohw := c.out.H * c.out.W
	G := c.spec.Groups
	cog, kg := c.spec.Out/G, c.geom.ColRows()/G
	nw := len(c.weight.W)
	stride := nw
	if c.bias != nil {
		stride += c.spec.Out
	}
	groups := gradGroups(n)
	parts := c.ex.groupScratch(groups, stride)
	c.ex.parallel(groups, func(w, gi int) {
		part := parts[gi*stride : (gi+1)*stride]
		clear(part)
		rows := c.geom.ColRows() * ohw
		var col, dcol []float32
		if !c.pointwise() {
			buf := c.ex.col(w, 2*rows)
			col, dcol = buf[:rows], buf[rows:]
		}
		lo, hi := groupRange(gi, groups, n)
		for i := lo; i < hi; i++ {
			x := c.x[i*inSz : (i+1)*inSz]
			dy := dOut[i*outSz : (i+1)*outSz]
			if c.pointwise() {
				col = x
			} else {
				kernels.Im2col(col, x, c.geom)
			}
			for g := 0; g < G; g++ {
				// dW_g (cog×kg) += dY_g (cog×ohw) · col_gᵀ (ohw×kg)
				sgemm(false, true, cog, kg, ohw, 1, dy[g*cog*ohw:], ohw, col[g*kg*ohw:], ohw, 1, part[g*cog*kg:], kg)
			}
			if c.bias != nil {
				db := part[nw:]
				for o := range db {
					var s float32
					for _, v := range dy[o*ohw : (o+1)*ohw] {
						s += v
					}
					db[o] += s
				}
			}
			if dIn == nil {
				continue
			}
			dx := dIn[i*inSz : (i+1)*inSz]
			target := dcol
			if c.pointwise() {
				target = dx
			}
			for g := 0; g < G; g++ {
				// dcol_g (kg×ohw) = W_gᵀ (kg×cog) · dY_g (cog×ohw)
				sgemm(true, false, kg, ohw, cog, 1, c.weight.W[g*cog*kg:], kg, dy[g*cog*ohw:], ohw, 0, target[g*kg*ohw:], ohw)
			}
			if !c.pointwise() {
				clear(dx)
				kernels.Col2im(dx, dcol, c.geom)
			}
		}
	})
	c.ex.reduceGroups(c.weight.G, parts, groups, stride, 0)
	if c.bias != nil {
		c.ex.reduceGroups(c.bias.G, parts, groups, stride, nw)
	}
}

// span is the range [lo, hi) of output columns ox whose input column
// ox·s − p + k lies inside [0, w), clipped to [0, ow).
func span(ow, w, s, p, k int) (lo, hi int) {
	if d := p - k; d > 0 {
		lo = (d + s - 1) / s
	}
	hi = min(ow, (w-1+p-k)/s+1)
	if w-1+p-k < 0 {
		hi = 0
	}
	return lo, max(lo, hi)
}

// depthwiseForward convolves each channel plane of one sample with its own
// Kernel×Kernel filter.
func (c *Conv2d) depthwiseForward(y, x []float32) {
	H, W, OH, OW := c.in.H, c.in.W, c.out.H, c.out.W
	k, s, p := c.spec.Kernel, c.spec.Stride, c.spec.Pad
	for ch := 0; ch < c.in.C; ch++ {
		plane := x[ch*H*W : (ch+1)*H*W]
		dst := y[ch*OH*OW : (ch+1)*OH*OW]
		clear(dst)
		filt := c.weight.W[ch*k*k : (ch+1)*k*k]
		for ki := 0; ki < k; ki++ {
			for kj := 0; kj < k; kj++ {
				wv := filt[ki*k+kj]
				xlo, xhi := span(OW, W, s, p, kj)
				for oy := 0; oy < OH; oy++ {
					iy := oy*s - p + ki
					if iy < 0 || iy >= H {
						continue
					}
					src := plane[iy*W : (iy+1)*W]
					row := dst[oy*OW : (oy+1)*OW]
					for ox := xlo; ox < xhi; ox++ {
						row[ox] += wv * src[ox*s-p+kj]
					}
				}
			}
		}
	}
}

// depthwiseBackward runs over channels: channel ch sums its filter gradient
// over the samples in order, so no reduction across workers is needed.
func (c *Conv2d) depthwiseBackward(dIn, dOut []float32, n int) {
	H, W, OH, OW := c.in.H, c.in.W, c.out.H, c.out.W
	k, s, p := c.spec.Kernel, c.spec.Stride, c.spec.Pad
	C := c.in.C
	c.ex.parallel(C, func(_, ch int) {
		filt := c.weight.W[ch*k*k : (ch+1)*k*k]
		dfilt := c.weight.G[ch*k*k : (ch+1)*k*k]
		var db float32
		for i := 0; i < n; i++ {
			plane := c.x[(i*C+ch)*H*W : (i*C+ch+1)*H*W]
			dy := dOut[(i*C+ch)*OH*OW : (i*C+ch+1)*OH*OW]
			var dx []float32
			if dIn != nil {
				dx = dIn[(i*C+ch)*H*W : (i*C+ch+1)*H*W]
				clear(dx)
			}
			if c.bias != nil {
				for _, v := range dy {
					db += v
				}
			}
			for ki := 0; ki < k; ki++ {
				for kj := 0; kj < k; kj++ {
					wv := filt[ki*k+kj]
					xlo, xhi := span(OW, W, s, p, kj)
					var dw float32
					for oy := 0; oy < OH; oy++ {
						iy := oy*s - p + ki
						if iy < 0 || iy >= H {
							continue
						}
						src := plane[iy*W : (iy+1)*W]
						row := dy[oy*OW : (oy+1)*OW]
						for ox := xlo; ox < xhi; ox++ {
							dw += row[ox] * src[ox*s-p+kj]
						}
						if dx != nil {
							drow := dx[iy*W : (iy+1)*W]
							for ox := xlo; ox < xhi; ox++ {
								drow[ox*s-p+kj] += wv * row[ox]
							}
						}
					}
					dfilt[ki*k+kj] += dw
				}
			}
		}
		if c.bias != nil {
			c.bias.G[ch] += db
		}
	})
}
