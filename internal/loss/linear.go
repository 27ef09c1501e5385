package loss

import (
	"math"
	"math/rand/v2"

	"github.com/cocotrain/cocotrain/internal/kernels"
	"github.com/cocotrain/cocotrain/internal/params"
)

// linear is a fully connected classifier with softmax cross-entropy:
// logits = emb·Wᵀ + b, W K×d, b K (PyTorch nn.Linear layout).
type linear struct {
	w, b *params.Param
	d, k int

	// caches of the last forward
	in     []float32 // batch×d copy of the input
	labels []int     // batch
	logits []float32 // batch×K
	z      []float64 // batch×K logits in float64
	ce     softmaxCE
	dz     []float64 // batch×K
	dz32   []float32 // batch×K
}

func newLinear(arena *params.Arena, wName, bName string, d, k int) *linear {
	return &linear{
		w: arena.Declare(wName, params.Center, k, d),
		b: arena.Declare(bName, params.Bias, k),
		d: d, k: k,
	}
}

// init draws W and b from U(−1/√d, 1/√d), as PyTorch's nn.Linear does.
func (l *linear) init(rng *rand.Rand) {
	bound := 1 / math.Sqrt(float64(l.d))
	for i := range l.w.W {
		l.w.W[i] = float32((2*rng.Float64() - 1) * bound)
	}
	for i := range l.b.W {
		l.b.W[i] = float32((2*rng.Float64() - 1) * bound)
	}
}

// forward returns the mean cross-entropy of the batch (labels already checked).
func (l *linear) forward(emb []float32, labels []int) float64 {
	m := len(labels)
	l.in = append(l.in[:0], emb...)
	l.labels = append(l.labels[:0], labels...)
	l.logits = grow(l.logits, m*l.k)
	kernels.Sgemm(false, true, m, l.k, l.d, 1, emb, l.d, l.w.W, l.d, 0, l.logits, l.k)
	l.z = grow(l.z, m*l.k)
	for i := 0; i < m; i++ {
		for j := 0; j < l.k; j++ {
			l.logits[i*l.k+j] += l.b.W[j]
			l.z[i*l.k+j] = float64(l.logits[i*l.k+j])
		}
	}
	return l.ce.forward(l.z, l.labels, l.k)
}

// backward propagates weight × the mean cross-entropy of the last forward:
// it writes (or, if add, adds) ∂/∂emb into dEmb and adds into W.G and b.G.
func (l *linear) backward(dEmb []float32, weight float64, add bool) {
	m := len(l.labels)
	l.dz = grow(l.dz, m*l.k)
	l.dz32 = grow(l.dz32, m*l.k)
	l.ce.backward(l.dz, l.labels, l.k, weight)
	for i, v := range l.dz {
		l.dz32[i] = float32(v)
	}
	for i := 0; i < m; i++ {
		for j := 0; j < l.k; j++ {
			l.b.G[j] += l.dz32[i*l.k+j]
		}
	}
	kernels.Sgemm(true, false, l.k, l.d, m, 1, l.dz32, l.k, l.in, l.d, 1, l.w.G, l.d)
	beta := float32(0)
	if add {
		beta = 1
	}
	kernels.Sgemm(false, false, m, l.d, l.k, 1, l.dz32, l.k, l.w.W, l.d, beta, dEmb, l.d)
}

// softmaxHead is the plain softmax baseline: linear classifier + cross-entropy.
type softmaxHead struct{ lin *linear }

func (h *softmaxHead) Init(seed uint64) { h.lin.init(newRNG(seed)) }

func (h *softmaxHead) Forward(emb []float32, labels []int) (float64, float64) {
	checkBatch(emb, labels, h.lin.d, h.lin.k)
	loss := h.lin.forward(emb, labels)
	return loss, argmaxAccuracy(h.lin.logits, labels, h.lin.k)
}

func (h *softmaxHead) Backward(dEmb []float32) {
	checkBackward(dEmb, len(h.lin.labels), h.lin.d)
	h.lin.backward(dEmb, 1, false)
}

func (h *softmaxHead) Scale() float64                { return 0 }
func (h *softmaxHead) Centroids() ([]float32, error) { return nil, ErrNoCentroids }
func (h *softmaxHead) Type() string                  { return TypeSoftmax }
