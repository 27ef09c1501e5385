package kernels

import (
	"math/rand/v2"
	"testing"
)

// TestSgemmPacked checks Pack + SgemmPacked (and the serial entry) against
// the reference, reusing one PackedA across shapes that grow and shrink, on
// every micro-kernel.
func TestSgemmPacked(t *testing.T) {
	forEachKernel(t, func(t *testing.T, kn *microKernel) {
		rng := rand.New(rand.NewPCG(19, 20))
		var pa PackedA
		shapes := [][3]int{{30, 41, 300}, {1, 1, 1}, {70, 33, 65}, {15, 100, 7}, {130, 20, 513}}
		for i, s := range shapes {
			for _, tr := range transposes {
				threads := 1 + i%3
				f := func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
					pa.pack(kn, threads, transA, m, k, a, lda)
					if pa.Rows() != m || pa.Cols() != k {
						t.Fatalf("packed %d×%d, want %d×%d", pa.Rows(), pa.Cols(), m, k)
					}
					sgemmPackedEntry(&pa, threads, transB, n, alpha, b, ldb, beta, c, ldc)
				}
				checkGemm(t, rng, f, gemmCase{tr[0], tr[1], s[0], s[1], s[2], 1, 0, 2})
				checkGemm(t, rng, f, gemmCase{tr[0], tr[1], s[0], s[1], s[2], -2, 0.5, 0})
			}
		}
	})
}

// TestSgemmPackedEntryPoints checks the exported Pack, SgemmPacked and
// SgemmPackedSerial on the active kernel, including the degenerate alpha = 0.
func TestSgemmPackedEntryPoints(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	var pa PackedA
	for _, serial := range []bool{false, true} {
		for _, ab := range [][2]float32{{1, 0}, {0.5, 1}, {0, 0}, {0, 3}} {
			f := func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
				pa.Pack(transA, m, k, a, lda)
				if serial {
					SgemmPackedSerial(&pa, transB, n, alpha, b, ldb, beta, c, ldc)
				} else {
					SgemmPacked(&pa, transB, n, alpha, b, ldb, beta, c, ldc)
				}
			}
			checkGemm(t, rng, f, gemmCase{true, false, 64, 200, 150, ab[0], ab[1], 1})
			checkGemm(t, rng, f, gemmCase{false, true, 9, 5, 3, ab[0], ab[1], 0})
		}
	}
}
