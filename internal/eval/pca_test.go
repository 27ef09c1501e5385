package eval

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// lowRank returns an n×l row-major matrix of rank r with singular values
// spread from 100 down to 100/r, plus small Gaussian noise and a mean
// offset per column.
func lowRank(rng *rand.Rand, n, l, r int) []float32 {
	u := mat.NewDense(n, r, nil)
	v := mat.NewDense(r, l, nil)
	for i := 0; i < n; i++ {
		for j := 0; j < r; j++ {
			u.Set(i, j, rng.NormFloat64()*100/float64(j+1))
		}
	}
	for i := 0; i < r; i++ {
		for j := 0; j < l; j++ {
			v.Set(i, j, rng.NormFloat64())
		}
	}
	var a mat.Dense
	a.Mul(u, v)
	out := make([]float32, n*l)
	for i := 0; i < n; i++ {
		for j := 0; j < l; j++ {
			out[i*l+j] = float32(a.At(i, j) + 0.01*rng.NormFloat64() + float64(j))
		}
	}
	return out
}

// axesAgree returns the smallest |cos| between matching columns of two
// l×k row-major axis matrices (axes are defined up to sign).
func axesAgree(a, b []float32, l, k int) float64 {
	worst := 1.0
	for j := 0; j < k; j++ {
		var d float64
		for i := 0; i < l; i++ {
			d += float64(a[i*k+j]) * float64(b[i*k+j])
		}
		worst = math.Min(worst, math.Abs(d))
	}
	return worst
}

// TestPCAAxesAreCovarianceEigenvectors: the exact PCA axes are the leading
// eigenvectors of the training covariance (gonum EigenSym), orthonormal,
// and fitted on the chosen rows only.
func TestPCAAxesAreCovarianceEigenvectors(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const n, l, k = 40, 12, 3
	x := lowRank(rng, 50, l, 4)
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	m, err := fitPCA(x, l, rows, k)
	if err != nil {
		t.Fatal(err)
	}
	sub := mat.NewDense(n, l, nil)
	for j := 0; j < l; j++ {
		var mean float64
		for i := 0; i < n; i++ {
			mean += float64(x[i*l+j]) / n
		}
		if math.Abs(mean-float64(m.mean[j])) > 1e-4 {
			t.Fatalf("mean[%d] = %v, want %v", j, m.mean[j], mean)
		}
		for i := 0; i < n; i++ {
			sub.Set(i, j, float64(x[i*l+j])-mean)
		}
	}
	var cov mat.SymDense
	cov.SymOuterK(1, sub.T())
	var eig mat.EigenSym
	if !eig.Factorize(&cov, true) {
		t.Fatal("EigenSym failed")
	}
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	// EigenSym sorts ascending: the leading axes are the last columns.
	want := make([]float32, l*k)
	for j := 0; j < k; j++ {
		for i := 0; i < l; i++ {
			want[i*k+j] = float32(vecs.At(i, l-1-j))
		}
	}
	if c := axesAgree(m.axes, want, l, k); c < 1-1e-6 {
		t.Errorf("PCA axes differ from the covariance eigenvectors: worst |cos| %v", c)
	}
	for a := 0; a < k; a++ {
		for b := 0; b < k; b++ {
			var d float64
			for i := 0; i < l; i++ {
				d += float64(m.axes[i*k+a]) * float64(m.axes[i*k+b])
			}
			if want := map[bool]float64{true: 1, false: 0}[a == b]; math.Abs(d-want) > 1e-6 {
				t.Errorf("axes %d·%d = %v, want %v", a, b, d, want)
			}
		}
	}
}

// TestRandomizedAxesMatchExact: on a matrix with a clear spectral gap
// (rank 6 plus noise), the randomized range finder (float32 products)
// recovers the exact leading axes.
func TestRandomizedAxesMatchExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const n, l, k = 120, 80, 5
	x := lowRank(rng, n, l, 6)
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	exact, err := fitPCAWith(x, l, rows, k, n)
	if err != nil {
		t.Fatal(err)
	}
	approx, err := fitPCAWith(x, l, rows, k, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c := axesAgree(exact.axes, approx.axes, l, k); c < 1-1e-5 {
		t.Errorf("randomized axes differ from the exact ones: worst |cos| %v", c)
	}
}

// TestPCAProjectCentres: the point mean + 3·axis₀ projects to (3, 0),
// normalised (1, 0): projection subtracts the training mean.
func TestPCAProjectCentres(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const l = 6
	x := lowRank(rng, 20, l, 3)
	m, err := fitPCA(x, l, []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 2)
	if err != nil {
		t.Fatal(err)
	}
	for j := 0; j < l; j++ {
		x = append(x, m.mean[j]+3*m.axes[j*m.k])
	}
	emb := m.project(x, 21)
	if math.Abs(float64(emb[40])-1) > 1e-5 || math.Abs(float64(emb[41])) > 1e-5 {
		t.Errorf("mean + 3·axis0 projects to %v, want (1, 0)", emb[40:42])
	}
	if _, err := fitPCA(x, l, []int{3}, 2); err == nil {
		t.Error("PCA on one image: want an error")
	}
}
