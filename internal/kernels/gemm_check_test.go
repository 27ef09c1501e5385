package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// naiveGemm is the float64 reference: it returns alpha·op(A)·op(B) + beta·C
// (C read only when beta ≠ 0) as an m×n row-major slice.
func naiveGemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) []float64 {
	out := make([]float64, m*n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for p := 0; p < k; p++ {
				ai, bi := i*lda+p, p*ldb+j
				if transA {
					ai = p*lda + i
				}
				if transB {
					bi = j*ldb + p
				}
				av, bv := a[ai], b[bi]
				s += float64(av) * float64(bv)
			}
			s *= float64(alpha)
			if beta != 0 {
				s += float64(beta) * float64(c[i*ldc+j])
			}
			out[i*n+j] = s
		}
	}
	return out
}

// gemmCase is one Sgemm call to check; pad > 0 makes every leading dimension
// that much larger than the row.
type gemmCase struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	pad            int
}

func (tc gemmCase) String() string {
	return fmt.Sprintf("tA=%v tB=%v m=%d n=%d k=%d alpha=%v beta=%v pad=%d", tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, tc.beta, tc.pad)
}

type gemmFunc func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)

// checkGemm runs f on tc with guard values around and between the rows of
// A, B and C and compares with naiveGemm.
func checkGemm(t *testing.T, rng *rand.Rand, f gemmFunc, tc gemmCase) {
	t.Helper()
	checkGemmB(t, rng, f, tc, nil)
}

// checkGemmB is checkGemm with op(B) given (untransposed, k×n, packed
// rows) when bFixed is not nil.
func checkGemmB(t *testing.T, rng *rand.Rand, f gemmFunc, tc gemmCase, bFixed []float32) {
	t.Helper()
	ar, ac := tc.m, tc.k
	if tc.transA {
		ar, ac = tc.k, tc.m
	}
	br, bc := tc.k, tc.n
	if tc.transB {
		br, bc = tc.n, tc.k
	}
	lda, ldb, ldc := ac+tc.pad, bc+tc.pad, tc.n+tc.pad
	const edge = 16
	a, aFull := guarded(max(ar*lda, 1), edge)
	b, bFull := guarded(max(br*ldb, 1), edge)
	c, cFull := guarded(max(tc.m*ldc, 1), edge)
	for i := 0; i < ar; i++ {
		fill(rng, a[i*lda:i*lda+ac])
	}
	for i := 0; i < br; i++ {
		if bFixed != nil {
			copy(b[i*ldb:i*ldb+bc], bFixed[i*bc:])
			continue
		}
		fill(rng, b[i*ldb:i*ldb+bc])
	}
	for i := 0; i < tc.m; i++ {
		row := c[i*ldc : i*ldc+tc.n]
		if tc.beta == 0 {
			for j := range row {
				row[j] = float32(math.NaN())
			}
		} else {
			fill(rng, row)
		}
	}
	want := naiveGemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
	f(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, c, ldc)
	checkGuards(t, tc.String()+" A", aFull, edge)
	checkGuards(t, tc.String()+" B", bFull, edge)
	checkGuards(t, tc.String()+" C", cFull, edge)
	tol := 1e-5 * math.Sqrt(float64(tc.k+1)) * 4
	for i := 0; i < tc.m; i++ {
		for j := 0; j < ldc && i*ldc+j < len(c); j++ {
			got := c[i*ldc+j]
			if j >= tc.n {
				if got != guard {
					t.Fatalf("%v: C[%d][%d] (between rows) overwritten: %v", tc, i, j, got)
				}
				continue
			}
			if w := want[i*tc.n+j]; !closeTo(got, w, tol) {
				t.Fatalf("%v: C[%d][%d] = %v, want %v", tc, i, j, got, w)
			}
		}
	}
}
