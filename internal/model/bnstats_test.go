package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cocotrain/cocotrain/internal/params"
)

// linkChain is a chain that has every link of bnstats.go and bnact_map.go:
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

// TestCrossLayerLinksExact runs training steps with the links between
// neighbouring layers (statistics handed over by the convolutions, BNAct
// outputs and input gradients mapped by the depthwise convolutions) and
// without them: outputs, input gradients, parameter gradients and running
// statistics are bit-identical, over two steps (the second one reuses the
// scratch), on 3 threads; mobilefacenet and tiny (grey: its first
// convolution computes the BNActPool's input gradient; RGB) as a whole, too.
func TestCrossLayerLinksExact(t *testing.T) {
	same := func(t *testing.T, what string, u, v []float32) {
		t.Helper()
		for i := range u {
			if math.Float32bits(u[i]) != math.Float32bits(v[i]) {
				t.Fatalf("%s[%d] differs with and without links: %v vs %v", what, i, u[i], v[i])
			}
		}
	}
	defer func() { crossLayerLinks = true }()
	t.Run("chain", func(t *testing.T) {
		const n = 10 // more than maxGradGroups: weight-gradient groups of 1 and 2 samples
		var outs, dIns, grads, state [2][]float32
		for k, links := range []bool{true, false} {
			crossLayerLinks = links
			ex := NewExec()
			ex.SetThreads(3)
			ex.Training = true
			a := params.New()
			s := linkChain(t, ex, a)
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
	for _, cfg := range []Config{
		{Arch: "mobilefacenet", InputSize: 32, Channels: 3, EmbeddingDim: 16},
		{Arch: "tiny", InputSize: 32, Channels: 1, EmbeddingDim: 16},
		{Arch: "tiny", InputSize: 32, Channels: 3, EmbeddingDim: 16},
	} {
		t.Run(fmt.Sprintf("%s/%d", cfg.Arch, cfg.Channels), func(t *testing.T) { netLinksExact(t, cfg, same) })
	}
}

// netLinksExact checks two training steps of the network cfg on 3 threads
// for bit-identical embeddings, gradients and running statistics with and
// without the cross-layer links.
func netLinksExact(t *testing.T, cfg Config, same func(*testing.T, string, []float32, []float32)) {
	const batch = 5
	rng := rand.New(rand.NewPCG(2, 3))
	x := randn(rng, batch*cfg.Channels*cfg.InputSize*cfg.InputSize)
	dEmb := randn(rng, batch*cfg.EmbeddingDim)
	var outs, grads, state [2][]float32
	for k, links := range []bool{true, false} {
		crossLayerLinks = links
		net, a := newTestNet(t, cfg, 5)
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
