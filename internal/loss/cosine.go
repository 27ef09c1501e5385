package loss

import (
	"math"

	"github.com/cocotrain/cocotrain/internal/kernels"
	"github.com/cocotrain/cocotrain/internal/params"
)

// marginKind says how a cosine head changes the target logit.
type marginKind int

const (
	marginNone marginKind = iota // z = s·cos (coco, normface)
	marginCos                    // z_y = s·(cos − m) (cosface)
	marginArc                    // z_y = s·cos(θ + m), θ = arccos(cos) (arcface)
)

// arcSinSqMin is the floor under 1 − cos² before its square root in arcface.
const arcSinSqMin = 1e-12

// cosineHead is every head whose logits are scaled cosines between the
// normalised feature x̂_i = f_i/‖f_i‖ and normalised class vectors
// ĉ_k = c_k/‖c_k‖ (matrix "head.centroids", K×d):
//
//	cos_ik = ĉ_kᵀ x̂_i,  z_ik = s·cos_ik (target logit changed by the margin),
//	L = −(1/M) Σ_i log softmax(z_i)[y_i]  (+ aux·softmax CE on f_i for coco).
//
// CoCo is this head with s = α and no margin; NormFace is the same with s
// from Config.S; CosFace and ArcFace add their margins.
type cosineHead struct {
	typ       string
	kind      marginKind
	s, m      float64
	d, k      int
	c         *params.Param // K×d centroids
	aux       *linear       // nil unless aux weight > 0
	auxWeight float64

	// caches of the last forward
	labels []int     // batch
	xhat   []float32 // batch×d normalised features
	xnorm  []float64 // batch raw feature norms
	chat   []float32 // K×d normalised centroids
	cnorm  []float64 // K raw centroid norms
	cos    []float32 // batch×K cosines
	z      []float64 // batch×K logits
	dphi   []float64 // batch: ∂(target logit / s)/∂cos_{i,y_i}
	ce     softmaxCE

	// backward scratch
	dz   []float64 // batch×K
	dcos []float32 // batch×K
	v    []float32 // batch×d
	gc   []float32 // K×d
}

func newCosine(typ string, kind marginKind, s, m, auxWeight float64, d, k int, arena *params.Arena) *cosineHead {
	h := &cosineHead{typ: typ, kind: kind, s: s, m: m, d: d, k: k, auxWeight: auxWeight}
	h.c = arena.Declare(ParamCentroids, params.Center, k, d)
	if auxWeight > 0 {
		h.aux = newLinear(arena, ParamAuxWeight, ParamAuxBias, d, k)
	}
	return h
}

// Init draws each centroid uniformly on the unit sphere (and the auxiliary
// classifier as nn.Linear does).
func (h *cosineHead) Init(seed uint64) {
	rng := newRNG(seed)
	initUnitRows(h.c.W, h.k, h.d, rng)
	if h.aux != nil {
		h.aux.init(rng)
	}
}

func (h *cosineHead) Scale() float64 { return h.s }
func (h *cosineHead) Type() string   { return h.typ }

func (h *cosineHead) Centroids() ([]float32, error) { return UnitRows(h.c.W, h.k, h.d), nil }

func (h *cosineHead) Forward(emb []float32, labels []int) (float64, float64) {
	checkBatch(emb, labels, h.d, h.k)
	m, d, k := len(labels), h.d, h.k
	h.labels = append(h.labels[:0], labels...)
	h.xhat, h.xnorm = grow(h.xhat, m*d), grow(h.xnorm, m)
	h.chat, h.cnorm = grow(h.chat, k*d), grow(h.cnorm, k)
	normalizeRows(h.xhat, emb, h.xnorm, m, d)
	normalizeRows(h.chat, h.c.W, h.cnorm, k, d)

	h.cos = grow(h.cos, m*k)
	kernels.Sgemm(false, true, m, k, d, 1, h.xhat, d, h.chat, d, 0, h.cos, k)
	h.z, h.dphi = grow(h.z, m*k), grow(h.dphi, m)
	for i, y := range labels {
		for j := 0; j < k; j++ {
			h.z[i*k+j] = h.s * float64(h.cos[i*k+j])
		}
		phi, dphi := h.target(float64(h.cos[i*k+y]))
		h.z[i*k+y] = h.s * phi
		h.dphi[i] = dphi
	}
	loss := h.ce.forward(h.z, h.labels, k)
	if h.aux != nil {
		loss += h.auxWeight * h.aux.forward(emb, labels)
	}
	return loss, argmaxAccuracy(h.cos, labels, k)
}

// target returns the margin-adjusted target cosine φ(cos) and ∂φ/∂cos.
func (h *cosineHead) target(c float64) (phi, dphi float64) {
	switch h.kind {
	case marginCos:
		return c - h.m, 1
	case marginArc:
		// insightface: φ = cos(θ+m) = cos·cos m − sin·sin m while θ + m ≤ π,
		// i.e. cos > cos(π−m); below that the monotone fallback
		// φ = cos − sin(π−m)·m. cos is clamped to [−1, 1] and 1 − cos² floored
		// before the square root (zero gradient where a clamp is active).
		live := 1.0
		if c > 1 {
			c, live = 1, 0
		} else if c < -1 {
			c, live = -1, 0
		}
		if c <= math.Cos(math.Pi-h.m) {
			return c - math.Sin(math.Pi-h.m)*h.m, live
		}
		sinSq := 1 - c*c
		dsin := -c / math.Sqrt(math.Max(sinSq, arcSinSqMin))
		if sinSq < arcSinSqMin {
			sinSq, dsin = arcSinSqMin, 0
		}
		cm, sm := math.Cos(h.m), math.Sin(h.m)
		return c*cm - math.Sqrt(sinSq)*sm, live * (cm - dsin*sm)
	}
	return c, 1
}

func (h *cosineHead) Backward(dEmb []float32) {
	checkBackward(dEmb, len(h.labels), h.d)
	m, d, k := len(h.labels), h.d, h.k
	h.dz, h.dcos = grow(h.dz, m*k), grow(h.dcos, m*k)
	h.ce.backward(h.dz, h.labels, k, 1)
	for i, y := range h.labels {
		for j := 0; j < k; j++ {
			g := h.s * h.dz[i*k+j]
			if j == y {
				g *= h.dphi[i]
			}
			h.dcos[i*k+j] = float32(g)
		}
	}
	// ∂L/∂x̂ = dcos·Ĉ (M×d), then through the feature normalisation.
	h.v = grow(h.v, m*d)
	kernels.Sgemm(false, false, m, d, k, 1, h.dcos, k, h.chat, d, 0, h.v, d)
	for i := 0; i < m; i++ {
		normalizeBackward(dEmb[i*d:(i+1)*d], h.v[i*d:(i+1)*d], h.xhat[i*d:(i+1)*d], h.xnorm[i], false)
	}
	// ∂L/∂ĉ = dcosᵀ·X̂ (K×d), then through the centroid normalisation.
	h.gc = grow(h.gc, k*d)
	kernels.Sgemm(true, false, k, d, m, 1, h.dcos, k, h.xhat, d, 0, h.gc, d)
	for j := 0; j < k; j++ {
		normalizeBackward(h.c.G[j*d:(j+1)*d], h.gc[j*d:(j+1)*d], h.chat[j*d:(j+1)*d], h.cnorm[j], true)
	}
	if h.aux != nil {
		h.aux.backward(dEmb, h.auxWeight, true)
	}
}
