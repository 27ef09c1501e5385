package kernels

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPackersMatchGo checks every micro-kernel's A and B packers bit for bit
// against packAGo and packBGo: all row (column) counts of a panel, k steps
// 1..70 and 192 (every tail of the 16-step transposes), both storage
// orders, an offset window into a larger matrix, guard values around dst.
func TestPackersMatchGo(t *testing.T) {
	forEachKernel(t, func(t *testing.T, kn *microKernel) {
		rng := rand.New(rand.NewPCG(31, 32))
		const edge = 16
		kcs := append(make([]int, 0, 71), 192)
		for kc := 1; kc <= 70; kc++ {
			kcs = append(kcs, kc)
		}
		// The packed window starts at row/column 3 and step 5 of a matrix
		// 2 rows/columns and 7 steps larger than it, with padded strides.
		for _, trans := range []bool{false, true} {
			for _, kc := range kcs {
				for rows := 1; rows <= kn.mr; rows++ {
					src, ld := packSource(rng, trans, rows+5, kc+12)
					got, full := guarded(kc*kn.mr, edge)
					want := make([]float32, kc*kn.mr)
					kn.packA(got, trans, src, ld, 3, rows, 5, kc, kn.mr)
					packAGo(want, trans, src, ld, 3, rows, 5, kc, kn.mr)
					what := fmt.Sprintf("packA trans=%v rows=%d kc=%d", trans, rows, kc)
					checkGuards(t, what, full, edge)
					if !slices.Equal(got, want) {
						t.Fatalf("%s: differs from packAGo", what)
					}
				}
				for _, cols := range []int{1, kn.nr - 1, kn.nr, kn.nr + 1, 2*kn.nr + 3} {
					panels := (cols + kn.nr - 1) / kn.nr
					src, ld := packSource(rng, !trans, cols+5, kc+12)
					got, full := guarded(panels*kc*kn.nr, edge)
					want := make([]float32, panels*kc*kn.nr)
					kn.packB(got, trans, src, ld, 5, kc, 3, cols, kn.nr)
					packBGo(want, trans, src, ld, 5, kc, 3, cols, kn.nr)
					what := fmt.Sprintf("packB trans=%v cols=%d kc=%d", trans, cols, kc)
					checkGuards(t, what, full, edge)
					if !slices.Equal(got, want) {
						t.Fatalf("%s: differs from packBGo", what)
					}
				}
			}
		}
	})
}

// packSource returns a random matrix of `lines` panel lines (rows or
// columns of op(X)) by `steps` k steps, stored steps-major when stepsMajor
// (X is steps×lines) and lines-major otherwise, with its row stride (one
// more than its row so rows do not touch).
func packSource(rng *rand.Rand, stepsMajor bool, lines, steps int) ([]float32, int) {
	r, c := lines, steps
	if stepsMajor {
		r, c = steps, lines
	}
	x := make([]float32, r*(c+1))
	fill(rng, x)
	return x, c + 1
}
