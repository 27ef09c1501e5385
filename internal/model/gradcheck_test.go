package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cocotrain/cocotrain/internal/params"
)

// gradCase is a layer under a finite-difference check: build declares the
// layer's tensors in a; x is the input (n samples); before runs ahead of
// every Forward (e.g. to replay a dropout mask).
type gradCase struct {
	name   string
	n      int
	build  func(ex *Exec, a *params.Arena) (Layer, error)
	input  func(rng *rand.Rand, size int) []float32
	before func(l Layer)
	train  bool
}

// randn fills a slice with N(0, 1) values.
func randn(rng *rand.Rand, size int) []float32 {
	x := make([]float32, size)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	return x
}

// awayFromZero draws values of magnitude in [0.2, 1.2] with random sign, so
// that no ReLU/PReLU kink lies within a finite-difference step.
func awayFromZero(rng *rand.Rand, size int) []float32 {
	x := make([]float32, size)
	for i := range x {
		v := 0.2 + rng.Float32()
		if rng.IntN(2) == 0 {
			v = -v
		}
		x[i] = v
	}
	return x
}

// spread is a random permutation of evenly spaced values 0.1 apart, so that
// every max-pool window has a clear winner.
func spread(rng *rand.Rand, size int) []float32 {
	x := make([]float32, size)
	for i, j := range rng.Perm(size) {
		x[i] = float32(j)*0.1 - float32(size)*0.05
	}
	return x
}

// lossOf is Σ r·y in float64, the scalar the checks differentiate.
func lossOf(y, r []float32) float64 {
	var s float64
	for i := range y {
		s += float64(y[i]) * float64(r[i])
	}
	return s
}

// closeEnough compares a numeric and an analytic gradient: element-wise
// relative error rtol, plus an absolute slack of atol times the largest
// analytic magnitude (finite differences in float32 are noisy at that level).
func closeEnough(t *testing.T, what string, num, ana []float64, rtol, atol float64) {
	t.Helper()
	var scale float64
	for _, v := range ana {
		scale = max(scale, math.Abs(v))
	}
	bad := 0
	for i := range num {
		if d := math.Abs(num[i] - ana[i]); d > rtol*math.Max(math.Abs(num[i]), math.Abs(ana[i]))+atol*scale {
			if bad < 5 {
				t.Errorf("%s[%d]: numeric %.6g, analytic %.6g", what, i, num[i], ana[i])
			}
			bad++
		}
	}
	if bad > 0 {
		t.Errorf("%s: %d of %d gradients differ", what, bad, len(num))
	}
	if scale == 0 && len(num) > 0 {
		t.Errorf("%s: all analytic gradients are zero", what)
	}
}

// runGradCase checks ∂(Σ r·out)/∂in and ∂/∂(every trainable parameter)
// against central differences with step eps.
func runGradCase(t *testing.T, c gradCase) {
	t.Helper()
	rng := rand.New(rand.NewPCG(7, uint64(len(c.name))))
	ex := NewExec()
	ex.Training = c.train
	a := params.New()
	l, err := c.build(ex, a)
	if err != nil {
		t.Fatal(err)
	}
	a.Alloc()
	for _, p := range a.Params {
		switch {
		case p.Kind == params.Buffer:
			for i := range p.W {
				p.W[i] = 0.5 + rng.Float32() // running stats (var > 0)
			}
		case p.Kind == params.Norm || p.Kind == params.PReLU:
			for i := range p.W {
				p.W[i] = 0.5 + rng.Float32()
			}
		default:
			for i := range p.W {
				p.W[i] = float32(rng.NormFloat64() * 0.5)
			}
		}
	}
	inSz, outSz := c.n*l.InShape().Size(), c.n*l.OutShape().Size()
	input := c.input
	if input == nil {
		input = randn
	}
	x := input(rng, inSz)
	r := randn(rng, outSz)
	out := make([]float32, outSz)
	forward := func() float64 {
		if c.before != nil {
			c.before(l)
		}
		l.Forward(out, x, c.n)
		return lossOf(out, r)
	}
	// Buffers (running statistics) move on every training Forward; restore
	// them so each evaluation sees the same state.
	state := append([]float32(nil), a.State...)
	eval := func() float64 {
		copy(a.State, state)
		return forward()
	}
	eval()
	dIn := make([]float32, inSz)
	a.ZeroGrad()
	l.Backward(dIn, r, c.n)
	const eps = 1e-2
	numeric := func(v []float32, i int) float64 {
		old := v[i]
		v[i] = old + eps
		lp := eval()
		v[i] = old - eps
		lm := eval()
		v[i] = old
		return (lp - lm) / (2 * eps)
	}
	check := func(what string, v, g []float32) {
		num := make([]float64, len(v))
		ana := make([]float64, len(v))
		for i := range v {
			num[i] = numeric(v, i)
			ana[i] = float64(g[i])
		}
		closeEnough(t, what, num, ana, 1e-2, 1e-3)
	}
	check("input", x, dIn)
	for _, p := range a.Params {
		if p.Kind != params.Buffer {
			check(p.Name, p.W, p.G)
		}
	}
}

