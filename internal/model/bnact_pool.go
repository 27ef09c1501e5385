package model

import (
	"github.com/cocotrain/cocotrain/internal/kernels"
	"github.com/cocotrain/cocotrain/internal/params"
)

// BNActPool is a BatchNorm2d, a ReLU or per-channel PReLU and a 2×2
// stride-2 max pool run as one layer (tiny's stages). Forward computes the
// batch statistics, then per plane normalises and activates into a
// per-worker scratch plane that stays in cache and pools it, writing only
// the pooled output and each output's window index: the full-size
// activation never reaches memory. Backward takes the batch-norm gradient
// sums from the pooled positions alone (the pooled gradient reaches only
// each window's maximum, where the normalised value is recomputed from the
// cached input) and writes the input gradient in one sweep,
// dx = k·g + (x − μ)·kb + kc with g nonzero only at the maxima: the
// full-size gradients of the pool and the activation are never formed.
// The results are those of the three layers run one after the other (see
// MaxPool2d for the max's semantics, NaN included); the layers keep their
// names, parameters and summary rows as BNActPool's children.
//
//	in: n × C × H × W;  out: n × C × ⌊H/2⌋ × ⌊W/2⌋;  arg: n × C × ⌊H/2⌋ × ⌊W/2⌋ (cache)
type BNActPool struct {
	ba   *BNAct     // the batch norm and activation, with their channel maps
	pool *MaxPool2d // the 2×2 stride-2 pool (its own caches stay unused)
	// cache: the window index of each output's maximum, 2·dy + dx in its
	// 2×2 window (0..3)
	arg  []uint8
	call call // the arguments of the running Forward or Backward
}

// newBNActPool fuses ba with pool, a 2×2 stride-2 unpadded max pool over
// ba's output.
func newBNActPool(ba *BNAct, pool *MaxPool2d) *BNActPool {
	return &BNActPool{ba: ba, pool: pool}
}

// Name is the batch norm's name.
func (l *BNActPool) Name() string { return l.ba.Name() }

// InShape is the per-sample input shape.
func (l *BNActPool) InShape() Shape { return l.ba.InShape() }

// OutShape is the per-sample pooled shape.
func (l *BNActPool) OutShape() Shape { return l.pool.OutShape() }

// Params are the batch norm's tensors, then the activation's.
func (l *BNActPool) Params() []*params.Param { return l.ba.Params() }

// MACs is 0: no matrix products.
func (l *BNActPool) MACs() int64 { return 0 }

// Children are the batch norm, the activation and the pool.
func (l *BNActPool) Children() []Layer { return []Layer{l.ba.bn, l.ba.act, l.pool} }

// Forward computes out = maxpool(act(BN(in))), one channel per work unit
// (an Infer replica, which never runs Backward, skips the window indices).
func (l *BNActPool) Forward(out, in []float32, n int) {
	l.ba.bn.begin(in, n)
	if !l.ba.bn.ex.inferOnly {
		l.arg = growUint8(l.arg, n*l.pool.out.Size())
	}
	l.call = call{out, in, n}
	l.ba.bn.ex.run(l.ba.bn.in.C, (*bnActPoolForward)(l))
}

// bnActPoolForward is BNActPool.Forward's parallel region: unit c is
// channel c.
type bnActPoolForward BNActPool

func (l *bnActPoolForward) unit(w, c int) {
	ba, b := l.ba, l.ba.bn
	C, W, hw := b.in.C, b.in.W, b.in.H*b.in.W
	OH, OW := l.pool.out.H, l.pool.out.W
	ohw := OH * OW
	out, in, n := l.call.dst, l.call.src, l.call.n
	mu, s, t := b.channelForward(in, n, c)
	ba.mu[c], ba.scale[c], ba.shift[c] = mu, s, t
	a := ba.a(c)
	y := b.ex.col(w, hw)
	for i := 0; i < n; i++ {
		pl := i*C + c
		kernels.PlaneNormAct(y, in[pl*hw:(pl+1)*hw], mu, s, t, a)
		dst := out[pl*ohw : (pl+1)*ohw]
		if b.ex.inferOnly {
			maxPool2x2Values(dst, y, W, OH, OW)
		} else {
			maxPool2x2Window(dst, l.arg[pl*ohw:(pl+1)*ohw], y, W, OH, OW)
		}
	}
}

// maxPool2x2Window is maxPool2x2 recording each maximum's index in its
// window (0 top left, 1 top right, 2 bottom left, 3 bottom right) instead
// of its position in the plane.
func maxPool2x2Window(dst []float32, arg []uint8, src []float32, W, OH, OW int) {
	for oy := 0; oy < OH; oy++ {
		r0 := src[2*oy*W : 2*oy*W+W]
		r1 := src[(2*oy+1)*W : (2*oy+1)*W+W]
		d := dst[oy*OW : (oy+1)*OW]
		a := arg[oy*OW : (oy+1)*OW]
		for ox := range d {
			j := 2 * ox
			v0, v1, v2, v3 := r0[j], r0[j+1], r1[j], r1[j+1]
			best := max(v0, v1, v2, v3)
			at := int32(3) // not uint8: no conditional move of a byte
			if v2 == best {
				at = 2
			}
			if v1 == best {
				at = 1
			}
			if v0 == best {
				at = 0
			}
			d[ox], a[ox] = best, uint8(at)
		}
	}
}

