package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestNoHiddenState trains a net for a few steps (with eval passes of
// another batch size in between), copies its arena into a fresh net and
// requires the next training step to be bit-identical on both: everything a
// resumed run needs is in the arena (weights and running statistics).
func TestNoHiddenState(t *testing.T) {
	cfg := Config{Arch: "mobilefacenet", InputSize: 32, Channels: 1, EmbeddingDim: 16}
	netA, a := newTestNet(t, cfg, 1)
	netA.SetThreads(1)
	netA.SetTraining(true)
	rng := rand.New(rand.NewPCG(1, 2))
	for s := 0; s < 3; s++ {
		x := randn(rng, 16*1024)
		d := randn(rng, 16*16)
		a.ZeroGrad()
		netA.Forward(x, 16)
		netA.Backward(d)
		for i := range a.Data {
			a.Data[i] -= 0.01 * a.Grad[i]
		}
		netA.SetTraining(false)
		netA.Forward(randn(rng, 5*1024), 5)
		netA.SetTraining(true)
	}
	netB, b := newTestNet(t, cfg, 99)
	netB.SetThreads(1)
	netB.SetTraining(true)
	copy(b.Data, a.Data)
	copy(b.State, a.State)
	x := randn(rng, 16*1024)
	d := randn(rng, 16*16)
	a.ZeroGrad()
	b.ZeroGrad()
	ya := append([]float32(nil), netA.Forward(x, 16)...)
	yb := netB.Forward(x, 16)
	netA.Backward(d)
	netB.Backward(d)
	for i := range ya {
		if math.Float32bits(ya[i]) != math.Float32bits(yb[i]) {
			t.Fatalf("embedding %d differs: %v vs %v", i, ya[i], yb[i])
		}
	}
	for i := range a.Grad {
		if math.Float32bits(a.Grad[i]) != math.Float32bits(b.Grad[i]) {
			t.Fatalf("gradient %d differs: %v vs %v", i, a.Grad[i], b.Grad[i])
		}
	}
	for i := range a.State {
		if math.Float32bits(a.State[i]) != math.Float32bits(b.State[i]) {
			t.Fatalf("running statistic %d differs: %v vs %v", i, a.State[i], b.State[i])
		}
	}
}
