package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// guard is the value written around every output slice; a kernel that
// touches it is caught by checkGuards.
const guard = float32(-12345.5)

// guarded returns a slice of length n with `pad` guard values on each side
// (the returned slice is the middle; full is the whole backing array).
func guarded(n, pad int) (mid, full []float32) {
	full = make([]float32, n+2*pad)
	for i := range full {
		full[i] = guard
	}
	return full[pad : pad+n : pad+n], full
}

// checkGuards fails if the pad values on either side of full were changed.
func checkGuards(t *testing.T, what string, full []float32, pad int) {
	t.Helper()
	for i := 0; i < pad; i++ {
		if full[i] != guard || full[len(full)-1-i] != guard {
			t.Fatalf("%s: guard values around the slice were overwritten", what)
		}
	}
}

// fill sets x to uniform random values in [-1, 1).
func fill(rng *rand.Rand, x []float32) {
	for i := range x {
		x[i] = 2*rng.Float32() - 1
	}
}

// close reports whether got is within tol·(1+|want|) of want.
func closeTo(got float32, want float64, tol float64) bool {
	return math.Abs(float64(got)-want) <= tol*(1+math.Abs(want))
}
