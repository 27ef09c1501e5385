package eval

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// lowRank returns an n×l matrix of rank r with singular values spread from
// 100 down to 100/r, plus small Gaussian noise, and a mean offset per column.
func lowRank(rng *rand.Rand, n, l, r int) *mat.Dense {
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
	for i := 0; i < n; i++ {
		for j := 0; j < l; j++ {
			a.Set(i, j, a.At(i, j)+0.01*rng.NormFloat64()+float64(j))
		}
	}
	return &a
}

// axesAgree reports the smallest |cos| between matching columns of two
// axis matrices (axes are defined up to sign).
func axesAgree(a, b *mat.Dense) float64 {
	_, k := a.Dims()
	worst := 1.0
	for j := 0; j < k; j++ {
		d := math.Abs(mat.Dot(a.ColView(j), b.ColView(j)))
		worst = math.Min(worst, d)
	}
	return worst
}

// TestPCAAxesAreCovarianceEigenvectors: the exact PCA axes are the leading
// eigenvectors of the training covariance (gonum EigenSym), orthonormal,
// and fitted on the chosen rows only.
func TestPCAAxesAreCovarianceEigenvectors(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	all := lowRank(rng, 50, 12, 4)
	rows := make([]int, 0, 40)
	for i := 0; i < 40; i++ {
		rows = append(rows, i)
	}
	m, err := fitPCA(all, rows, 3)
	if err != nil {
		t.Fatal(err)
	}
	var cov mat.SymDense
	sub := mat.DenseCopyOf(all.Slice(0, 40, 0, 12))
	for j := 0; j < 12; j++ {
		col := sub.ColView(j)
		mean := mat.Sum(col) / 40
		if math.Abs(mean-m.mean[j]) > 1e-9 {
			t.Fatalf("mean[%d] = %v, want %v", j, m.mean[j], mean)
		}
		for i := 0; i < 40; i++ {
			sub.Set(i, j, sub.At(i, j)-mean)
		}
	}
	cov.SymOuterK(1, sub.T())
	var eig mat.EigenSym
	if !eig.Factorize(&cov, true) {
		t.Fatal("EigenSym failed")
	}
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	// EigenSym sorts ascending: the leading axes are the last columns.
	want := mat.NewDense(12, 3, nil)
	for j := 0; j < 3; j++ {
		for i := 0; i < 12; i++ {
			want.Set(i, j, vecs.At(i, 11-j))
		}
	}
	if c := axesAgree(m.axes, want); c < 1-1e-9 {
		t.Errorf("PCA axes differ from the covariance eigenvectors: worst |cos| %v", c)
	}
	var gram mat.Dense
	gram.Mul(m.axes.T(), m.axes)
	if !mat.EqualApprox(&gram, eye(3), 1e-12) {
		t.Errorf("axes not orthonormal: %v", mat.Formatted(&gram))
	}
}

func eye(n int) *mat.Dense {
	d := mat.NewDense(n, n, nil)
	for i := 0; i < n; i++ {
		d.Set(i, i, 1)
	}
	return d
}

// TestRandomizedAxesMatchExact: on a matrix with a clear spectral gap
// (rank 6 plus noise), the randomized range finder recovers the exact
// leading axes.
func TestRandomizedAxesMatchExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	x := lowRank(rng, 120, 80, 6)
	exact, err := exactAxes(x, 5)
	if err != nil {
		t.Fatal(err)
	}
	approx, err := randomizedAxes(x, 5, 3, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	if c := axesAgree(exact, approx); c < 1-1e-6 {
		t.Errorf("randomized axes differ from the exact ones: worst |cos| %v", c)
	}
}

// TestPCAProjectCentres: the point mean + 3·axis₀ projects to (3, 0),
// normalised (1, 0): projection subtracts the training mean.
func TestPCAProjectCentres(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	all := lowRank(rng, 20, 6, 3)
	rows := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	m, err := fitPCA(all, rows, 2)
	if err != nil {
		t.Fatal(err)
	}
	pts := mat.NewDense(21, 6, nil)
	pts.Copy(all)
	for j, v := range m.mean {
		pts.Set(20, j, v+3*m.axes.At(j, 0))
	}
	emb := m.project(pts)
	if math.Abs(float64(emb[40])-1) > 1e-6 || math.Abs(float64(emb[41])) > 1e-6 {
		t.Errorf("mean + 3·axis0 projects to %v, want (1, 0)", emb[40:42])
	}
	if _, err := fitPCA(all, []int{3}, 2); err == nil {
		t.Error("PCA on one image: want an error")
	}
}
