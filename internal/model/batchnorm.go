package model

import (
	"math"

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
	return b
}

// Forward normalises in into out, one channel per work unit.
func (b *BatchNorm) Forward(out, in []float32, n int) {
	b.x = in
	b.trained = b.ex.Training
	C, hw := b.in.C, b.in.H*b.in.W
	m := n * hw
	b.ex.parallel(C, func(_, c int) {
		var mu, inv float64
		if b.trained {
			// One pass of shifted sums in float64 (shift K = the first
			// value, which keeps Σ(x−K)² − (Σ(x−K))²/m free of cancellation).
			k := float64(in[c*hw])
			var s, ss float64
			for i := 0; i < n; i++ {
				ps, pss := shiftedSums(in[(i*C+c)*hw:(i*C+c+1)*hw], k)
				s += ps
				ss += pss
			}
			mu = k + s/float64(m)
			sq := max(ss-s*s/float64(m), 0) // m·(biased variance)
			vr := sq / float64(m)
			inv = 1 / math.Sqrt(vr+b.Eps)
			unbiased := vr
			if m > 1 {
				unbiased = sq / float64(m-1)
			}
			mom := b.Momentum
			b.mean.W[c] = float32((1-mom)*float64(b.mean.W[c]) + mom*mu)
			b.vr.W[c] = float32((1-mom)*float64(b.vr.W[c]) + mom*unbiased)
		} else {
			mu = float64(b.mean.W[c])
			inv = 1 / math.Sqrt(float64(b.vr.W[c])+b.Eps)
		}
		b.bMean[c], b.invStd[c] = mu, inv
		scale, shift := inv, 0.0
		if b.weight != nil {
			scale *= float64(b.weight.W[c])
			shift = float64(b.bias.W[c])
		}
		// (x − μ)·scale + shift: subtracting μ first keeps the result exact
		// when |μ| ≫ σ (folding μ into the shift would cancel).
		mu32, s32, t32 := float32(mu), float32(scale), float32(shift)
		for i := 0; i < n; i++ {
			src := in[(i*C+c)*hw : (i*C+c+1)*hw]
			dst := out[(i*C+c)*hw : (i*C+c+1)*hw]
			for j, v := range src {
				dst[j] = (v-mu32)*s32 + t32
			}
		}
	})
}

// Backward propagates through the normalisation (through the batch
// statistics when the last Forward used them) and adds ∂L/∂γ, ∂L/∂β.
func (b *BatchNorm) Backward(dIn, dOut []float32, n int) {
	C, hw := b.in.C, b.in.H*b.in.W
	m := float64(n * hw)
	b.ex.parallel(C, func(_, c int) {
		mu, inv := b.bMean[c], b.invStd[c]
		var sdy, sdyx float64 // Σ dy, Σ dy·x̂
		for i := 0; i < n; i++ {
			ps, psx := centredDots(dOut[(i*C+c)*hw:(i*C+c+1)*hw], b.x[(i*C+c)*hw:(i*C+c+1)*hw], mu)
			sdy += ps
			sdyx += psx
		}
		sdyx *= inv
		gamma := 1.0
		if b.weight != nil {
			gamma = float64(b.weight.W[c])
			if !b.fixedScale {
				b.weight.G[c] += float32(sdyx)
			}
			b.bias.G[c] += float32(sdy)
		}
		if dIn == nil {
			return
		}
		k := float32(gamma * inv)
		mu32, inv32 := float32(mu), float32(inv)
		c1, c2 := float32(sdy/m), float32(sdyx/m)
		for i := 0; i < n; i++ {
			x := b.x[(i*C+c)*hw : (i*C+c+1)*hw]
			dy := dOut[(i*C+c)*hw : (i*C+c+1)*hw]
			dx := dIn[(i*C+c)*hw : (i*C+c+1)*hw]
			if b.trained {
				for j, g := range dy {
					dx[j] = k * (g - c1 - (x[j]-mu32)*inv32*c2)
				}
			} else {
				for j, g := range dy {
					dx[j] = g * k
				}
			}
		}
	})
}

// shiftedSums returns Σ(x−k) and Σ(x−k)² over x in float64 (float32
// partial sums cost mobilefacenet's gradients an order of magnitude of
// agreement with PyTorch's float64 reference).
func shiftedSums(x []float32, k float64) (s, ss float64) {
	for _, v := range x {
		d := float64(v) - k
		s += d
		ss += d * d
	}
	return s, ss
}

// centredDots returns Σ dy and Σ dy·(x − mu) over paired dy and x, in
// float64: Σ dy often cancels almost completely, and the batch-norm
// gradient subtracts it.
func centredDots(dy, x []float32, mu float64) (s, sx float64) {
	x = x[:len(dy)]
	for j, g := range dy {
		s += float64(g)
		sx += float64(g) * (float64(x[j]) - mu)
	}
	return s, sx
}

// fill sets every element of s to v.
func fill(s []float32, v float32) {
	for i := range s {
		s[i] = v
	}
}
