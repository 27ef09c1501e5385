package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cocotrain/cocotrain/internal/params"
)

// linkChain is a chain that has every link of plan.go:
// conv 3×3 → BN+PReLU (statistics from a dense convolution), → conv 3×3
// (backward sums from a col2im input gradient) → BN+ReLU → depthwise 3×3
// (mapped input; statistics from it) → BN+PReLU (input gradient mapped by
// the depthwise convolution) → conv 1×1 on 17×16 positions (mapped input,
// one sample per GEMM; backward sums from a pointwise input gradient) →
// BN, conv 1×1 → BN+PReLU → depthwise 3×3 stride 2 → BN+PReLU → conv 1×1
// on 9×8 positions (mapped input, samples side by side) → BN, the blocks
// in nested Sequentials as mobilefacenet's, and a convolution and BNAct in
// one Sequential.
func linkChain(t *testing.T, ex *Exec, a *params.Arena) Layer {
	b := &builder{ex: ex, a: a, cur: Shape{3, 17, 16}}
	var l []Layer
	b.convBlock(&l, "c1", ConvSpec{Out: 6, Kernel: 3, Pad: 1}, true)
	var inner []Layer
	b.conv(&inner, "c2.conv", ConvSpec{Out: 8, Kernel: 3, Pad: 1})
	b.bnAct(&inner, "c2.bn", "c2.relu", true)
	b.conv(&inner, "c3.conv", ConvSpec{Out: 8, Kernel: 3, Pad: 1, Groups: 8})
	b.bnAct(&inner, "c3.bn", "c3.prelu", false)
	l = append(l, b.seq("c23", inner))
	b.convBlock(&l, "c4", ConvSpec{Out: 5, Kernel: 1}, false)
	b.convBlock(&l, "c5", ConvSpec{Out: 8, Kernel: 1}, true)
	b.convBlock(&l, "c6", ConvSpec{Out: 8, Kernel: 3, Stride: 2, Pad: 1, Groups: 8}, true)
	b.convBlock(&l, "c7", ConvSpec{Out: 4, Kernel: 1}, false)
	s := b.seq("chain", l)
	if b.err != nil {
		t.Fatal(b.err)
	}
	return s
}

