// Package params holds every trainable parameter of a network (and its loss
// head) in one flat float32 arena with a mirrored gradient arena, plus the
// non-trainable state (batch-norm running statistics) in a second arena. A
// layer declares its tensors by name while the network is built, Alloc lays
// them out once, and from then on each Param's W and G are views into the
// arenas: the optimizer is one loop and a checkpoint is a list of named views.
package params

import (
	"fmt"
	"slices"
)

// Kind says what a parameter is, so that optimizers can treat groups
// differently (no weight decay on BN, bias and PReLU by default).
type Kind int

// The parameter kinds.
const (
	Weight Kind = iota // convolution / linear weights
	Bias               // additive biases
	Norm               // batch-norm scale and shift
	PReLU              // PReLU slopes
	Center             // loss-head class centroids / classifier weights
	Buffer             // non-trainable state saved in checkpoints (BN running mean/var)
)

// String returns the kind's lower-case name.
func (k Kind) String() string {
	switch k {
	case Weight:
		return "weight"
	case Bias:
		return "bias"
	case Norm:
		return "norm"
	case PReLU:
		return "prelu"
	case Center:
		return "center"
	case Buffer:
		return "buffer"
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Param is one named tensor in an arena. W (values) and G (gradient; nil for
// buffers) are set by Arena.Alloc; Shape is row-major.
type Param struct {
	Name   string
	Kind   Kind
	Shape  []int
	Offset int // offset into Arena.Data (or Arena.State for buffers)
	W, G   []float32
}

// Size is the number of elements of p.
func (p *Param) Size() int {
	n := 1
	for _, d := range p.Shape {
		n *= d
	}
	return n
}

// Arena owns the flat storage. Data and Grad hold the trainable parameters
// (same layout), State holds buffers. Params lists every declared tensor in
// declaration order.
type Arena struct {
	Data, Grad []float32
	State      []float32
	Params     []*Param
	byName     map[string]*Param
	allocated  bool
}

// New returns an empty arena.
func New() *Arena { return &Arena{byName: map[string]*Param{}} }

// Declare adds a named tensor of the given kind and shape. It panics on a
// duplicate name or after Alloc: both are programming errors in a network's
// construction.
func (a *Arena) Declare(name string, kind Kind, shape ...int) *Param {
	if a.allocated {
		panic("params: Declare after Alloc: " + name)
	}
	if _, dup := a.byName[name]; dup {
		panic("params: duplicate parameter name " + name)
	}
	p := &Param{Name: name, Kind: kind, Shape: append([]int(nil), shape...)}
	a.Params = append(a.Params, p)
	a.byName[name] = p
	return p
}

// Alloc lays out every declared tensor in one allocation per arena and points
// each Param's W and G at its view. Values start at zero.
func (a *Arena) Alloc() {
	if a.allocated {
		panic("params: Alloc called twice")
	}
	a.allocated = true
	nTrain, nState := 0, 0
	for _, p := range a.Params {
		if p.Kind == Buffer {
			p.Offset, nState = nState, nState+p.Size()
		} else {
			p.Offset, nTrain = nTrain, nTrain+p.Size()
		}
	}
	a.Data = make([]float32, nTrain)
	a.Grad = make([]float32, nTrain)
	a.State = make([]float32, nState)
	for _, p := range a.Params {
		end := p.Offset + p.Size()
		if p.Kind == Buffer {
			p.W = a.State[p.Offset:end:end]
		} else {
			p.W = a.Data[p.Offset:end:end]
			p.G = a.Grad[p.Offset:end:end]
		}
	}
}

// Lookup returns the tensor with the given name, or nil.
func (a *Arena) Lookup(name string) *Param { return a.byName[name] }

// ZeroGrad clears the gradient arena.
func (a *Arena) ZeroGrad() { clear(a.Grad) }

// NumTrainable is the number of trainable scalars.
func (a *Arena) NumTrainable() int { return len(a.Data) }

// AllocShared is Alloc for an arena whose tensors are all declared in src
// too (same name, kind and shape): instead of allocating, it points each
// Param's W and G at src's tensor of that name, so both arenas read and
// write the same storage. a's own Data, Grad and State stay nil. It is how
// a network replica shares the weights of the network it copies.
func (a *Arena) AllocShared(src *Arena) error {
	if a.allocated {
		panic("params: AllocShared after Alloc")
	}
	for _, p := range a.Params {
		s := src.Lookup(p.Name)
		if s == nil {
			return fmt.Errorf("params: %s: not in the shared arena", p.Name)
		}
		if s.Kind != p.Kind || !slices.Equal(s.Shape, p.Shape) {
			return fmt.Errorf("params: %s: %v %v here but %v %v in the shared arena", p.Name, p.Kind, p.Shape, s.Kind, s.Shape)
		}
		if s.W == nil {
			return fmt.Errorf("params: %s: the shared arena is not allocated", p.Name)
		}
		p.Offset, p.W, p.G = s.Offset, s.W, s.G
	}
	a.allocated = true
	return nil
}
