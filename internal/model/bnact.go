package model

import (
	"github.com/cocotrain/cocotrain/internal/kernels"
	"github.com/cocotrain/cocotrain/internal/params"
)

// BNAct is a BatchNorm2d followed by a per-channel PReLU or a ReLU, run as
// one layer: the forward pass normalises and activates in one sweep and
// writes only the activation's output; the backward pass recomputes the
// normalised value from the cached input instead of reading a stored one.
// Against the two layers run one after the other, each pass reads and
// writes the activations once instead of twice, and the intermediate
// tensor is never kept. The two layers keep their names, parameters and
// summary rows (they are BNAct's children).
//
//	in, out: n × C × H × W
type BNAct struct {
	bn    *BatchNorm
	act   Layer         // *PReLU or *ReLU
	slope *params.Param // the PReLU's slopes; nil for a ReLU (slope 0)
	// cache: channel c's map y = (x − mu[c])·scale[c] + shift[c] of the last Forward
	mu, scale, shift []float32
	grads            gradStats // per-plane backward sums (bnstats.go)
	// mapped: the training Forward leaves out unwritten, the depthwise
	// convolution after it maps the input itself (bnact_map.go)
	mapped bool
	// gradMapped: Backward leaves dIn unwritten and keeps the channels'
	// input-gradient maps; the depthwise convolution before it applies
	// them (set by compile, plan.go; bnact_map.go)
	gradMapped bool
	k, kb, kc  []float32
	// perSample: the running call's sweep is a region of its own over the
	// samples (see sweepBySample)
	perSample bool
	call      call       // the arguments of the running Forward or Backward
	units     bnActUnits // parallel regions, built once
}

// newBNAct fuses bn with act (a *PReLU or a *ReLU over the same shape).
func newBNAct(bn *BatchNorm, act Layer) *BNAct {
	l := &BNAct{bn: bn, act: act}
	if p, ok := act.(*PReLU); ok {
		l.slope = p.weight
	}
	c := bn.in.C
	l.mu, l.scale, l.shift = make([]float32, c), make([]float32, c), make([]float32, c)
	l.k, l.kb, l.kc = make([]float32, c), make([]float32, c), make([]float32, c)
	l.buildUnits()
	return l
}

// Name is the batch norm's name.
func (l *BNAct) Name() string { return l.bn.Name() }

// InShape is the per-sample input shape.
func (l *BNAct) InShape() Shape { return l.bn.InShape() }

// OutShape is the per-sample output shape (the input shape).
func (l *BNAct) OutShape() Shape { return l.bn.OutShape() }

// Params are the batch norm's tensors, then the activation's.
func (l *BNAct) Params() []*params.Param {
	return append(append([]*params.Param(nil), l.bn.Params()...), l.act.Params()...)
}

// MACs is 0: no matrix products.
func (l *BNAct) MACs() int64 { return 0 }

// Children are the batch norm and the activation.
func (l *BNAct) Children() []Layer { return []Layer{l.bn, l.act} }

// a is channel c's slope (0 for a ReLU).
func (l *BNAct) a(c int) float32 {
	if l.slope == nil {
		return 0
	}
	return l.slope.W[c]
}

// Forward computes out = act(BN(in)), one channel per work unit (or the
// statistics per channel, then the sweep per sample: sweepBySample).
func (l *BNAct) Forward(out, in []float32, n int) {
	b := l.bn
	b.begin(in, n)
	l.call = call{out, in, n}
	mapped := l.mapped && b.trained
	l.perSample = !mapped && b.trained && allTrue(b.planes.have[:n*b.in.C])
	b.ex.run(b.in.C, l.units.bnActForward)
	if l.perSample {
		b.ex.run(n, l.units.bnActSweep)
	}
}

// sweepBySample: when the convolution before a training BNAct computed
// every plane's statistics (bnstats.go), nothing but the sweep reads the
// input, and it runs as a region of its own with one sample's C×H×W block,
// one contiguous run of memory, per unit (a channel's planes are n runs of
// H·W floats scattered over the tensor). Likewise the backward sweep when
// the convolution after it computed every plane's gradient sums. The
// per-channel region then only reduces the sums and makes the maps.

// bnActSweep is the forward sweep of a perSample BNAct.Forward: unit i is
// sample i.
func (l *BNAct) bnActSweep(_, i int) {
	C, hw := l.bn.in.C, l.bn.in.H*l.bn.in.W
	out, in := l.call.dst, l.call.src
	for c := range C {
		o := (i*C + c) * hw
		kernels.PlaneNormAct(out[o:o+hw], in[o:o+hw], l.mu[c], l.scale[c], l.shift[c], l.a(c))
	}
}

