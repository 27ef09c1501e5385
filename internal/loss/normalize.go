package loss

import (
	"math"

	"github.com/cocotrain/cocotrain/internal/kernels"
)

// normalizeRows writes dst[i,:] = src[i,:] / max(‖src[i,:]‖, NormEps) for the
// rows×d matrices src and dst and stores the raw norms ‖src[i,:]‖ in norms.
func normalizeRows(dst, src []float32, norms []float64, rows, d int) {
	for i := 0; i < rows; i++ {
		row := src[i*d : (i+1)*d]
		n := math.Sqrt(kernels.SumSquares(row))
		norms[i] = n
		inv := 1 / math.Max(n, NormEps)
		out := dst[i*d : (i+1)*d]
		for j, v := range row {
			out[j] = float32(float64(v) * inv)
		}
	}
}

// UnitRows returns a new rows×d matrix holding the rows of c (rows×d,
// row-major) divided by max(‖row‖, NormEps): the unit centroids ĉ_k the
// cosine heads use, as exported with the class names.
func UnitRows(c []float32, rows, d int) []float32 {
	out := make([]float32, rows*d)
	normalizeRows(out, c, make([]float64, rows), rows, d)
	return out
}

// normalizeBackward maps the gradient v with respect to a normalised row
// x̂ = x / max(‖x‖, NormEps) to the gradient with respect to x:
// (I − x̂x̂ᵀ)·v / ‖x‖ when ‖x‖ > NormEps, v / NormEps otherwise (where the
// normalisation is the linear map x / NormEps). If add, the result is added
// into dst, otherwise it overwrites dst. v and dst may alias.
func normalizeBackward(dst, v, xhat []float32, norm float64, add bool) {
	var proj float64
	scale := 1 / NormEps
	if norm > NormEps {
		for j, x := range xhat {
			proj += float64(x) * float64(v[j])
		}
		scale = 1 / norm
	}
	for j, x := range xhat {
		g := float32((float64(v[j]) - proj*float64(x)) * scale)
		if add {
			dst[j] += g
		} else {
			dst[j] = g
		}
	}
}