// conv builds a Conv2d case.
func convCase(in Shape, s ConvSpec, n int) gradCase {
	return gradCase{
		name: fmt.Sprintf("conv %v %+v", in, s), n: n,
		build: func(ex *Exec, a *params.Arena) (Layer, error) { return NewConv2d(ex, a, "c", in, s) },
	}
}

func TestConv2dGradients(t *testing.T) {
	cases := []gradCase{
		convCase(Shape{3, 5, 5}, ConvSpec{Out: 4, Kernel: 3, Stride: 1, Pad: 1}, 2),
		convCase(Shape{3, 5, 5}, ConvSpec{Out: 4, Kernel: 3, Stride: 1, Pad: 1, Bias: true}, 2),
		convCase(Shape{2, 7, 6}, ConvSpec{Out: 3, Kernel: 3, Stride: 2, Pad: 0, Bias: true}, 2),
		convCase(Shape{2, 6, 6}, ConvSpec{Out: 2, Kernel: 5, Stride: 3, Pad: 2}, 1),
		convCase(Shape{4, 4, 4}, ConvSpec{Out: 6, Kernel: 1, Stride: 1, Bias: true}, 3),        // pointwise GEMM path
		convCase(Shape{4, 5, 5}, ConvSpec{Out: 2, Kernel: 1, Stride: 2}, 2),                    // strided 1×1 (im2col path)
		convCase(Shape{4, 5, 5}, ConvSpec{Out: 6, Kernel: 3, Stride: 1, Pad: 1, Groups: 2}, 2), // grouped
		convCase(Shape{3, 6, 5}, ConvSpec{Out: 3, Kernel: 3, Stride: 1, Pad: 1, Groups: 3}, 2), // depthwise
		convCase(Shape{3, 7, 7}, ConvSpec{Out: 3, Kernel: 3, Stride: 2, Pad: 1, Groups: 3, Bias: true}, 2),
		convCase(Shape{2, 4, 4}, ConvSpec{Out: 2, Kernel: 4, Stride: 1, Groups: 2}, 3),                        // global depthwise (GDC)
		convCase(Shape{18, 5, 4}, ConvSpec{Out: 18, Kernel: 3, Stride: 2, Pad: 1, Groups: 18, Bias: true}, 2), // two depthwise channel blocks
		convCase(Shape{2, 5, 5}, ConvSpec{Out: 4, Kernel: 3, Stride: 1, Pad: 1, Groups: 2}, 2),                // depth multiplier 2
		convCase(Shape{3, 5, 5}, ConvSpec{Out: 2, Kernel: 3, Stride: 1, Pad: 1}, 9),                           // more samples than gradient groups
		convCase(Shape{1, 6, 5}, ConvSpec{Out: 3, Kernel: 3, Stride: 1, Pad: 1, Bias: true}, 2),               // one input plane
		convCase(Shape{1, 7, 7}, ConvSpec{Out: 2, Kernel: 3, Stride: 2, Pad: 1}, 2),
		convCase(Shape{3, 5, 4}, ConvSpec{Out: 5, Kernel: 3, Stride: 1, Pad: 1, Bias: true}, 1), // Winograd, odd H, one sample
		convCase(Shape{17, 3, 7}, ConvSpec{Out: 18, Kernel: 3, Stride: 1, Pad: 1}, 3),           // Winograd, 17 → 18 channels
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runGradCase(t, c) })
	}
}

