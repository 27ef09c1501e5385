package model

import (
	"math"

	"github.com/cocotrain/cocotrain/internal/kernels"
	"github.com/cocotrain/cocotrain/internal/params"
)

// BatchNorm normalises each channel, as torch.nn.BatchNorm2d (spatial input)
// and torch.nn.BatchNorm1d (feature vectors, H = W = 1).
//
//	in, out: n × C × H × W
//	weight (γ), bias (β): C (affine only); running_mean, running_var: C (buffers)
//
// Training: y = γ·(x − μ_B)/√(σ²_B + ε) + β with the batch mean and biased
// variance over n·H·W values per channel; the running statistics move by
// momentum 0.1 towards μ_B and the unbiased variance σ²_B·m/(m−1). Eval:
// the running statistics replace the batch ones.
type BatchNorm struct {
	base
	Eps, Momentum float64
	weight, bias  *params.Param // nil when not affine
	mean, vr      *params.Param // running_mean, running_var (buffers)
	fixedScale    bool          // weight is a buffer fixed at 1 (insightface's final BN1d)
	vector        bool          // built as BatchNorm1d
	// cache (per channel, of the last Forward)
	x             []float32
	bMean, invStd []float64
	trained       bool // the last Forward used batch statistics
	// planes: per-plane statistics of a training Forward (see planeStats)
	planes planeStats
	units  batchNormUnits // parallel regions, built once
}

// NewBatchNorm2d declares the tensors of a batch norm over in.C channels:
// "<name>.weight" and "<name>.bias" when affine, and the buffers
// "<name>.running_mean" and "<name>.running_var".
func NewBatchNorm2d(ex *Exec, a *params.Arena, name string, in Shape, affine bool) *BatchNorm {
	b := &BatchNorm{base: base{name: name, in: in, out: in, ex: ex}, Eps: 1e-5, Momentum: 0.1}
	if affine {
		b.weight = b.declare(a, "weight", params.Norm, in.C)
		b.bias = b.declare(a, "bias", params.Norm, in.C)
	}
	b.mean = b.declare(a, "running_mean", params.Buffer, in.C)
	b.vr = b.declare(a, "running_var", params.Buffer, in.C)
	b.bMean = make([]float64, in.C)
	b.invStd = make([]float64, in.C)
	b.buildUnits()
	return b
}

// NewBatchNorm1d is NewBatchNorm2d over d features (Shape{d, 1, 1}).
func NewBatchNorm1d(ex *Exec, a *params.Arena, name string, d int, affine bool) *BatchNorm {
	b := NewBatchNorm2d(ex, a, name, Shape{d, 1, 1}, affine)
	b.vector = true
	return b
}

// newFixedScaleBatchNorm1d is insightface's `features` layer: an affine
// BatchNorm1d whose weight is frozen at 1 (requires_grad=False), declared
// as a buffer so that it is saved but never trained.
func newFixedScaleBatchNorm1d(ex *Exec, a *params.Arena, name string, d int) *BatchNorm {
	b := &BatchNorm{base: base{name: name, in: Shape{d, 1, 1}, out: Shape{d, 1, 1}, ex: ex}, Eps: 1e-5, Momentum: 0.1, fixedScale: true, vector: true}
	b.weight = b.declare(a, "weight", params.Buffer, d)
	b.bias = b.declare(a, "bias", params.Norm, d)
	b.mean = b.declare(a, "running_mean", params.Buffer, d)
	b.vr = b.declare(a, "running_var", params.Buffer, d)
	b.bMean = make([]float64, d)
	b.invStd = make([]float64, d)
	b.buildUnits()
	return b
}

// Forward normalises in into out, one channel per work unit.
func (b *BatchNorm) Forward(out, in []float32, n int) {
	b.begin(in, n)
	b.call = call{out, in, n}
	b.ex.run(b.in.C, b.units.bnForward)
}

// bnForward is BatchNorm.Forward's parallel region: unit c is channel c.
func (b *BatchNorm) bnForward(_, c int) {
	hw := b.in.H * b.in.W
	out, in, n := b.call.dst, b.call.src, b.call.n
	mu, scale, shift := b.channelForward(in, n, c)
	for i := 0; i < n; i++ {
		o := (i*b.in.C + c) * hw
		kernels.PlaneNorm(out[o:o+hw], in[o:o+hw], mu, scale, shift)
	}
}

// begin caches the input of a Forward over n samples and sizes the scratch.
func (b *BatchNorm) begin(in []float32, n int) {
	b.x = in
	b.trained = b.ex.Training
	if b.trained {
		b.planes.size(n * b.in.C)
	}
}

