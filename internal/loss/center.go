package loss

import "github.com/cocotrain/cocotrain/internal/params"

// centerHead is softmax plus center loss (Wen et al., "A Discriminative
// Feature Learning Approach for Deep Face Recognition", ECCV 2016):
//
//	L = −(1/M) Σ_i log softmax(W f_i + b)[y_i] + λ·(1/2M)·Σ_i ‖f_i − c_{y_i}‖².
//
// The centres c_j ("head.centers", K×d) are not trained by the optimizer:
// they are a params.Buffer, start at zero (as facenet's implementation does)
// and after each backward pass move by the paper's rule (eq. 4) with rate α:
//
//	Δc_j = Σ_{i: y_i=j} (c_j − f_i) / (1 + n_j),  c_j ← c_j − α·Δc_j,
//
// where n_j counts the samples of class j in the batch. The gradient of L
// with respect to f uses the centres before the update.
type centerHead struct {
	lin          *linear
	centers      *params.Param // K×d buffer
	lambda, rate float64
	d, k         int

	// caches of the last forward
	labels []int     // batch
	diff   []float32 // batch×d: f_i − c_{y_i}
	counts []int     // K scratch for the update
}

func newCenter(lambda, rate float64, d, k int, arena *params.Arena) *centerHead {
	return &centerHead{
		lin:     newLinear(arena, ParamWeight, ParamBias, d, k),
		centers: arena.Declare(ParamCenters, params.Buffer, k, d),
		lambda:  lambda, rate: rate, d: d, k: k,
	}
}

// Init draws the classifier as nn.Linear does and zeroes the centres.
func (h *centerHead) Init(seed uint64) {
	h.lin.init(newRNG(seed))
	clear(h.centers.W)
}

func (h *centerHead) Scale() float64                { return 0 }
func (h *centerHead) Centroids() ([]float32, error) { return nil, ErrNoCentroids }
func (h *centerHead) Type() string                  { return TypeCenter }

func (h *centerHead) Forward(emb []float32, labels []int) (float64, float64) {
	checkBatch(emb, labels, h.d, h.k)
	m, d := len(labels), h.d
	loss := h.lin.forward(emb, labels)
	h.labels = append(h.labels[:0], labels...)
	h.diff = grow(h.diff, m*d)
	var ss float64
	for i, y := range labels {
		c := h.centers.W[y*d : (y+1)*d]
		for j := 0; j < d; j++ {
			v := emb[i*d+j] - c[j]
			h.diff[i*d+j] = v
			ss += float64(v) * float64(v)
		}
	}
	loss += h.lambda * ss / (2 * float64(m))
	return loss, argmaxAccuracy(h.lin.logits, labels, h.k)
}

func (h *centerHead) Backward(dEmb []float32) {
	checkBackward(dEmb, len(h.labels), h.d)
	m, d := len(h.labels), h.d
	h.lin.backward(dEmb, 1, false)
	g := float32(h.lambda / float64(m))
	for i, v := range h.diff {
		dEmb[i] += g * v
	}
	// Centre update: c_j += α·Σ_{i: y_i=j} (f_i − c_j) / (1 + n_j).
	h.counts = grow(h.counts, h.k)
	clear(h.counts)
	for _, y := range h.labels {
		h.counts[y]++
	}
	for i, y := range h.labels {
		step := float32(h.rate / float64(1+h.counts[y]))
		c := h.centers.W[y*d : (y+1)*d]
		for j := 0; j < d; j++ {
			c[j] += step * h.diff[i*d+j]
		}
	}
}