func TestBatchNormGradients(t *testing.T) {
	for _, train := range []bool{true, false} {
		for _, affine := range []bool{true, false} {
			in := Shape{3, 2, 3}
			runGradCase(t, gradCase{name: fmt.Sprintf("bn2d train=%v affine=%v", train, affine), n: 3, train: train,
				build: func(ex *Exec, a *params.Arena) (Layer, error) { return NewBatchNorm2d(ex, a, "bn", in, affine), nil }})
			runGradCase(t, gradCase{name: fmt.Sprintf("bn1d train=%v affine=%v", train, affine), n: 4, train: train,
				build: func(ex *Exec, a *params.Arena) (Layer, error) { return NewBatchNorm1d(ex, a, "bn", 5, affine), nil }})
		}
		runGradCase(t, gradCase{name: fmt.Sprintf("bn1d fixed scale train=%v", train), n: 4, train: train,
			build: func(ex *Exec, a *params.Arena) (Layer, error) { return newFixedScaleBatchNorm1d(ex, a, "bn", 5), nil }})
	}
}

func TestElementwiseAndPoolGradients(t *testing.T) {
	in := Shape{3, 5, 4}
	cases := []gradCase{
		{name: "relu", n: 2, input: awayFromZero,
			build: func(ex *Exec, a *params.Arena) (Layer, error) { return NewReLU(ex, "r", in), nil }},
		{name: "prelu", n: 2, input: awayFromZero,
			build: func(ex *Exec, a *params.Arena) (Layer, error) { return NewPReLU(ex, a, "p", in), nil }},
		{name: "flatten", n: 2,
			build: func(ex *Exec, a *params.Arena) (Layer, error) { return NewFlatten(ex, "f", in), nil }},
		{name: "maxpool 2/2", n: 2, input: spread,
			build: func(ex *Exec, a *params.Arena) (Layer, error) { return NewMaxPool2d(ex, "m", in, 2, 2, 0) }},
		{name: "maxpool 3/2 pad 1", n: 2, input: spread,
			build: func(ex *Exec, a *params.Arena) (Layer, error) { return NewMaxPool2d(ex, "m", in, 3, 2, 1) }},
		{name: "avgpool 2/1", n: 2,
			build: func(ex *Exec, a *params.Arena) (Layer, error) { return NewAvgPool2d(ex, "p", in, 2, 1, 0) }},
		{name: "avgpool 3/2 pad 1", n: 2,
			build: func(ex *Exec, a *params.Arena) (Layer, error) { return NewAvgPool2d(ex, "p", in, 3, 2, 1) }},
		{name: "global avgpool", n: 2,
			build: func(ex *Exec, a *params.Arena) (Layer, error) { return NewGlobalAvgPool(ex, "g", in), nil }},
		{name: "linear", n: 3,
			build: func(ex *Exec, a *params.Arena) (Layer, error) { return NewLinear(ex, a, "l", in, 11, false), nil }},
		{name: "linear bias", n: 10, // more samples and outputs than one row block
			build: func(ex *Exec, a *params.Arena) (Layer, error) {
				return NewLinear(ex, a, "l", Shape{7, 1, 1}, 19, true), nil
			}},
		{name: "dropout train", n: 2, train: true,
			build:  func(ex *Exec, a *params.Arena) (Layer, error) { return NewDropout(ex, "d", in, 0.3), nil },
			before: func(l Layer) { l.(*Dropout).Seed(5) }},
		{name: "dropout eval", n: 2,
			build: func(ex *Exec, a *params.Arena) (Layer, error) { return NewDropout(ex, "d", in, 0.3), nil }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { runGradCase(t, c) })
	}
}

