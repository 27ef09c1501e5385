package model

import (
	"fmt"

	"github.com/cocotrain/cocotrain/internal/kernels"

	"github.com/cocotrain/cocotrain/internal/params"
)

// Sequential runs layers one after another, owning the activations between
// them (one buffer per inner layer, sized once per batch size; in an
// Infer replica, which keeps nothing for a backward pass, two ping-pong
// buffers instead) and two ping-pong gradient buffers.
//
//	in: n × Layers[0].InShape;  out: n × Layers[last].OutShape
type Sequential struct {
	name   string
	Layers []Layer
	acts   [][]float32 // acts[i]: output of Layers[i] (the last one writes the caller's out)
	// inPlace[i]: Layers[i] may write its input gradient over its output
	// gradient (set by compile, plan.go)
	inPlace []bool
	// gradTo[i] is where Layers[i]'s Backward writes its input gradient
	// (see planGrads): toCaller, a ping-pong buffer grads[0] or grads[1],
	// or toAct+j, the activation buffer acts[j] of a later layer
	gradTo []int
	// grads are the ping-pong gradient buffers: the Sequential's own, or
	// once compiled in a net, the Exec's of its nesting level, shared by
	// every Sequential at that level (they never run their Backward at the
	// same time)
	grads    *[2]scratch
	ownGrads [2]scratch
	// inferActs, in an Infer replica, are the ping-pong activation buffers
	// of the Sequential's nesting level (Exec.acts), which replace acts
	inferActs *[2]scratch
	// ex is the execution context of the net the Sequential is built in
	// (nil for a free-standing one): compile shares buffers through it.
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
	s := &Sequential{name: name, Layers: layers}
	s.grads = &s.ownGrads
	s.tables()
	s.planGrads()
	return s, nil
}

// tables makes the per-layer tables for the layers (no layer in place).
func (s *Sequential) tables() {
	s.acts = make([][]float32, len(s.Layers))
	s.inPlace = make([]bool, len(s.Layers))
	s.gradTo = make([]int, len(s.Layers))
}

// Where a layer's Backward writes its input gradient (Sequential.gradTo).
const (
	toCaller = -1 // the caller's dIn: the first layer
	toAct    = 2  // toAct+j: acts[j]; 0 and 1 are the ping-pong buffers
)

// planGrads sets gradTo from inPlace, from the last layer down, and
// raises the ping-pong buffers' sizes to the largest input gradient each
// one holds. Layer i writes its input gradient over its output gradient
// when inPlace says so and that is in a buffer of the Sequential; else
// into the activation buffer of a later layer when one is large enough
// (during layer i's Backward the activations acts[j], j > i, are dead:
// only layers j and j+1 read acts[j], also through the links of plan.go,
// and the next Forward overwrites it); else into the ping-pong buffer
// that does not hold its output gradient.
func (s *Sequential) planGrads() {
	g := toCaller // where the output gradient of layer i is
	for i := len(s.Layers) - 1; i >= 0; i-- {
		need := s.Layers[i].InShape().Size()
		switch {
		case i == 0:
			g = toCaller
		case g != toCaller && s.inPlace[i]:
		default:
			if j := s.deadAct(i+1, need, g-toAct); j >= 0 {
				g = toAct + j
			} else if g == 0 {
				g = 1
			} else {
				g = 0
			}
		}
		s.gradTo[i] = g
		if g == 0 || g == 1 {
			s.grads[g].need(need)
		}
	}
}

// deadAct returns the index j of the smallest activation buffer acts[j],
// from ≤ j < last, of at least need floats per sample that the training
// Forward wrote (a buffer it never touched takes no memory until
// written) and that is not acts[skip]; or -1.
func (s *Sequential) deadAct(from, need, skip int) int {
	best, size := -1, 0
	for j := from; j < len(s.Layers)-1; j++ {
		if sz := s.Layers[j].OutShape().Size(); sz >= need && j != skip && writesOutput(s.Layers[j]) && (best < 0 || sz < size) {
			best, size = j, sz
		}
	}
	return best
}

