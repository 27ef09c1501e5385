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

// TestSgemmArgumentChecks checks that malformed calls panic with a message
// naming the operand instead of reading or writing out of bounds.
func TestSgemmArgumentChecks(t *testing.T) {
	x := make([]float32, 12)
	for _, tc := range []struct {
		name string
		call func()
	}{
		{"short A", func() { Sgemm(false, false, 4, 3, 4, 1, x, 4, x, 3, 0, x, 3) }},
		{"lda below row", func() { Sgemm(false, false, 3, 3, 4, 1, x, 3, x, 3, 0, x, 3) }},
		{"short B", func() { SgemmSerial(false, true, 2, 5, 3, 1, x, 3, x, 3, 0, x, 5) }},
		{"short C", func() { Sgemm(false, false, 3, 4, 1, 1, x, 1, x, 4, 0, x[:11], 4) }},
		{"negative m", func() { Sgemm(false, false, -1, 1, 1, 1, x, 1, x, 1, 0, x, 1) }},
		{"pack", func() { var pa PackedA; pa.Pack(true, 4, 4, x, 4) }},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", tc.name)
				}
			}()
			tc.call()
		}()
	}
}