// Backward computes dIn through the three layers and adds the gradients of
// γ, β and the slopes, one channel per work unit (per-plane sums added in
// sample order).
func (l *BNActPool) Backward(dIn, dOut []float32, n int) {
	l.call = call{dIn, dOut, n}
	l.ba.bn.ex.run(l.ba.bn.in.C, (*bnActPoolBackward)(l))
}

// bnActPoolBackward is BNActPool.Backward's parallel region: unit c is
// channel c.
type bnActPoolBackward BNActPool

func (l *bnActPoolBackward) unit(_, c int) {
	ba, b := l.ba, l.ba.bn
	C, W, hw := b.in.C, b.in.W, b.in.H*b.in.W
	OH, OW := l.pool.out.H, l.pool.out.W
	ohw := OH * OW
	dIn, dOut, n := l.call.dst, l.call.src, l.call.n
	mu, s, t, a := ba.mu[c], ba.scale[c], ba.shift[c], ba.a(c)
	var sg, sgd, sda float64 // Σ g, Σ g·(x − μ), Σ dy·v over v ≤ 0
	for i := 0; i < n; i++ {
		pl := i*C + c
		g, gd, da := pooledGradStats(dOut[pl*ohw:(pl+1)*ohw], l.arg[pl*ohw:(pl+1)*ohw], b.x[pl*hw:(pl+1)*hw], W, OW, mu, s, t, a)
		sg += g
		sgd += gd
		sda += da
	}
	if ba.slope != nil {
		ba.slope.G[c] += float32(sda)
	}
	k, kb, kc := b.channelBackward(c, n, sg, sgd)
	if dIn == nil {
		return
	}
	for i := 0; i < n; i++ {
		pl := i*C + c
		dx, x := dIn[pl*hw:(pl+1)*hw], b.x[pl*hw:(pl+1)*hw]
		kernels.PlaneNorm(dx, x, mu, kb, kc)
		pooledScatter(dx, dOut[pl*ohw:(pl+1)*ohw], l.arg[pl*ohw:(pl+1)*ohw], x, W, OW, mu, s, t, a, k)
	}
}

// pooledGradStats returns one plane's Σ g, Σ g·(x − μ) and Σ dy·v over
// v ≤ 0, where v = (x − μ)·s + t is the normalised value at each pooled
// output's maximum (window index q of output (oy, ox) is at row
// 2·oy + q/2, column 2·ox + q mod 2) and g = dy where v > 0, a·dy elsewhere: the sums of
// PlaneNormActGradStats over the scattered gradient, which is zero away
// from the maxima.
//
//	dy, arg: OH × OW;  x: H × W
func pooledGradStats(dy []float32, arg []uint8, x []float32, W, OW int, mu, s, t, a float32) (sg, sgd, sda float64) {
	arg = arg[:len(dy)]
	for j0 := 0; j0 < len(dy); j0 += OW {
		row := x[2*(j0/OW)*W:]
		for ox, d := range dy[j0 : j0+OW] {
			q := int(arg[j0+ox])
			c := row[2*ox+(q>>1)*W+q&1] - mu
			v := c*s + t
			if v > 0 {
				sg += float64(d)
				sgd += float64(d) * float64(c)
			} else {
				sg += float64(a * d)
				sgd += float64(a*d) * float64(c)
				if v <= 0 {
					sda += float64(d) * float64(v)
				}
			}
		}
	}
	return sg, sgd, sda
}

// pooledScatter adds k·g to dx at each pooled output's maximum, with g as
// in pooledGradStats: given dx = (x − μ)·kb + kc, it completes the input
// gradient of PlaneNormActBackward over the scattered gradient.
//
//	dx, x: H × W;  dy, arg: OH × OW
func pooledScatter(dx, dy []float32, arg []uint8, x []float32, W, OW int, mu, s, t, a, k float32) {
	arg = arg[:len(dy)]
	for j0 := 0; j0 < len(dy); j0 += OW {
		o := 2 * (j0 / OW) * W
		xr, dr := x[o:], dx[o:]
		for ox, d := range dy[j0 : j0+OW] {
			q := int(arg[j0+ox])
			p := 2*ox + (q>>1)*W + q&1
			if v := (xr[p]-mu)*s + t; !(v > 0) {
				d *= a
			}
			dr[p] = d*k + dr[p]
		}
	}
}

// growUint8 returns buf resliced to n, reallocating only when too small.
func growUint8(buf []uint8, n int) []uint8 {
	if cap(buf) < n {
		return make([]uint8, n)
	}
	return buf[:n]
}