// channelForward computes channel c's statistics for a Forward of in over n
// samples (batch statistics in training mode, which also move the running
// ones; the running ones in eval mode), caches μ and 1/σ for Backward, and
// returns the channel's map y = (x − mu)·scale + shift. Subtracting μ first
// keeps y exact when |μ| ≫ σ (folding μ into the shift would cancel).
func (b *BatchNorm) channelForward(in []float32, n, c int) (mu, scale, shift float32) {
	C, hw := b.in.C, b.in.H*b.in.W
	m := n * hw
	var mean, inv float64
	if b.trained {
		// One pass over memory: per plane, its sum and its squared
		// deviations from its own mean (float32 vector lanes, while the
		// plane is in cache; the convolution before may have computed
		// them already, see bnstats.go), combined in float64 by Chan et
		// al.'s parallel rule M2 = Σ M2_i + Σ hw·(μ_i − μ)², free of
		// cancellation.
		var s, m2 float64
		for i := 0; i < n; i++ {
			ps, sq := b.planes.get(i*C+c, in[(i*C+c)*hw:(i*C+c+1)*hw])
			m2 += sq
			s += ps
		}
		mean = s / float64(m)
		for i := 0; i < n; i++ {
			d := b.planes.sum[i*C+c]/float64(hw) - mean
			m2 += float64(hw) * d * d
		}
		vr := m2 / float64(m) // biased variance
		inv = 1 / math.Sqrt(vr+b.Eps)
		unbiased := vr
		if m > 1 {
			unbiased = m2 / float64(m-1)
		}
		mom := b.Momentum
		b.mean.W[c] = float32((1-mom)*float64(b.mean.W[c]) + mom*mean)
		b.vr.W[c] = float32((1-mom)*float64(b.vr.W[c]) + mom*unbiased)
	} else {
		mean = float64(b.mean.W[c])
		inv = 1 / math.Sqrt(float64(b.vr.W[c])+b.Eps)
	}
	b.bMean[c], b.invStd[c] = mean, inv
	scale, shift = b.affine(c)
	return float32(mean), scale, shift
}

// affine is channel c's scale γ/σ and shift β (1/σ and 0 when not affine)
// from the 1/σ the last channelForward cached.
func (b *BatchNorm) affine(c int) (scale, shift float32) {
	sc, sh := b.invStd[c], 0.0
	if b.weight != nil {
		sc *= float64(b.weight.W[c])
		sh = float64(b.bias.W[c])
	}
	return float32(sc), float32(sh)
}

// Backward propagates through the normalisation (through the batch
// statistics when the last Forward used them) and adds ∂L/∂γ, ∂L/∂β. dIn
// may be dOut itself.
func (b *BatchNorm) Backward(dIn, dOut []float32, n int) {
	b.call = call{dIn, dOut, n}
	b.ex.run(b.in.C, b.units.bnBackward)
}

// bnBackward is BatchNorm.Backward's parallel region: unit c is channel c.
func (b *BatchNorm) bnBackward(_, c int) {
	C, hw := b.in.C, b.in.H*b.in.W
	dIn, dOut, n := b.call.dst, b.call.src, b.call.n
	mu := float32(b.bMean[c])
	var sdy, sdyd float64 // Σ dy, Σ dy·(x − μ)
	for i := 0; i < n; i++ {
		o := (i*C + c) * hw
		gs, gsd := kernels.PlaneGradStats(dOut[o:o+hw], b.x[o:o+hw], mu)
		sdy += float64(gs)
		sdyd += float64(gsd)
	}
	k, kb, kc := b.channelBackward(c, n, sdy, sdyd)
	if dIn == nil {
		return
	}
	for i := 0; i < n; i++ {
		o := (i*C + c) * hw
		kernels.PlaneNormBackward(dIn[o:o+hw], dOut[o:o+hw], b.x[o:o+hw], mu, k, kb, kc)
	}
}

// channelBackward takes channel c's sums over the n samples of the output
// gradient, Σ dy and Σ dy·(x − μ), adds ∂L/∂γ = Σ dy·x̂ and ∂L/∂β = Σ dy, and
// returns the coefficients of the input gradient
// dx = k·(dy − Σdy/m − x̂·Σdy·x̂/m) = dy·k + (x − μ)·kb + kc.
func (b *BatchNorm) channelBackward(c, n int, sdy, sdyd float64) (k, kb, kc float32) {
	m := float64(n * b.in.H * b.in.W)
	inv := b.invStd[c]
	sdyx := sdyd * inv // Σ dy·x̂
	gamma := 1.0
	if b.weight != nil {
		gamma = float64(b.weight.W[c])
		if !b.fixedScale {
			b.weight.G[c] += float32(sdyx)
		}
		b.bias.G[c] += float32(sdy)
	}
	kk := gamma * inv
	if !b.trained {
		return float32(kk), 0, 0
	}
	return float32(kk), float32(-kk * inv * sdyx / m), float32(-kk * sdy / m)
}

// fill sets every element of s to v.
func fill(s []float32, v float32) {
	for i := range s {
		s[i] = v
	}
}

// batchNormUnits are the parallel regions of a BatchNorm, built once (buildUnits).
type batchNormUnits struct {
	bnForward  unitFunc
	bnBackward unitFunc
}

// buildUnits makes the layer's parallel regions (method values, so that
// running one allocates nothing).
func (b *BatchNorm) buildUnits() {
	b.units = batchNormUnits{bnForward: b.bnForward, bnBackward: b.bnBackward}
}
