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
// (padding counts as −∞; the first maximum wins a tie).
//
//	in: n × C × H × W;  out: n × C × OH × OW;  argmax: n × C × OH × OW (cache)
type MaxPool2d struct {
	base
	g      poolGeom
	argmax []int32 // cache: flat in-plane index of each output's maximum
}

// NewMaxPool2d returns a kernel×kernel max pool with the given stride and padding.
func NewMaxPool2d(ex *Exec, name string, in Shape, kernel, stride, pad int) (*MaxPool2d, error) {
	g := poolGeom{kernel, kernel, stride, pad}
	out, err := g.outShape(name, in)
	if err != nil {
		return nil, err
	}
	return &MaxPool2d{base: base{name: name, in: in, out: out, ex: ex}, g: g}, nil
}

// Forward writes each window's maximum and remembers where it was.
func (m *MaxPool2d) Forward(out, in []float32, n int) {
	m.argmax = growInt32(m.argmax, n*m.out.Size())
	m.call = call{out, in, n}
	m.ex.run(n, (*maxPoolForward)(m))
}

// maxPoolForward is MaxPool2d.Forward's parallel region: unit i is sample i.
type maxPoolForward MaxPool2d

func (m *maxPoolForward) unit(_, i int) {
	H, W, OH, OW, C := m.in.H, m.in.W, m.out.H, m.out.W, m.in.C
	for pl := i * C; pl < (i+1)*C; pl++ {
		src := m.call.src[pl*H*W : (pl+1)*H*W]
		dst := m.call.dst[pl*OH*OW : (pl+1)*OH*OW]
		arg := m.argmax[pl*OH*OW : (pl+1)*OH*OW]
		if m.g.kh == 2 && m.g.kw == 2 && m.g.s == 2 && m.g.p == 0 {
			maxPool2x2(dst, arg, src, W, OH, OW)
			continue
		}
		(*MaxPool2d)(m).plane(dst, arg, src)
	}
}

// plane max-pools one H×W plane into OH×OW, recording the argmax.
func (m *MaxPool2d) plane(dst []float32, arg []int32, src []float32) {
	H, W, OH, OW := m.in.H, m.in.W, m.out.H, m.out.W
	for oy := 0; oy < OH; oy++ {
		for ox := 0; ox < OW; ox++ {
			best, at := float32(math.Inf(-1)), int32(-1)
			for ki := 0; ki < m.g.kh; ki++ {
				iy := oy*m.g.s - m.g.p + ki
				if iy < 0 || iy >= H {
					continue
				}
				for kj := 0; kj < m.g.kw; kj++ {
					ix := ox*m.g.s - m.g.p + kj
					if ix < 0 || ix >= W {
						continue
					}
					if v := src[iy*W+ix]; v > best || at < 0 {
						best, at = v, int32(iy*W+ix)
					}
				}
			}
			dst[oy*OW+ox], arg[oy*OW+ox] = best, at
		}
	}
}

// maxPool2x2 is the 2×2 stride-2 unpadded case (the tiny net's pools): the
// first maximum of each window in row-major order wins, as in plane.
func maxPool2x2(dst []float32, arg []int32, src []float32, W, OH, OW int) {
	for oy := 0; oy < OH; oy++ {
		r0 := src[2*oy*W : 2*oy*W+W]
		r1 := src[(2*oy+1)*W : (2*oy+1)*W+W]
		d := dst[oy*OW : (oy+1)*OW]
		a := arg[oy*OW : (oy+1)*OW]
		for ox := range d {
			j := 2 * ox
			best, at := r0[j], 2*oy*W+j
			if v := r0[j+1]; v > best {
				best, at = v, 2*oy*W+j+1
			}
			if v := r1[j]; v > best {
				best, at = v, (2*oy+1)*W+j
			}
			if v := r1[j+1]; v > best {
				best, at = v, (2*oy+1)*W+j+1
			}
			d[ox], a[ox] = best, int32(at)
		}
	}
}

// Backward routes each output gradient to its window's maximum.
func (m *MaxPool2d) Backward(dIn, dOut []float32, n int) {
	if dIn == nil {
		return
	}
	m.call = call{dIn, dOut, n}
	m.ex.run(n*m.in.C, (*maxPoolBackward)(m))
}

// maxPoolBackward is MaxPool2d.Backward's parallel region: unit pl is
// plane pl (sample pl / C, channel pl mod C).
type maxPoolBackward MaxPool2d

func (m *maxPoolBackward) unit(_, pl int) {
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
	g poolGeom
}

// NewAvgPool2d returns a kernel×kernel average pool.
func NewAvgPool2d(ex *Exec, name string, in Shape, kernel, stride, pad int) (*AvgPool2d, error) {
	g := poolGeom{kernel, kernel, stride, pad}
	out, err := g.outShape(name, in)
	if err != nil {
		return nil, err
	}
	return &AvgPool2d{base: base{name: name, in: in, out: out, ex: ex}, g: g}, nil
}

// NewGlobalAvgPool averages each whole channel plane: n × C × H × W → n × C × 1 × 1.
func NewGlobalAvgPool(ex *Exec, name string, in Shape) *AvgPool2d {
	return &AvgPool2d{base: base{name: name, in: in, out: Shape{in.C, 1, 1}, ex: ex}, g: poolGeom{in.H, in.W, 1, 0}}
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
	a.ex.run(n*a.in.C, (*avgPoolForward)(a))
}

// avgPoolForward is AvgPool2d.Forward's parallel region: unit pl is plane
// pl (sample pl / C, channel pl mod C).
type avgPoolForward AvgPool2d

func (a *avgPoolForward) unit(_, pl int) {
	hw, OW, ohw := a.in.H*a.in.W, a.out.W, a.out.H*a.out.W
	inv := 1 / (*AvgPool2d)(a).divisor()
	src := a.call.src[pl*hw : (pl+1)*hw]
	dst := a.call.dst[pl*ohw : (pl+1)*ohw]
	for j := range dst {
		var s float32
		(*AvgPool2d)(a).window(j/OW, j%OW, func(k int) { s += src[k] })
		dst[j] = s * inv
	}
}

// Backward spreads each output gradient evenly over its window.
func (a *AvgPool2d) Backward(dIn, dOut []float32, n int) {
	if dIn == nil {
		return
	}
	a.call = call{dIn, dOut, n}
	a.ex.run(n*a.in.C, (*avgPoolBackward)(a))
}

// avgPoolBackward is AvgPool2d.Backward's parallel region: unit pl is
// plane pl.
type avgPoolBackward AvgPool2d

func (a *avgPoolBackward) unit(_, pl int) {
	hw, OW, ohw := a.in.H*a.in.W, a.out.W, a.out.H*a.out.W
	inv := 1 / (*AvgPool2d)(a).divisor()
	dx := a.call.dst[pl*hw : (pl+1)*hw]
	clear(dx)
	for j, g := range a.call.src[pl*ohw : (pl+1)*ohw] {
		g *= inv
		(*AvgPool2d)(a).window(j/OW, j%OW, func(k int) { dx[k] += g })
	}
}

// growInt32 returns buf resliced to n, reallocating only when too small.
func growInt32(buf []int32, n int) []int32 {
	if cap(buf) < n {
		return make([]int32, n)
	}
	return buf[:n]
}
