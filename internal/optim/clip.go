package optim

import (
	"math"

	"github.com/cocotrain/cocotrain/internal/kernels"
)

// gradNorm is the L2 norm of grad, accumulated in float64.
func gradNorm(grad []float32) float64 {
	return math.Sqrt(kernels.SumSquares(grad))
}

// ClipGradNorm scales grad in place so that its L2 norm is at most maxNorm
// (as torch.nn.utils.clip_grad_norm_: by maxNorm/(norm+1e-6) when that is
// below 1) and returns the norm before clipping. maxNorm 0 only measures.
// A non-finite norm is returned without touching grad.
func ClipGradNorm(grad []float32, maxNorm float64) float64 {
	norm := gradNorm(grad)
	if maxNorm <= 0 || math.IsNaN(norm) || math.IsInf(norm, 0) {
		return norm
	}
	if coef := maxNorm / (norm + 1e-6); coef < 1 {
		kernels.Scale(float32(coef), grad)
	}
	return norm
}