// allTrue reports whether every element of v is true.
func allTrue(v []bool) bool {
	for _, x := range v {
		if !x {
			return false
		}
	}
	return true
}

// bnActForward is BNAct.Forward's parallel region: unit c is channel c.
func (l *BNAct) bnActForward(_, c int) {
	b := l.bn
	C, hw := b.in.C, b.in.H*b.in.W
	out, in, n := l.call.dst, l.call.src, l.call.n
	mu, s, t := b.channelForward(in, n, c)
	l.mu[c], l.scale[c], l.shift[c] = mu, s, t
	if (l.mapped && b.trained) || l.perSample {
		return
	}
	a := l.a(c)
	for i := 0; i < n; i++ {
		o := (i*C + c) * hw
		kernels.PlaneNormAct(out[o:o+hw], in[o:o+hw], mu, s, t, a)
	}
}

// Backward computes dIn through both layers and adds the gradients of γ, β
// and the slopes, one channel per work unit (per-plane sums added in sample
// order; the sweep per sample when the convolution after computed the sums,
// see sweepBySample, or left to the depthwise convolution before when
// gradMapped). dIn may be dOut itself.
func (l *BNAct) Backward(dIn, dOut []float32, n int) {
	l.call = call{dIn, dOut, n}
	C := l.bn.in.C
	l.perSample = !l.gradMapped && dIn != nil && len(l.grads.have) >= n*C && allTrue(l.grads.have[:n*C])
	l.bn.ex.run(C, l.units.bnActBackward)
	if l.perSample {
		l.bn.ex.run(n, l.units.bnActGradSweep)
	}
}

// bnActGradSweep is the input-gradient sweep of a perSample
// BNAct.Backward: unit i is sample i.
func (l *BNAct) bnActGradSweep(_, i int) {
	C, hw := l.bn.in.C, l.bn.in.H*l.bn.in.W
	dIn, dOut, x := l.call.dst, l.call.src, l.bn.x
	for c := range C {
		o := (i*C + c) * hw
		kernels.PlaneNormActBackward(dIn[o:o+hw], dOut[o:o+hw], x[o:o+hw],
			l.mu[c], l.scale[c], l.shift[c], l.a(c), l.k[c], l.kb[c], l.kc[c])
	}
}

// bnActBackward is BNAct.Backward's parallel region: unit c is channel c.
func (l *BNAct) bnActBackward(_, c int) {
	b := l.bn
	C, hw := b.in.C, b.in.H*b.in.W
	dIn, dOut, n := l.call.dst, l.call.src, l.call.n
	mu, s, t, a := l.mu[c], l.scale[c], l.shift[c], l.a(c)
	var sg, sgd, sda float64 // Σ g, Σ g·(x − μ), Σ dy·y over y ≤ 0
	for i := 0; i < n; i++ {
		o := (i*C + c) * hw
		g, gd, da := l.planeGradStats(i*C+c, c, dOut[o:o+hw])
		sg += float64(g)
		sgd += float64(gd)
		sda += float64(da)
	}
	if l.slope != nil {
		l.slope.G[c] += float32(sda)
	}
	k, kb, kc := b.channelBackward(c, n, sg, sgd)
	if l.gradMapped || l.perSample {
		l.k[c], l.kb[c], l.kc[c] = k, kb, kc
		return
	}
	if dIn == nil {
		return
	}
	for i := 0; i < n; i++ {
		o := (i*C + c) * hw
		kernels.PlaneNormActBackward(dIn[o:o+hw], dOut[o:o+hw], b.x[o:o+hw], mu, s, t, a, k, kb, kc)
	}
}

// bnActUnits are the parallel regions of a BNAct, built once (buildUnits).
type bnActUnits struct {
	bnActSweep     unitFunc
	bnActForward   unitFunc
	bnActGradSweep unitFunc
	bnActBackward  unitFunc
}

// buildUnits makes the layer's parallel regions (method values, so that
// running one allocates nothing).
func (l *BNAct) buildUnits() {
	l.units = bnActUnits{bnActSweep: l.bnActSweep, bnActForward: l.bnActForward, bnActGradSweep: l.bnActGradSweep, bnActBackward: l.bnActBackward}
}
