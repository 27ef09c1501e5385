package model

import (
	"fmt"
	"math"
)

// poolGeom is a pooling window: kh×kw, stride s, padding p on each side.
type poolGeom struct{ kh, kw, s, p int }

// outShape is the pooled shape, floor((H + 2p − kh)/s) + 1 (and likewise W).
func (g poolGeom) outShape(name string, in Shape) (Shape, error) {
	if g.kh <= 0 || g.kw <= 0 || g.s <= 0 || g.p < 0 || 2*g.p > min(g.kh, g.kw) || in.H+2*g.p < g.kh || in.W+2*g.p < g.kw {
		return Shape{}, fmt.Errorf("model: %s: bad %d×%d pool (stride %d, padding %d) over %v", name, g.kh, g.kw, g.s, g.p, in)
	}
	return Shape{in.C, (in.H+2*g.p-g.kh)/g.s + 1, (in.W+2*g.p-g.kw)/g.s + 1}, nil
}

// MaxPool2d takes the maximum over each window, as torch.nn.MaxPool2d
// (padding counts as −∞; a NaN in the window makes the output NaN; the
// gradient goes to the first maximum, or to the last position of a NaN
// window).
//
//	in: n × C × H × W;  out: n × C × OH × OW;  argmax: n × C × OH × OW (cache)
type MaxPool2d struct {
	base
	g      poolGeom
	argmax []int32        // cache: flat in-plane index of each output's maximum
	units  maxPool2dUnits // parallel regions, built once
}

// NewMaxPool2d returns a kernel×kernel max pool with the given stride and padding.
func NewMaxPool2d(ex *Exec, name string, in Shape, kernel, stride, pad int) (*MaxPool2d, error) {
	g := poolGeom{kernel, kernel, stride, pad}
	out, err := g.outShape(name, in)
	if err != nil {
		return nil, err
	}
	m := &MaxPool2d{base: base{name: name, in: in, out: out, ex: ex}, g: g}
	m.buildUnits()
	return m, nil
}

// Forward writes each window's maximum and remembers where it was (an
// Infer replica, which never runs Backward, skips the remembering on the
// 2×2 stride-2 pools).
func (m *MaxPool2d) Forward(out, in []float32, n int) {
	m.argmax = growInt32(m.argmax, n*m.out.Size())
	m.call = call{out, in, n}
	m.ex.run(n, m.units.maxPoolForward)
}

// maxPoolForward is MaxPool2d.Forward's parallel region: unit i is sample i.
func (m *MaxPool2d) maxPoolForward(_, i int) {
	H, W, OH, OW, C := m.in.H, m.in.W, m.out.H, m.out.W, m.in.C
	twoByTwo := m.g.kh == 2 && m.g.kw == 2 && m.g.s == 2 && m.g.p == 0
	for pl := i * C; pl < (i+1)*C; pl++ {
		src := m.call.src[pl*H*W : (pl+1)*H*W]
		dst := m.call.dst[pl*OH*OW : (pl+1)*OH*OW]
		arg := m.argmax[pl*OH*OW : (pl+1)*OH*OW]
		switch {
		case twoByTwo && m.ex.inferOnly:
			maxPool2x2Values(dst, src, W, OH, OW)
		case twoByTwo:
			maxPool2x2(dst, arg, src, W, OH, OW)
		default:
			m.plane(dst, arg, src)
		}
	}
}

// plane max-pools one H×W plane into OH×OW, recording the argmax: the
// value is the builtin max over the window (NaN if any is, +0 over ±0), the
// argmax the first position holding that value (the window's last
// position when it is NaN).
func (m *MaxPool2d) plane(dst []float32, arg []int32, src []float32) {
	H, W, OH, OW := m.in.H, m.in.W, m.out.H, m.out.W
	y0, x0 := -m.g.p, -m.g.p
	for oy := 0; oy < OH; oy++ {
		ya, yb := max(oy*m.g.s+y0, 0), min(oy*m.g.s+y0+m.g.kh, H)
		for ox := 0; ox < OW; ox++ {
			xa, xb := max(ox*m.g.s+x0, 0), min(ox*m.g.s+x0+m.g.kw, W)
			best := float32(math.Inf(-1))
			for iy := ya; iy < yb; iy++ {
				for _, v := range src[iy*W+xa : iy*W+xb] {
					best = max(best, v)
				}
			}
			at := int32(-1)
			for iy := ya; iy < yb && at < 0; iy++ {
				for ix := xa; ix < xb; ix++ {
					if src[iy*W+ix] == best {
						at = int32(iy*W + ix)
						break
					}
				}
			}
			if at < 0 { // a NaN window: the last position
				at = int32((yb-1)*W + xb - 1)
			}
			dst[oy*OW+ox], arg[oy*OW+ox] = best, at
		}
	}
}

