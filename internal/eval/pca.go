package eval

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// exactSVDLimit is the largest min(images, pixels) for which the PCA takes
// the exact thin SVD of the centred data; above it, the randomized range
// finder (Halko, Martinsson & Tropp 2011, algorithm 4.4) brings the work
// from O(n·L·min(n, L)) down to O(n·L·k) per pass.
const exactSVDLimit = 1500

// pcaModel is a fitted PCA: the training mean (1×L) and the principal axes
// as columns (L×k), by decreasing variance.
type pcaModel struct {
	mean []float64
	axes *mat.Dense
}

// fitPCA fits a k-component PCA to the rows rows of all (N×L). k is
// clamped to min(len(rows)−1, L), the rank the centred data can have.
func fitPCA(all *mat.Dense, rows []int, k int) (*pcaModel, error) {
	_, l := all.Dims()
	n := len(rows)
	k = min(k, n-1, l)
	if k < 1 {
		return nil, fmt.Errorf("PCA on %d images: need at least 2", n)
	}
	m := &pcaModel{mean: make([]float64, l)}
	for _, r := range rows {
		for j, v := range all.RawRowView(r) {
			m.mean[j] += v
		}
	}
	for j := range m.mean {
		m.mean[j] /= float64(n)
	}
	x := mat.NewDense(n, l, nil)
	for i, r := range rows {
		dst := x.RawRowView(i)
		for j, v := range all.RawRowView(r) {
			dst[j] = v - m.mean[j]
		}
	}
	var err error
	if min(n, l) <= exactSVDLimit {
		m.axes, err = exactAxes(x, k)
	} else {
		m.axes, err = randomizedAxes(x, k, 3, rand.New(rand.NewPCG(1, 2)))
	}
	return m, err
}

// exactAxes returns the first k right singular vectors of x (n×L) as L×k.
func exactAxes(x *mat.Dense, k int) (*mat.Dense, error) {
	var svd mat.SVD
	if !svd.Factorize(x, mat.SVDThinV) {
		return nil, fmt.Errorf("SVD did not converge")
	}
	var v mat.Dense
	svd.VTo(&v)
	l, _ := v.Dims()
	return mat.DenseCopyOf(v.Slice(0, l, 0, k)), nil
}

// randomizedAxes approximates the first k right singular vectors of x
// (n×L): an orthonormal basis Q of x·Ω for a Gaussian Ω with k+10 columns,
// refined by power passes through xᵀ and x (each re-orthonormalised), then
// the exact SVD of the small Qᵀx. Orthonormal bases are the left singular
// vectors of a thin SVD.
func randomizedAxes(x *mat.Dense, k, passes int, rng *rand.Rand) (*mat.Dense, error) {
	n, l := x.Dims()
	p := min(k+10, n, l)
	omega := mat.NewDense(l, p, nil)
	raw := omega.RawMatrix().Data
	for i := range raw {
		raw[i] = rng.NormFloat64()
	}
	var y, z mat.Dense
	y.Mul(x, omega)
	q, err := orthonormal(&y)
	if err != nil {
		return nil, err
	}
	for i := 0; i < passes; i++ {
		z.Reset()
		z.Mul(x.T(), q)
		qz, err := orthonormal(&z)
		if err != nil {
			return nil, err
		}
		y.Reset()
		y.Mul(x, qz)
		if q, err = orthonormal(&y); err != nil {
			return nil, err
		}
	}
	var b mat.Dense
	b.Mul(q.T(), x) // p×L
	var svd mat.SVD
	if !svd.Factorize(&b, mat.SVDThinV) {
		return nil, fmt.Errorf("SVD did not converge")
	}
	var v mat.Dense
	svd.VTo(&v)
	return mat.DenseCopyOf(v.Slice(0, l, 0, k)), nil
}

// orthonormal returns an orthonormal basis of the column space of a (m×c,
// m ≥ c): the left singular vectors of its thin SVD.
func orthonormal(a *mat.Dense) (*mat.Dense, error) {
	var svd mat.SVD
	if !svd.Factorize(a, mat.SVDThinU) {
		return nil, fmt.Errorf("SVD did not converge")
	}
	var u mat.Dense
	svd.UTo(&u)
	return &u, nil
}

// project returns every row of all (N×L), centred on the training mean and
// projected on the axes, L2-normalised: N×k float32 embeddings. It computes
// all·axes − meanᵀ·axes, so the N×L data is not copied.
func (m *pcaModel) project(all *mat.Dense) []float32 {
	n, _ := all.Dims()
	_, k := m.axes.Dims()
	var p, shift mat.Dense
	p.Mul(all, m.axes)
	shift.Mul(mat.NewDense(1, len(m.mean), m.mean), m.axes)
	sh := shift.RawRowView(0)
	emb := make([]float32, n*k)
	for i := 0; i < n; i++ {
		for j, v := range p.RawRowView(i) {
			emb[i*k+j] = float32(v - sh[j])
		}
		normalize(emb[i*k : (i+1)*k])
	}
	return emb
}
