package model

import (
	"math"

	"github.com/cocotrain/cocotrain/internal/kernels"
	"github.com/cocotrain/cocotrain/internal/params"
)

// ReLU is max(x, 0), element-wise.
//
//	in, out: n × C × H × W
type ReLU struct {
	base
	x     []float32 // cache: the input of the last Forward
	units reluUnits // parallel regions, built once
}

// NewReLU returns a ReLU over per-sample shape in.
func NewReLU(ex *Exec, name string, in Shape) *ReLU {
	r := &ReLU{base: base{name: name, in: in, out: in, ex: ex}}
	r.buildUnits()
	return r
}

// Forward computes out = max(in, 0).
func (r *ReLU) Forward(out, in []float32, n int) {
	r.x = in
	r.call = call{out, in, n}
	r.ex.run(n, r.units.reluForward)
}

// reluForward is ReLU.Forward's parallel region: unit i is sample i.
func (r *ReLU) reluForward(_, i int) {
	sz := r.in.Size()
	kernels.ReLU(r.call.dst[i*sz:(i+1)*sz], r.call.src[i*sz:(i+1)*sz])
}

// Backward computes dIn = dOut where in > 0, else 0.
func (r *ReLU) Backward(dIn, dOut []float32, n int) {
	if dIn == nil {
		return
	}
	r.call = call{dIn, dOut, n}
	r.ex.run(n, r.units.reluBackward)
}

// reluBackward is ReLU.Backward's parallel region: unit i is sample i.
func (r *ReLU) reluBackward(_, i int) {
	sz := r.in.Size()
	kernels.ReLUPlaneBackward(r.call.dst[i*sz:(i+1)*sz], r.call.src[i*sz:(i+1)*sz], r.x[i*sz:(i+1)*sz])
}

// PReLU is a ReLU with a learned slope per channel for negative inputs, as
// torch.nn.PReLU(num_parameters=C).
//
//	in, out: n × C × H × W;  weight: C (the slopes, initialised to 0.25)
type PReLU struct {
	base
	weight *params.Param
	x      []float32  // cache: the input of the last Forward
	units  preluUnits // parallel regions, built once
}

// NewPReLU declares "<name>.weight" (C slopes).
func NewPReLU(ex *Exec, a *params.Arena, name string, in Shape) *PReLU {
	p := &PReLU{base: base{name: name, in: in, out: in, ex: ex}}
	p.weight = p.declare(a, "weight", params.PReLU, in.C)
	p.buildUnits()
	return p
}

// Forward computes out = x for x > 0, a_c·x otherwise.
func (p *PReLU) Forward(out, in []float32, n int) {
	p.x = in
	p.call = call{out, in, n}
	p.ex.run(n, p.units.preluForward)
}

// preluForward is PReLU.Forward's parallel region: unit i is sample i.
func (p *PReLU) preluForward(_, i int) {
	C, hw := p.in.C, p.in.H*p.in.W
	out, in := p.call.dst, p.call.src
	for c, a := range p.weight.W[:C] {
		off := (i*C + c) * hw
		kernels.PReLUPlane(out[off:off+hw], in[off:off+hw], a)
	}
}

// Backward computes dIn and adds ∂L/∂a_c = Σ dy·x over x ≤ 0, one channel
// per work unit (per-plane sums added in sample order).
func (p *PReLU) Backward(dIn, dOut []float32, n int) {
	p.call = call{dIn, dOut, n}
	p.ex.run(p.in.C, p.units.preluBackward)
}

// preluBackward is PReLU.Backward's parallel region: unit c is channel c.
func (p *PReLU) preluBackward(_, c int) {
	C, hw := p.in.C, p.in.H*p.in.W
	dIn, dOut := p.call.dst, p.call.src
	a := p.weight.W[c]
	var da float64
	for i := 0; i < p.call.n; i++ {
		off := (i*C + c) * hw
		x, dy := p.x[off:off+hw], dOut[off:off+hw]
		if dIn != nil {
			da += float64(kernels.PReLUPlaneBackward(dIn[off:off+hw], dy, x, a))
			continue
		}
		var s float32 // Σ dy·x over x ≤ 0 for this plane
		for j, g := range dy {
			s += math.Float32frombits(math.Float32bits(g*x[j]) & nonPositive(x[j]))
		}
		da += float64(s)
	}
	p.weight.G[c] += float32(da)
}

// nonPositive is all ones when v ≤ 0 (either zero, or the sign bit set) and
// 0 when v > 0: a mask that lets the activations run without branches,
// which random signs would mispredict half the time.
func nonPositive(v float32) uint32 {
	b := math.Float32bits(v)
	return uint32((int32(b) | int32(b-1)) >> 31)
}

// Flatten reshapes n × C × H × W to n × (C·H·W) (a copy: the memory layout is
// already the flattened one).
type Flatten struct{ base }

// NewFlatten returns a Flatten of per-sample shape in.
func NewFlatten(ex *Exec, name string, in Shape) *Flatten {
	return &Flatten{base{name: name, in: in, out: Shape{in.Size(), 1, 1}, ex: ex}}
}

// Forward copies in to out.
func (f *Flatten) Forward(out, in []float32, n int) { copy(out[:n*f.in.Size()], in) }

// Backward copies dOut to dIn.
func (f *Flatten) Backward(dIn, dOut []float32, n int) {
	if dIn != nil {
		copy(dIn[:n*f.in.Size()], dOut)
	}
}

// reluUnits are the parallel regions of a ReLU, built once (buildUnits).
type reluUnits struct {
	reluForward  unitFunc
	reluBackward unitFunc
}

// buildUnits makes the layer's parallel regions (method values, so that
// running one allocates nothing).
func (r *ReLU) buildUnits() {
	r.units = reluUnits{reluForward: r.reluForward, reluBackward: r.reluBackward}
}

// preluUnits are the parallel regions of a PReLU, built once (buildUnits).
type preluUnits struct {
	preluForward  unitFunc
	preluBackward unitFunc
}

// buildUnits makes the layer's parallel regions (method values, so that
// running one allocates nothing).
func (p *PReLU) buildUnits() {
	p.units = preluUnits{preluForward: p.preluForward, preluBackward: p.preluBackward}
}
