// Package loss holds the classification heads that turn a batch of
// embeddings into a training loss: CoCo (congenerous cosine, Liu et al. 2017)
// and its peers softmax, NormFace, CosFace, ArcFace and center loss, all
// behind one Head interface. A head declares its parameters ("head.*") in the
// network's params.Arena, so the optimizer and checkpoints treat them like
// any other weight. Forward and Backward are explicit, llm.c style: the
// forward pass caches what the backward pass needs in named fields.
package loss

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/cocotrain/cocotrain/internal/params"
)

// Head is a loss head over embeddings of dimension d and K classes.
//
// Use: declare with New before arena.Alloc, call Init once after it, then per
// training step Forward followed by Backward. A Head is not safe for
// concurrent use.
type Head interface {
	// Init sets the head's parameters from seed (deterministically).
	Init(seed uint64)
	// Forward computes the mean loss over the batch and the top-1 accuracy of
	// the head's class scores, for emb (batch×d, row-major) and labels (batch,
	// each in [0, K)). It copies what Backward needs. It panics if the shapes
	// disagree or a label is out of range (a programming error upstream).
	Forward(emb []float32, labels []int) (loss, acc float64)
	// Backward writes ∂loss/∂emb into dEmb (batch×d, overwritten) for the
	// batch of the last Forward and adds the gradients of the head's trained
	// parameters into their arena gradients. The center head also applies its
	// centre update here.
	Backward(dEmb []float32)
	// Scale is the logit scale in use: α for coco (resolved when "auto"), s
	// for normface, cosface and arcface, 0 for softmax and center.
	Scale() float64
	// Centroids returns a new K×d row-major copy of the unit class centroids
	// ĉ_k = c_k/‖c_k‖ (coco, normface, cosface, arcface), or ErrNoCentroids.
	Centroids() ([]float32, error)
	// Type is the head's Config.Type.
	Type() string
}

// ErrNoCentroids is returned by Centroids for heads without unit class
// centroids (softmax, center).
var ErrNoCentroids = errors.New("loss head has no unit class centroids")

// Names of the head's tensors in the parameter arena (and in checkpoints).
const (
	// ParamCentroids is the K×d centroid matrix of coco and the class-weight
	// matrix of normface, cosface and arcface (kind params.Center).
	ParamCentroids = "head.centroids"
	// ParamWeight and ParamBias are the K×d weights and K biases of the
	// softmax and center heads' linear classifier.
	ParamWeight = "head.weight"
	ParamBias   = "head.bias"
	// ParamAuxWeight and ParamAuxBias are coco's auxiliary softmax classifier.
	ParamAuxWeight = "head.aux.weight"
	ParamAuxBias   = "head.aux.bias"
	// ParamCenters is the center head's K×d class centres: a params.Buffer
	// (saved in checkpoints, not trained by the optimizer) updated by the rule
	// of Wen et al. 2016 in Backward.
	ParamCenters = "head.centers"
)

// New validates cfg and declares the head's parameters in arena (which must
// not be allocated yet) for embeddings of dimension dim and the given number
// of classes.
func New(cfg Config, dim, classes int, arena *params.Arena) (Head, error) {
	if dim < 1 || classes < 1 {
		return nil, fmt.Errorf("loss: need dim ≥ 1 and classes ≥ 1, got dim %d, classes %d", dim, classes)
	}
	if err := checkNonNegative("loss.aux_softmax_weight", cfg.AuxSoftmaxWeight); err != nil {
		return nil, err
	}
	switch cfg.Type {
	case TypeCoCo:
		a, err := cfg.alpha(classes)
		if err != nil {
			return nil, err
		}
		return newCosine(cfg.Type, marginNone, a, 0, cfg.AuxSoftmaxWeight, dim, classes, arena), nil
	case TypeNormFace, TypeCosFace, TypeArcFace:
		s, err := cfg.scale()
		if err != nil {
			return nil, err
		}
		kind, m := marginNone, 0.0
		switch cfg.Type {
		case TypeCosFace:
			kind = marginCos
			m, err = cfg.margin(DefaultCosFaceMargin, 1)
		case TypeArcFace:
			kind = marginArc
			m, err = cfg.margin(DefaultArcFaceMargin, math.Pi/2)
		}
		if err != nil {
			return nil, err
		}
		return newCosine(cfg.Type, kind, s, m, 0, dim, classes, arena), nil
	case TypeSoftmax:
		return &softmaxHead{lin: newLinear(arena, ParamWeight, ParamBias, dim, classes)}, nil
	case TypeCenter:
		if err := checkNonNegative("loss.center_lambda", cfg.CenterLambda); err != nil {
			return nil, err
		}
		if !(cfg.CenterAlpha >= 0 && cfg.CenterAlpha <= 1) {
			return nil, fmt.Errorf("loss.center_alpha %g: want a number in [0, 1]", cfg.CenterAlpha)
		}
		return newCenter(cfg.CenterLambda, cfg.CenterAlpha, dim, classes, arena), nil
	}
	return nil, fmt.Errorf("loss.type %q: want one of coco, softmax, normface, cosface, arcface, center", cfg.Type)
}

func checkNonNegative(name string, v float64) error {
	if !(v >= 0) || math.IsInf(v, 0) {
		return fmt.Errorf("%s %g: want a finite number ≥ 0", name, v)
	}
	return nil
}

// checkBatch panics unless emb is batch×d and every label is in [0, k).
func checkBatch(emb []float32, labels []int, d, k int) {
	if len(labels) == 0 || len(emb) != len(labels)*d {
		panic(fmt.Sprintf("loss: Forward with %d embedding values for %d labels of dimension %d", len(emb), len(labels), d))
	}
	for i, y := range labels {
		if y < 0 || y >= k {
			panic(fmt.Sprintf("loss: label %d of sample %d outside [0, %d)", y, i, k))
		}
	}
}

// newRNG is the head's deterministic generator for a seed.
func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x636f636f6c6f7373)) }

// initUnitRows fills the rows×d matrix w with independent uniformly
// distributed unit vectors.
func initUnitRows(w []float32, rows, d int, rng *rand.Rand) {
	for i := 0; i < rows; i++ {
		row := w[i*d : (i+1)*d]
		for {
			var ss float64
			for j := range row {
				v := rng.NormFloat64()
				row[j] = float32(v)
				ss += v * v
			}
			if ss > 0 {
				inv := 1 / math.Sqrt(ss)
				for j := range row {
					row[j] = float32(float64(row[j]) * inv)
				}
				break
			}
		}
	}
}

// checkBackward panics unless a Forward of batch samples came first and dEmb
// is batch×d.
func checkBackward(dEmb []float32, batch, d int) {
	if batch == 0 {
		panic("loss: Backward before Forward")
	}
	if len(dEmb) != batch*d {
		panic(fmt.Sprintf("loss: Backward with %d gradient values for a batch of %d×%d", len(dEmb), batch, d))
	}
}