// writesOutput reports whether l's training Forward writes its output: all
// but a BNAct whose output the convolution after it maps (BNAct.mapped),
// also as the last layer of a Sequential.
func writesOutput(l Layer) bool {
	for s, ok := l.(*Sequential); ok; s, ok = l.(*Sequential) {
		l = s.Layers[len(s.Layers)-1]
	}
	b, ok := l.(*BNAct)
	return !ok || !b.mapped
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
			sz := n * l.OutShape().Size()
			if s.inferActs != nil {
				y = s.inferActs[i%2].get(n, sz)
			} else {
				s.acts[i] = grow(s.acts[i], sz)
				y = s.acts[i]
			}
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
	g := dOut
	for i := len(s.Layers) - 1; i >= 0; i-- {
		l := s.Layers[i]
		dx := dIn
		switch b := s.gradTo[i]; {
		case b >= toAct:
			dx = s.acts[b-toAct][:n*l.InShape().Size()]
		case b >= 0:
			dx = s.grads[b].get(n, n*l.InShape().Size())
		}
		l.Backward(dx, g, n)
		g = dx
	}
}

// Residual adds a branch to a shortcut: out = Branch(in) + Shortcut(in), the
// shortcut being the identity when nil.
//
//	in: n × InShape;  out: n × OutShape (the branch's)
type Residual struct {
	name             string
	Branch, Shortcut Layer
	// shortcut holds the shortcut's output during Forward and its input
	// gradient during Backward, nothing in between: the Residual's own,
	// or once compiled in a net, the Exec's of its nesting level
	// (Exec.shortcut), shared by every Residual at that level
	shortcut    *scratch
	ownShortcut scratch
	// spentAct, when ≥ 0, is the activation buffer of the branch (a
	// Sequential) that takes the shortcut's input gradient instead: the
	// branch's Backward has returned by then, and nothing reads its
	// activations again before the next Forward
	spentAct int
}

// NewResidual checks that the shortcut (or identity) matches the branch's shapes.
func NewResidual(name string, branch, shortcut Layer) (*Residual, error) {
	if shortcut == nil && branch.InShape() != branch.OutShape() {
		return nil, fmt.Errorf("model: %s: identity shortcut but branch maps %v to %v", name, branch.InShape(), branch.OutShape())
	}
	if shortcut != nil && (shortcut.InShape() != branch.InShape() || shortcut.OutShape() != branch.OutShape()) {
		return nil, fmt.Errorf("model: %s: shortcut %v→%v does not match branch %v→%v", name, shortcut.InShape(), shortcut.OutShape(), branch.InShape(), branch.OutShape())
	}
	r := &Residual{name: name, Branch: branch, Shortcut: shortcut}
	r.shortcut = &r.ownShortcut
	r.needShortcut()
	return r, nil
}

// needShortcut raises the shortcut buffer's size to the block's shortcut
// output and, unless an activation buffer of the branch takes it
// (spent), its input gradient.
func (r *Residual) needShortcut() {
	r.spentAct = -1
	if r.Shortcut == nil {
		return
	}
	if s, ok := r.Branch.(*Sequential); ok {
		r.spentAct = s.deadAct(0, r.InShape().Size(), -1)
	}
	need := r.OutShape().Size()
	if r.spentAct < 0 {
		need = max(need, r.InShape().Size())
	}
	r.shortcut.need(need)
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
	sz := n * r.OutShape().Size()
	r.Branch.Forward(out, in, n)
	add := in
	if r.Shortcut != nil {
		add = r.shortcut.get(n, sz)
		r.Shortcut.Forward(add, in, n)
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
	switch {
	case dIn == nil:
	case r.spentAct >= 0:
		d = r.Branch.(*Sequential).acts[r.spentAct][:n*r.InShape().Size()]
	default:
		d = r.shortcut.get(n, n*r.InShape().Size())
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