// maxPool2x2 is the 2×2 stride-2 unpadded case (the tiny net's pools),
// with plane's semantics, free of data-dependent branches (random signs
// made the compare-and-branch loop mispredict half the time): the builtin
// max gives the value (NaN if any is), and conditional moves the first
// position holding it (none holds a NaN: then the last).
func maxPool2x2(dst []float32, arg []int32, src []float32, W, OH, OW int) {
	for oy := 0; oy < OH; oy++ {
		r0 := src[2*oy*W : 2*oy*W+W]
		r1 := src[(2*oy+1)*W : (2*oy+1)*W+W]
		d := dst[oy*OW : (oy+1)*OW]
		a := arg[oy*OW : (oy+1)*OW]
		base := int32(2 * oy * W)
		for ox := range d {
			j := 2 * ox
			v0, v1, v2, v3 := r0[j], r0[j+1], r1[j], r1[j+1]
			best := max(v0, v1, v2, v3)
			at := int32(W + 1)
			if v2 == best {
				at = int32(W)
			}
			if v1 == best {
				at = 1
			}
			if v0 == best {
				at = 0
			}
			d[ox], a[ox] = best, base+int32(j)+at
		}
	}
}

// maxPool2x2Values is maxPool2x2 without the argmax (inference).
func maxPool2x2Values(dst []float32, src []float32, W, OH, OW int) {
	for oy := 0; oy < OH; oy++ {
		r0 := src[2*oy*W : 2*oy*W+W]
		r1 := src[(2*oy+1)*W : (2*oy+1)*W+W]
		d := dst[oy*OW : (oy+1)*OW]
		for ox := range d {
			j := 2 * ox
			d[ox] = max(r0[j], r0[j+1], r1[j], r1[j+1])
		}
	}
}

// Backward routes each output gradient to its window's maximum.
func (m *MaxPool2d) Backward(dIn, dOut []float32, n int) {
	if dIn == nil {
		return
	}
	m.call = call{dIn, dOut, n}
	m.ex.run(n*m.in.C, m.units.maxPoolBackward)
}

// maxPoolBackward is MaxPool2d.Backward's parallel region: unit pl is
// plane pl (sample pl / C, channel pl mod C).
func (m *MaxPool2d) maxPoolBackward(_, pl int) {
	hw, ohw := m.in.H*m.in.W, m.out.H*m.out.W
	dx := m.call.dst[pl*hw : (pl+1)*hw]
	clear(dx)
	arg := m.argmax[pl*ohw : (pl+1)*ohw]
	for j, g := range m.call.src[pl*ohw : (pl+1)*ohw] {
		dx[arg[j]] += g
	}
}

// AvgPool2d averages each window, as torch.nn.AvgPool2d with
// count_include_pad=True (padding counts as zeros in the k² divisor). With
// kernel = H = W it is a global average pool.
//
//	in: n × C × H × W;  out: n × C × OH × OW
type AvgPool2d struct {
	base
	g     poolGeom
	units avgPool2dUnits // parallel regions, built once
}

// NewAvgPool2d returns a kernel×kernel average pool.
func NewAvgPool2d(ex *Exec, name string, in Shape, kernel, stride, pad int) (*AvgPool2d, error) {
	g := poolGeom{kernel, kernel, stride, pad}
	out, err := g.outShape(name, in)
	if err != nil {
		return nil, err
	}
	p := &AvgPool2d{base: base{name: name, in: in, out: out, ex: ex}, g: g}
	p.buildUnits()
	return p, nil
}

