package model

import (
	"fmt"

	"github.com/cocotrain/cocotrain/internal/kernels"

	"github.com/cocotrain/cocotrain/internal/params"
)

// Sequential runs layers one after another, owning the activations between
// them (one buffer per inner layer, sized once per batch size) and two
// ping-pong gradient buffers.
//
//	in: n × Layers[0].InShape;  out: n × Layers[last].OutShape
type Sequential struct {
	name   string
	Layers []Layer
	acts   [][]float32 // acts[i]: output of Layers[i] (the last one writes the caller's out)
	grads  [2][]float32
	// inPlace[i]: Layers[i] may write its input gradient over its output
	// gradient (set by compile, plan.go)
	inPlace []bool
	// ex, when set, lends the gradient buffers instead (shared by every
	// Sequential at the same nesting depth; see Exec.gradBuffers).
	ex *Exec
}

// NewSequential chains layers, checking that each output shape is the next
// input shape.
func NewSequential(name string, layers ...Layer) (*Sequential, error) {
	if len(layers) == 0 {
		return nil, fmt.Errorf("model: %s: no layers", name)
	}
	for i := 1; i < len(layers); i++ {
		if o, in := layers[i-1].OutShape(), layers[i].InShape(); o.Size() != in.Size() {
			return nil, fmt.Errorf("model: %s: %s outputs %v but %s takes %v", name, layers[i-1].Name(), o, layers[i].Name(), in)
		}
	}
	return &Sequential{name: name, Layers: layers, acts: make([][]float32, len(layers)), inPlace: make([]bool, len(layers))}, nil
}

// Name is the container's name.
func (s *Sequential) Name() string { return s.name }

// InShape is the first layer's input shape.
func (s *Sequential) InShape() Shape { return s.Layers[0].InShape() }

// OutShape is the last layer's output shape.
func (s *Sequential) OutShape() Shape { return s.Layers[len(s.Layers)-1].OutShape() }

// Children are the chained layers.
func (s *Sequential) Children() []Layer { return s.Layers }

// Params lists every tensor of every layer.
func (s *Sequential) Params() []*params.Param {
	var ps []*params.Param
	for _, l := range s.Layers {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// MACs sums the layers' multiply-accumulates per sample.
func (s *Sequential) MACs() int64 {
	var m int64
	for _, l := range s.Layers {
		m += l.MACs()
	}
	return m
}

// Forward runs the layers; the last one writes into out.
func (s *Sequential) Forward(out, in []float32, n int) {
	x := in
	last := len(s.Layers) - 1
	for i, l := range s.Layers {
		y := out
		if i < last {
			s.acts[i] = grow(s.acts[i], n*l.OutShape().Size())
			y = s.acts[i]
		}
		l.Forward(y, x, n)
		x = y
	}
}

// Backward runs the layers' backward in reverse; the first one writes dIn
// (skipped when nil). A batch norm (BatchNorm, BNAct: inPlace) whose output
// gradient is in one of the ping-pong buffers writes its input gradient
// over it: each channel's planes are read before they are written, and
// writing over the lines just read spares the memory bus a separate
// buffer's.
func (s *Sequential) Backward(dIn, dOut []float32, n int) {
	grads := &s.grads
	if s.ex != nil {
		grads = s.ex.gradBuffers()
		defer s.ex.endGradBuffers()
	}
	g, gi := dOut, -1 // gi: the ping-pong buffer g is in (-1: the caller's dOut)
	for i := len(s.Layers) - 1; i >= 0; i-- {
		l := s.Layers[i]
		dx, di := dIn, -1
		if i > 0 && gi >= 0 && s.inPlace[i] {
			dx, di = g, gi
		} else if i > 0 {
			di = 1 - max(gi, 0)
			buf := &grads[di]
			*buf = grow(*buf, n*l.InShape().Size())
			dx = *buf
		}
		l.Backward(dx, g, n)
		g, gi = dx, di
	}
}

// Residual adds a branch to a shortcut: out = Branch(in) + Shortcut(in), the
// shortcut being the identity when nil.
//
//	in: n × InShape;  out: n × OutShape (the branch's)
type Residual struct {
	name             string
	Branch, Shortcut Layer
	x                []float32 // cache: the input of the last Forward
	tmp, dtmp        []float32 // shortcut output and its input gradient
}

// NewResidual checks that the shortcut (or identity) matches the branch's shapes.
func NewResidual(name string, branch, shortcut Layer) (*Residual, error) {
	if shortcut == nil && branch.InShape() != branch.OutShape() {
		return nil, fmt.Errorf("model: %s: identity shortcut but branch maps %v to %v", name, branch.InShape(), branch.OutShape())
	}
	if shortcut != nil && (shortcut.InShape() != branch.InShape() || shortcut.OutShape() != branch.OutShape()) {
		return nil, fmt.Errorf("model: %s: shortcut %v→%v does not match branch %v→%v", name, shortcut.InShape(), shortcut.OutShape(), branch.InShape(), branch.OutShape())
	}
	return &Residual{name: name, Branch: branch, Shortcut: shortcut}, nil
}

// Name is the block's name.
func (r *Residual) Name() string { return r.name }

// InShape is the branch's input shape.
func (r *Residual) InShape() Shape { return r.Branch.InShape() }

// OutShape is the branch's output shape.
func (r *Residual) OutShape() Shape { return r.Branch.OutShape() }

// Children are the branch and the shortcut (if any).
func (r *Residual) Children() []Layer {
	if r.Shortcut == nil {
		return []Layer{r.Branch}
	}
	return []Layer{r.Branch, r.Shortcut}
}

// Params lists the branch's and the shortcut's tensors.
func (r *Residual) Params() []*params.Param {
	ps := r.Branch.Params()
	if r.Shortcut != nil {
		ps = append(ps, r.Shortcut.Params()...)
	}
	return ps
}

// MACs sums the branch and the shortcut.
func (r *Residual) MACs() int64 {
	m := r.Branch.MACs()
	if r.Shortcut != nil {
		m += r.Shortcut.MACs()
	}
	return m
}

// Forward computes out = Branch(in) + Shortcut(in).
func (r *Residual) Forward(out, in []float32, n int) {
	r.x = in
	sz := n * r.OutShape().Size()
	r.Branch.Forward(out, in, n)
	add := in
	if r.Shortcut != nil {
		r.tmp = grow(r.tmp, sz)
		r.Shortcut.Forward(r.tmp, in, n)
		add = r.tmp
	}
	addInto(out[:sz], add[:sz])
}

// Backward sends dOut down both paths and sums their input gradients.
func (r *Residual) Backward(dIn, dOut []float32, n int) {
	r.Branch.Backward(dIn, dOut, n)
	if r.Shortcut == nil {
		if dIn != nil {
			addInto(dIn[:n*r.InShape().Size()], dOut)
		}
		return
	}
	var d []float32
	if dIn != nil {
		r.dtmp = grow(r.dtmp, n*r.InShape().Size())
		d = r.dtmp
	}
	r.Shortcut.Backward(d, dOut, n)
	if dIn != nil {
		addInto(dIn[:len(d)], d)
	}
}

// addInto adds src into dst element-wise (an Axpy with α = 1: the fused
// multiply-add of 1·v is the plain sum, rounded once).
func addInto(dst, src []float32) {
	kernels.Axpy(1, src[:len(dst)], dst)
}
