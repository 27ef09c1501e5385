package kernels

import (
	"math/rand/v2"
	"testing"
)

// TestSgemmEntryPoints checks Sgemm (with 1, 2 and 3 workers) and
// SgemmSerial on a spread of shapes and all four transpose combinations.
func TestSgemmEntryPoints(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	defer SetThreads(0)
	for _, threads := range []int{1, 2, 3} {
		SetThreads(threads)
		for _, f := range []gemmFunc{Sgemm, SgemmSerial} {
			for _, tA := range []bool{false, true} {
				for _, tB := range []bool{false, true} {
					for _, s := range [][3]int{{1, 1, 1}, {3, 70, 5}, {17, 9, 33}, {40, 41, 1}} {
						checkGemm(t, rng, f, gemmCase{tA, tB, s[0], s[1], s[2], 1.5, 0, 3})
						checkGemm(t, rng, f, gemmCase{tA, tB, s[0], s[1], s[2], -1, 0.5, 0})
					}
				}
			}
		}
	}
}