// NewGlobalAvgPool averages each whole channel plane: n × C × H × W → n × C × 1 × 1.
func NewGlobalAvgPool(ex *Exec, name string, in Shape) *AvgPool2d {
	p := &AvgPool2d{base: base{name: name, in: in, out: Shape{in.C, 1, 1}, ex: ex}, g: poolGeom{in.H, in.W, 1, 0}}
	p.buildUnits()
	return p
}

// window calls fn(iy·W+ix) for the in-bounds positions of output (oy, ox).
func (a *AvgPool2d) window(oy, ox int, fn func(int)) {
	for ki := 0; ki < a.g.kh; ki++ {
		iy := oy*a.g.s - a.g.p + ki
		if iy < 0 || iy >= a.in.H {
			continue
		}
		for kj := 0; kj < a.g.kw; kj++ {
			ix := ox*a.g.s - a.g.p + kj
			if ix >= 0 && ix < a.in.W {
				fn(iy*a.in.W + ix)
			}
		}
	}
}

// divisor is the number of window positions including padding.
func (a *AvgPool2d) divisor() float32 { return float32(a.g.kh * a.g.kw) }

// Forward writes each window's mean.
func (a *AvgPool2d) Forward(out, in []float32, n int) {
	a.call = call{out, in, n}
	a.ex.run(n*a.in.C, a.units.avgPoolForward)
}

// avgPoolForward is AvgPool2d.Forward's parallel region: unit pl is plane
// pl (sample pl / C, channel pl mod C).
func (a *AvgPool2d) avgPoolForward(_, pl int) {
	hw, OW, ohw := a.in.H*a.in.W, a.out.W, a.out.H*a.out.W
	inv := 1 / a.divisor()
	src := a.call.src[pl*hw : (pl+1)*hw]
	dst := a.call.dst[pl*ohw : (pl+1)*ohw]
	for j := range dst {
		var s float32
		a.window(j/OW, j%OW, func(k int) { s += src[k] })
		dst[j] = s * inv
	}
}

// Backward spreads each output gradient evenly over its window.
func (a *AvgPool2d) Backward(dIn, dOut []float32, n int) {
	if dIn == nil {
		return
	}
	a.call = call{dIn, dOut, n}
	a.ex.run(n*a.in.C, a.units.avgPoolBackward)
}

// avgPoolBackward is AvgPool2d.Backward's parallel region: unit pl is
// plane pl.
func (a *AvgPool2d) avgPoolBackward(_, pl int) {
	hw, OW, ohw := a.in.H*a.in.W, a.out.W, a.out.H*a.out.W
	inv := 1 / a.divisor()
	dx := a.call.dst[pl*hw : (pl+1)*hw]
	clear(dx)
	for j, g := range a.call.src[pl*ohw : (pl+1)*ohw] {
		g *= inv
		a.window(j/OW, j%OW, func(k int) { dx[k] += g })
	}
}

// growInt32 returns buf resliced to n, reallocating only when too small.
func growInt32(buf []int32, n int) []int32 {
	if cap(buf) < n {
		return make([]int32, n)
	}
	return buf[:n]
}

// maxPool2dUnits are the parallel regions of a MaxPool2d, built once (buildUnits).
type maxPool2dUnits struct {
	maxPoolForward  unitFunc
	maxPoolBackward unitFunc
}

// buildUnits makes the layer's parallel regions (method values, so that
// running one allocates nothing).
func (m *MaxPool2d) buildUnits() {
	m.units = maxPool2dUnits{maxPoolForward: m.maxPoolForward, maxPoolBackward: m.maxPoolBackward}
}

// avgPool2dUnits are the parallel regions of a AvgPool2d, built once (buildUnits).
type avgPool2dUnits struct {
	avgPoolForward  unitFunc
	avgPoolBackward unitFunc
}

// buildUnits makes the layer's parallel regions (method values, so that
// running one allocates nothing).
func (a *AvgPool2d) buildUnits() {
	a.units = avgPool2dUnits{avgPoolForward: a.avgPoolForward, avgPoolBackward: a.avgPoolBackward}
}
