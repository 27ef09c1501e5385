package kernels

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// forEachWino runs f once per Winograd loop implementation, with the
// transforms switched to it.
func forEachWino(t *testing.T, f func(t *testing.T)) {
	saved := wino
	defer func() { wino = saved }()
	for _, impl := range winoImpls() {
		wino = impl
		t.Run(impl.name, f)
	}
}

// winoLengths are the tile counts the loops are checked on: every tail of
// one to four vectors and a full scratch stream.
var winoLengths = func() []int {
	var ns []int
	for n := 1; n <= 70; n++ {
		ns = append(ns, n)
	}
	return append(ns, winoQ-1, winoQ)
}()

// winoStreams fills 16 scratch streams (winoQ apart) of n floats each with
// random values and every other float with guard values.
func winoStreams(rng *rand.Rand, n int) []float32 {
	h := make([]float32, 16*winoQ)
	for i := range h {
		h[i] = guard
		if i%winoQ < n {
			h[i] = 2*rng.Float32() - 1
		}
	}
	return h
}

// sameBits fails unless got and want hold the same bits.
func sameBits(t *testing.T, what string, got, want []float32) {
	t.Helper()
	for i := range want {
		if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
			t.Fatalf("%s: [%d] = %v, the Go loop gives %v", what, i, got[i], want[i])
		}
	}
}

// TestWinogradLoopsMatchGo checks every implementation of the transforms'
// loops against the pure-Go ones bit for bit, on every tail length, with
// guard values around the outputs, between the streams of the scratch and
// between those of a block matrix (stride > n).
func TestWinogradLoopsMatchGo(t *testing.T) {
	for _, impl := range winoImpls() {
		rng := rand.New(rand.NewPCG(11, 12))
		for _, n := range winoLengths {
			what := func(loop string) string { return fmt.Sprintf("%s %s n=%d", impl.name, loop, n) }
			stride := n + rng.IntN(5)
			// the block matrix: 16 streams stride apart, guards around
			matrix := func(random bool) []float32 {
				m := make([]float32, 16*stride+8)
				for i := range m {
					m[i] = guard
					if random && i < 16*stride && i%stride < n {
						m[i] = 2*rng.Float32() - 1
					}
				}
				return m
			}

			h := winoStreams(rng, n)
			got, want := matrix(false), matrix(false)
			impl.rowsIn(got, stride, h, n)
			winoGo.rowsIn(want, stride, h, n)
			sameBits(t, what("rowsIn"), got, want)

			m := matrix(true)
			got, want = winoStreams(rng, 0), winoStreams(rng, 0)
			impl.rowsOut(got, m, stride, n)
			winoGo.rowsOut(want, m, stride, n)
			sameBits(t, what("rowsOut"), got, want)

			got, want = matrix(false), matrix(false)
			impl.rowsOutGrad(got, stride, h, n)
			winoGo.rowsOutGrad(want, stride, h, n)
			sameBits(t, what("rowsOutGrad"), got, want)

			got, want = winoStreams(rng, 0), winoStreams(rng, 0)
			impl.rowsInGrad(got, m, stride, n)
			winoGo.rowsInGrad(want, m, stride, n)
			sameBits(t, what("rowsInGrad"), got, want)

			// column loops: image rows of several widths (nil: none) with
			// guard values around, read or written from several columns c0
			for _, w := range []int{-1, 1, 2*n - 1, 2 * n, 2*n + 1, 2*n + 3, 2*n + 40} {
				for _, c0 := range []int{-1, 0, 1, 2, 5} {
					what := func(loop string) string {
						return fmt.Sprintf("%s %s nt=%d w=%d c0=%d", impl.name, loop, n, w, c0)
					}
					row := func() ([]float32, []float32) {
						if w < 0 {
							return nil, nil
						}
						r, full := guarded(w, 9)
						fill(rng, r)
						return r, full
					}
					x, _ := row()
					got, want := winoStreams(rng, 0), winoStreams(rng, 0)
					impl.colsIn(got, x, c0, n)
					winoGo.colsIn(want, x, c0, n)
					sameBits(t, what("colsIn"), got, want)

					got, want = winoStreams(rng, 0), winoStreams(rng, 0)
					impl.colsOutGrad(got, x, c0, n)
					winoGo.colsOutGrad(want, x, c0, n)
					sameBits(t, what("colsOutGrad"), got, want)

					if w < 0 {
						continue // the layer never writes a missing row
					}
					yg, full := row()
					yw := slices.Clone(yg)
					impl.colsOut(yg, h, c0, n)
					winoGo.colsOut(yw, h, c0, n)
					checkGuards(t, what("colsOut"), full, 9)
					sameBits(t, what("colsOut"), yg, yw)

					yg, full = row()
					yw = slices.Clone(yg)
					impl.colsInGrad(yg, h, c0, n)
					winoGo.colsInGrad(yw, h, c0, n)
					checkGuards(t, what("colsInGrad"), full, 9)
					sameBits(t, what("colsInGrad"), yg, yw)
				}
			}
		}
	}
}