// TestFusedPlanMatchesUnfused runs training steps with the fused plan
// (statistics handed over by the convolutions, BNAct outputs and input
// gradients mapped by the convolutions, tiny's grey first stage as one
// planeStage) and with Options.Unfused: outputs, input gradients,
// parameter gradients and running statistics are bit-identical, over two
// steps (the second one reuses the scratch), on 3 threads; for a chain with
// every link, and for tiny (grey and RGB), small, mobilefacenet and iresnet18 as a
// whole (iresnet18 also with a Winograd budget of one byte, so that its
// backward transforms the input again in segments).
func TestFusedPlanMatchesUnfused(t *testing.T) {
	same := func(t *testing.T, what string, u, v []float32) {
		t.Helper()
		for i := range u {
			if math.Float32bits(u[i]) != math.Float32bits(v[i]) {
				t.Fatalf("%s[%d] differs fused and unfused: %v vs %v", what, i, u[i], v[i])
			}
		}
	}
	t.Run("chain", func(t *testing.T) {
		const n = 10 // more than maxGradGroups: weight-gradient groups of 1 and 2 samples
		var outs, dIns, grads, state [2][]float32
		for k, unfused := range []bool{false, true} {
			ex := NewExec()
			ex.SetThreads(3)
			ex.Training = true
			a := params.New()
			s := compile(linkChain(t, ex, a), Options{Unfused: unfused})
			if got, want := planLinks(s), map[bool]int{false: 18, true: 0}[unfused]; got != want {
				t.Fatalf("unfused %v: %d links in the plan, want %d", unfused, got, want)
			}
			a.Alloc()
			rng := rand.New(rand.NewPCG(7, 8))
			for _, p := range a.Params {
				copy(p.W, randn(rng, len(p.W)))
			}
			x := randn(rng, n*s.InShape().Size())
			dy := randn(rng, n*s.OutShape().Size())
			outs[k] = make([]float32, len(dy))
			dIns[k] = make([]float32, len(x))
			for range 2 {
				clear(a.Grad)
				s.Forward(outs[k], x, n)
				s.Backward(dIns[k], dy, n)
			}
			grads[k], state[k] = a.Grad, a.State
		}
		same(t, "outputs", outs[0], outs[1])
		same(t, "input gradients", dIns[0], dIns[1])
		same(t, "gradients", grads[0], grads[1])
		same(t, "running statistics", state[0], state[1])
	})
	for _, c := range []struct {
		cfg         Config
		smallBudget bool
	}{
		{Config{Arch: "mobilefacenet", InputSize: 32, Channels: 3, EmbeddingDim: 16}, false},
		{Config{Arch: "tiny", InputSize: 32, Channels: 1, EmbeddingDim: 16}, false},
		{Config{Arch: "tiny", InputSize: 32, Channels: 3, EmbeddingDim: 16}, false},
		{Config{Arch: "small", InputSize: 32, Channels: 3, EmbeddingDim: 16}, false},
		{Config{Arch: "iresnet18", InputSize: 16, Channels: 3, EmbeddingDim: 16}, false},
		{Config{Arch: "iresnet18", InputSize: 16, Channels: 3, EmbeddingDim: 16}, true},
	} {
		t.Run(fmt.Sprintf("%s/%d/budget%v", c.cfg.Arch, c.cfg.Channels, !c.smallBudget), func(t *testing.T) { netPlansExact(t, c.cfg, c.smallBudget, same) })
	}
}

// netPlansExact checks two training steps of the network cfg on 3 threads
// for bit-identical embeddings, gradients and running statistics with the
// fused and the unfused plan (the fused one with a Winograd budget of one
// byte when smallBudget).
func netPlansExact(t *testing.T, cfg Config, smallBudget bool, same func(*testing.T, string, []float32, []float32)) {
	const batch = 5
	rng := rand.New(rand.NewPCG(2, 3))
	x := randn(rng, batch*cfg.Channels*cfg.InputSize*cfg.InputSize)
	dEmb := randn(rng, batch*cfg.EmbeddingDim)
	var outs, grads, state [2][]float32
	for k, unfused := range []bool{false, true} {
		a := params.New()
		net, err := NewWithOptions(cfg, a, Options{Unfused: unfused})
		if err != nil {
			t.Fatal(err)
		}
		a.Alloc()
		net.Init(5)
		if smallBudget && !unfused {
			net.ex.winoBudget = 1
		}
		if got := planLinks(net.body); unfused != (got == 0) {
			t.Fatalf("unfused %v: %d links in the plan", unfused, got)
		}
		net.SetThreads(3)
		net.SetTraining(true)
		for range 2 {
			clear(a.Grad)
			outs[k] = append(outs[k][:0], net.Forward(x, batch)...)
			net.Backward(dEmb)
		}
		grads[k], state[k] = a.Grad, a.State
	}
	same(t, "embeddings", outs[0], outs[1])
	same(t, "gradients", grads[0], grads[1])
	same(t, "running statistics", state[0], state[1])
}

// planLinks counts the links compile made in l's tree (plan.go): each of a
// convolution's links and each fused pair.
func planLinks(l Layer) int {
	k := 0
	switch v := l.(type) {
	case *Conv2d:
		for _, linked := range []bool{v.fwdStats != nil, v.bwdStats != nil, v.pre != nil, v.postGrad != nil, v.planePool != nil} {
			if linked {
				k++
			}
		}
	case *planeStage, *convEval:
		k++
	}
	if c, ok := l.(Container); ok {
		for _, child := range c.Children() {
			k += planLinks(child)
		}
	}
	return k
}
