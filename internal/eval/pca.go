package eval

import (
	"fmt"
	"math/rand/v2"

	"github.com/cocotrain/cocotrain/internal/kernels"
	"gonum.org/v1/gonum/mat"
)

// exactSVDLimit is the largest min(images, pixels) for which the PCA takes
// the exact thin SVD of the centred data (gonum/mat, float64). Above it, the
// randomized range finder (Halko, Martinsson & Tropp 2011, algorithm 4.4)
// does the large products in float32 with kernels.Sgemm and leaves gonum
// only small SVDs. BenchmarkFitPCA (100 axes of 1600 images × 1600 pixels,
// this shared 2-core machine): exact 35–44 s, randomized 0.7–1.2 s.
const exactSVDLimit = 600

// powerPasses is the number of power iterations of the range finder.
const powerPasses = 3

// pcaModel is a fitted PCA: the training mean (L) and the principal axes
// as columns (L×k, row-major float32), by decreasing variance.
type pcaModel struct {
	mean []float32
	axes []float32
	l, k int
}

// fitPCA fits a k-component PCA to the rows rows of x (N×l, row-major). k
// is clamped to min(len(rows)−1, l), the rank the centred data can have.
func fitPCA(x []float32, l int, rows []int, k int) (*pcaModel, error) {
	return fitPCAWith(x, l, rows, k, exactSVDLimit)
}

// fitPCAWith is fitPCA taking the exact SVD when min(images, pixels) ≤
// exactLimit and the randomized one otherwise.
func fitPCAWith(x []float32, l int, rows []int, k, exactLimit int) (*pcaModel, error) {
	n := len(rows)
	k = min(k, n-1, l)
	if k < 1 {
		return nil, fmt.Errorf("PCA on %d images: need at least 2", n)
	}
	mean := make([]float64, l)
	for _, r := range rows {
		for j, v := range x[r*l : (r+1)*l] {
			mean[j] += float64(v)
		}
	}
	m := &pcaModel{mean: make([]float32, l), l: l, k: k}
	for j := range mean {
		mean[j] /= float64(n)
		m.mean[j] = float32(mean[j])
	}
	var axes *mat.Dense
	var err error
	if min(n, l) <= exactLimit {
		c := mat.NewDense(n, l, nil)
		for i, r := range rows {
			dst := c.RawRowView(i)
			for j, v := range x[r*l : (r+1)*l] {
				dst[j] = float64(v) - mean[j]
			}
		}
		axes, err = exactAxes(c, k)
	} else {
		c := make([]float32, n*l)
		for i, r := range rows {
			for j, v := range x[r*l : (r+1)*l] {
				c[i*l+j] = v - m.mean[j]
			}
		}
		axes, err = randomizedAxes(c, n, l, k, powerPasses, rand.New(rand.NewPCG(1, 2)))
	}
	if err != nil {
		return nil, err
	}
	m.axes = toFloat32(axes)
	return m, nil
}

// exactAxes returns the first k right singular vectors of c (n×L) as L×k.
func exactAxes(c *mat.Dense, k int) (*mat.Dense, error) {
	var svd mat.SVD
	if !svd.Factorize(c, mat.SVDThinV) {
		return nil, fmt.Errorf("SVD did not converge")
	}
	var v mat.Dense
	svd.VTo(&v)
	l, _ := v.Dims()
	return mat.DenseCopyOf(v.Slice(0, l, 0, k)), nil
}

// randomizedAxes approximates the first k right singular vectors of c
// (n×l, row-major float32) as l×k: an orthonormal basis Q of c·Ω for a
// Gaussian Ω with k+10 columns, refined by power passes through cᵀ and c
// (each basis re-orthonormalised), then the exact SVD of the small Qᵀc.
// The products with c run in float32 on kernels.Sgemm; orthonormal bases
// are the left singular vectors of a float64 thin SVD.
func randomizedAxes(c []float32, n, l, k, passes int, rng *rand.Rand) (*mat.Dense, error) {
	p := min(k+10, n, l)
	omega := make([]float32, l*p)
	for i := range omega {
		omega[i] = float32(rng.NormFloat64())
	}
	y := make([]float32, n*p)
	z := make([]float32, l*p)
	kernels.Sgemm(false, false, n, p, l, 1, c, l, omega, p, 0, y, p) // y = c·Ω
	q, err := orthonormal(y, n, p)
	if err != nil {
		return nil, err
	}
	for i := 0; i < passes; i++ {
		kernels.Sgemm(true, false, l, p, n, 1, c, l, q, p, 0, z, p) // z = cᵀ·q
		qz, err := orthonormal(z, l, p)
		if err != nil {
			return nil, err
		}
		kernels.Sgemm(false, false, n, p, l, 1, c, l, qz, p, 0, y, p) // y = c·qz
		if q, err = orthonormal(y, n, p); err != nil {
			return nil, err
		}
	}
	b := make([]float32, p*l)
	kernels.Sgemm(true, false, p, l, n, 1, q, p, c, l, 0, b, l) // b = qᵀ·c
	var svd mat.SVD
	if !svd.Factorize(toDense(b, p, l), mat.SVDThinV) {
		return nil, fmt.Errorf("SVD did not converge")
	}
	var v mat.Dense
	svd.VTo(&v)
	return mat.DenseCopyOf(v.Slice(0, l, 0, k)), nil
}

// orthonormal returns an orthonormal basis (rows×cols, float32) of the
// column space of a (rows×cols, rows ≥ cols): the left singular vectors of
// its thin SVD.
func orthonormal(a []float32, rows, cols int) ([]float32, error) {
	var svd mat.SVD
	if !svd.Factorize(toDense(a, rows, cols), mat.SVDThinU) {
		return nil, fmt.Errorf("SVD did not converge")
	}
	var u mat.Dense
	svd.UTo(&u)
	return toFloat32(&u), nil
}

// toDense copies a row-major float32 rows×cols matrix into a mat.Dense.
func toDense(a []float32, rows, cols int) *mat.Dense {
	d := make([]float64, rows*cols)
	for i, v := range a[:rows*cols] {
		d[i] = float64(v)
	}
	return mat.NewDense(rows, cols, d)
}

// toFloat32 copies a mat.Dense into a row-major float32 slice.
func toFloat32(m *mat.Dense) []float32 {
	r, c := m.Dims()
	out := make([]float32, r*c)
	for i := 0; i < r; i++ {
		for j, v := range m.RawRowView(i) {
			out[i*c+j] = float32(v)
		}
	}
	return out
}

// project returns the n rows of x (n×L), centred on the training mean and
// projected on the axes, L2-normalised: n×k float32 embeddings. It computes
// x·axes − meanᵀ·axes, so the data is not copied.
func (m *pcaModel) project(x []float32, n int) []float32 {
	emb := make([]float32, n*m.k)
	shift := make([]float32, m.k)
	kernels.Sgemm(false, false, n, m.k, m.l, 1, x, m.l, m.axes, m.k, 0, emb, m.k)
	kernels.Sgemm(false, false, 1, m.k, m.l, 1, m.mean, m.l, m.axes, m.k, 0, shift, m.k)
	for i := 0; i < n; i++ {
		row := emb[i*m.k : (i+1)*m.k]
		for j := range row {
			row[j] -= shift[j]
		}
		normalize(row)
	}
	return emb
}
