package loss

import (
	"math/rand/v2"
	"testing"
)

// TestCoCoTrainsFreeFeatures runs plain gradient descent on free features
// and the centroids of a CoCo head: the loss must fall by a factor of 4 and
// every sample must end nearest its own centroid, i.e. the gradients of both
// normalisations point the way an optimizer needs.
func TestCoCoTrainsFreeFeatures(t *testing.T) {
	const d, k, per = 8, 4, 4
	const lr = 2.0
	h, a := build(t, DefaultConfig(), d, k)
	rng := rand.New(rand.NewPCG(11, 11))
	emb := randn(rng, k*per*d)
	labels := make([]int, k*per)
	for i := range labels {
		labels[i] = i % k
	}
	dEmb := make([]float32, len(emb))
	first, _ := h.Forward(emb, labels)
	var loss, acc float64
	for step := 0; step < 300; step++ {
		a.ZeroGrad()
		loss, acc = h.Forward(emb, labels)
		h.Backward(dEmb)
		for i, g := range dEmb {
			emb[i] -= lr * g
		}
		for i, g := range a.Grad {
			a.Data[i] -= lr * g
		}
	}
	if !(loss < first/4) || acc != 1 {
		t.Fatalf("after 300 steps: loss %.4g (from %.4g), accuracy %g", loss, first, acc)
	}
	t.Logf("loss %.4g → %.4g (α = %.3g), accuracy %g", first, loss, h.Scale(), acc)
}