func TestResidualGradients(t *testing.T) {
	in := Shape{2, 4, 4}
	identity := func(ex *Exec, a *params.Arena) (Layer, error) {
		c1, _ := NewConv2d(ex, a, "b.conv", in, ConvSpec{Out: 2, Kernel: 3, Pad: 1})
		bn := NewBatchNorm2d(ex, a, "b.bn", in, true)
		br, err := NewSequential("b", c1, bn, NewPReLU(ex, a, "b.prelu", in))
		if err != nil {
			return nil, err
		}
		return NewResidual("b", br, nil)
	}
	projected := func(ex *Exec, a *params.Arena) (Layer, error) {
		c1, _ := NewConv2d(ex, a, "b.conv", in, ConvSpec{Out: 3, Kernel: 3, Stride: 2, Pad: 1})
		c2, _ := NewConv2d(ex, a, "b.down", in, ConvSpec{Out: 3, Kernel: 1, Stride: 2})
		bn := NewBatchNorm2d(ex, a, "b.down.bn", c2.OutShape(), true)
		sc, err := NewSequential("b.down", c2, bn)
		if err != nil {
			return nil, err
		}
		return NewResidual("b", c1, sc)
	}
	// A Sequential branch, whose spent activations take the shortcut's
	// input gradient (Residual.spentAct), compiled as in a net.
	projectedSeq := func(ex *Exec, a *params.Arena) (Layer, error) {
		bn := NewBatchNorm2d(ex, a, "b.bn", in, true)
		c1, _ := NewConv2d(ex, a, "b.conv", in, ConvSpec{Out: 3, Kernel: 3, Stride: 2, Pad: 1})
		br, err := NewSequential("b", bn, c1)
		if err != nil {
			return nil, err
		}
		c2, _ := NewConv2d(ex, a, "b.down", in, ConvSpec{Out: 3, Kernel: 1, Stride: 2})
		bn2 := NewBatchNorm2d(ex, a, "b.down.bn", c2.OutShape(), true)
		sc, err := NewSequential("b.down", c2, bn2)
		if err != nil {
			return nil, err
		}
		r, err := NewResidual("b", br, sc)
		if err != nil {
			return nil, err
		}
		if r.spentAct != 0 {
			return nil, fmt.Errorf("the shortcut's input gradient goes to the branch's activation %d, want 0", r.spentAct)
		}
		return compile(r, Options{}), nil
	}
	runGradCase(t, gradCase{name: "residual identity", n: 3, train: true, build: identity})
	runGradCase(t, gradCase{name: "residual projection", n: 3, train: true, build: projected})
	runGradCase(t, gradCase{name: "residual projection, Sequential branch", n: 3, train: true, build: projectedSeq})
}

// TestSinglePlaneWeightGradient checks the filter and bias gradients a
// one-input-channel convolution computes without an input gradient (per
// output channel on the depthwise kernels) against the ones of the GEMM
// path it takes with an input gradient, over more samples than gradient
// groups.
func TestSinglePlaneWeightGradient(t *testing.T) {
	for _, s := range []ConvSpec{{Out: 5, Kernel: 3, Stride: 1, Pad: 1, Bias: true}, {Out: 4, Kernel: 3, Stride: 2, Pad: 1, Bias: true}, {Out: 3, Kernel: 5, Stride: 1, Pad: 2}} {
		in := Shape{1, 9, 8}
		a := params.New()
		c, err := NewConv2d(NewExec(), a, "c", in, s)
		if err != nil {
			t.Fatal(err)
		}
		a.Alloc()
		rng := rand.New(rand.NewPCG(5, 6))
		copy(a.Data, randn(rng, len(a.Data)))
		const n = 11
		x := randn(rng, n*in.Size())
		y := make([]float32, n*c.OutShape().Size())
		dy := randn(rng, len(y))
		c.Forward(y, x, n)
		a.ZeroGrad()
		c.Backward(make([]float32, len(x)), dy, n)
		want := slices.Clone(a.Grad)
		a.ZeroGrad()
		c.Backward(nil, dy, n)
		if e := maxRelErr(a.Grad, want); e > 1e-5 {
			t.Errorf("%+v: gradients without the input gradient differ by %.3g", s, e)
		}
	}
}
