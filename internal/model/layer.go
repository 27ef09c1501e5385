package model

import (
	"fmt"

	"github.com/cocotrain/cocotrain/internal/params"
)

// Shape is the per-sample shape of an activation: C channels of H×W. A
// feature vector of length D is Shape{D, 1, 1}.
type Shape struct{ C, H, W int }

// Size is the number of floats of one sample, C·H·W.
func (s Shape) Size() int { return s.C * s.H * s.W }

// String formats the shape as C×H×W (or D for a vector).
func (s Shape) String() string {
	if s.H == 1 && s.W == 1 {
		return fmt.Sprint(s.C)
	}
	return fmt.Sprintf("%d×%d×%d", s.C, s.H, s.W)
}

// Layer is one differentiable step over a batch of n samples laid out NCHW.
// Forward(out, in, n) reads in (n×InShape) and overwrites out (n×OutShape); a
// layer may keep references to in and out for its backward, so both must stay
// untouched until Backward. Backward(dIn, dOut, n) reads dOut (never writes
// it), overwrites dIn (skipped when dIn is nil) and adds into the gradients
// of the layer's parameters.
type Layer interface {
	Name() string
	InShape() Shape
	OutShape() Shape
	Forward(out, in []float32, n int)
	Backward(dIn, dOut []float32, n int)
	// Params are the tensors the layer declared (trainable and buffers).
	Params() []*params.Param
	// MACs is the number of multiply-accumulates per sample of the layer's
	// convolutions and matrix products (0 for the element-wise layers).
	MACs() int64
}

// Container is a layer built from other layers. A *Residual adds its
// Branch and Shortcut (the identity when nil); every other Container
// (Sequential, BNAct, BNActPool and the fused pairs of the plan, plan.go)
// runs its Children one after the other, each one's output the next one's
// input. Walking Net.Layers down the Children reaches the layers the
// architecture lists, unfused: *Conv2d, *BatchNorm, *ReLU, *PReLU,
// *MaxPool2d, *AvgPool2d, *Flatten, *Dropout and *Linear, each with its
// Params (named "backbone.<layer>.<tensor>") and options (Conv2d.Spec,
// MaxPool2d.Window, AvgPool2d.Window, BatchNorm.Eps, Dropout.P).
type Container interface {
	Children() []Layer
}

// base holds what every layer has: its name, shapes, parameters and the
// shared execution context.
type base struct {
	name    string
	in, out Shape
	ex      *Exec
	ps      []*params.Param
	call    call // the arguments of the running Forward or Backward
}

// call holds the arguments of a layer's running Forward or Backward for its
// parallel regions, which are methods of the layer (a closure capturing
// the arguments would be allocated per call).
type call struct {
	dst, src []float32 // Forward: out and in; Backward: dIn and dOut
	n        int       // samples
}

// Name is the layer's dotted name (the prefix of its parameter names).
func (b *base) Name() string { return b.name }

// InShape is the per-sample input shape.
func (b *base) InShape() Shape { return b.in }

// OutShape is the per-sample output shape.
func (b *base) OutShape() Shape { return b.out }

// Params lists the tensors the layer declared.
func (b *base) Params() []*params.Param { return b.ps }

// MACs is 0 for layers without matrix products.
func (b *base) MACs() int64 { return 0 }

// declare adds a tensor named "<layer>.<tensor>" to the arena.
func (b *base) declare(a *params.Arena, tensor string, kind params.Kind, shape ...int) *params.Param {
	p := a.Declare(b.name+"."+tensor, kind, shape...)
	b.ps = append(b.ps, p)
	return p
}
