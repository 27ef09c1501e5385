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

// winoRand is a loop test's random value: uniform in [−1, 1), or with
// signedZeros one of +0, −0, +1, −1, so that sums of zeros of either sign
// occur (their signs must match too).
func winoRand(rng *rand.Rand, signedZeros bool) float32 {
	if signedZeros {
		return []float32{0, float32(math.Copysign(0, -1)), 1, -1}[rng.IntN(4)]
	}
	return 2*rng.Float32() - 1
}

// winoStreams fills 36 scratch streams (winoQ apart) of n floats each with
// winoRand values and every other float with guard values.
func winoStreams(rng *rand.Rand, n int, signedZeros bool) []float32 {
	h := make([]float32, 36*winoQ)
	for i := range h {
		h[i] = guard
		if i%winoQ < n {
			h[i] = winoRand(rng, signedZeros)
		}
	}
	return h
}

// winoPlane is a column-loop case: an H×W plane, tile rows from plane row
// y0, `rows` of them, from column c0.
type winoPlane struct{ H, W, y0, rows, c0 int }

// winoPlanes lists the column-loop cases for nt tiles of size m: rows
// inside and outside the plane at the top and bottom, rows ending before,
// at and after the tiles' columns, one, three and five tile rows (at most
// winoQ tiles in all; the AVX-512 loops put 2 or 4 rows of 8 or 4 tiles in
// one vector).
func winoPlanes(m, nt int) []winoPlane {
	var ps []winoPlane
	for _, h := range []int{1, 4, 7} {
		for _, w := range []int{1, m*nt - 1, m * nt, m*nt + 1, m*nt + 2, m*nt + 40} {
			for _, y0 := range []int{-1, 0, 2} {
				for _, rows := range []int{1, 3, 5} {
					for _, c0 := range []int{-1, 0, 5} {
						if rows*nt <= winoQ {
							ps = append(ps, winoPlane{h, w, y0, rows, c0})
						}
					}
				}
			}
		}
	}
	return ps
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
// loops, for both tile sizes, against the pure-Go ones bit for bit, on
// every tail length, with guard values around the outputs, between the
// streams of the scratch and between those of a block matrix (stride > n).
// The pure-Go loops are the reference: with no other implementation (the
// noasm build, a CPU without AVX2) the test says so and skips.
func TestWinogradLoopsMatchGo(t *testing.T) {
	impls := winoImpls()
	if len(impls) == 1 {
		t.Skipf("only the pure-Go Winograd loops (%s) on this build and CPU: nothing to compare", impls[0].name)
	}
	for _, impl := range impls[:len(impls)-1] {
		t.Run(impl.name, func(t *testing.T) {
			for _, tf := range []*winoTf{&winoTf2, &winoTf4} {
				for _, sz := range []bool{false, true} {
					testWinogradLoopsMatchGo(t, impl, tf, sz)
				}
			}
		})
	}
}

func testWinogradLoopsMatchGo(t *testing.T, impl winoImpl, tf *winoTf, sz bool) {
	{
		rng := rand.New(rand.NewPCG(11, 12))
		T := (tf.m + 2) * (tf.m + 2)
		for _, n := range winoLengths {
			what := func(loop string) string {
				return fmt.Sprintf("%s m=%d signed zeros %v %s n=%d", impl.name, tf.m, sz, loop, n)
			}
			stride := n + rng.IntN(5)
			// the block matrix: T streams stride apart, guards around
			matrix := func(random bool) []float32 {
				m := make([]float32, T*stride+8)
				for i := range m {
					m[i] = guard
					if random && i < T*stride && i%stride < n {
						m[i] = winoRand(rng, sz)
					}
				}
				return m
			}

			h := winoStreams(rng, n, sz)
			got, want := matrix(false), matrix(false)
			impl.loops(tf, n).rows(winoInput, got, stride, h, n)
			winoGo.loops(tf, n).rows(winoInput, want, stride, h, n)
			sameBits(t, what("rowsIn"), got, want)

			m := matrix(true)
			got, want = winoStreams(rng, 0, sz), winoStreams(rng, 0, sz)
			impl.loops(tf, n).rows(winoOutput, m, stride, got, n)
			winoGo.loops(tf, n).rows(winoOutput, m, stride, want, n)
			sameBits(t, what("rowsOut"), got, want)

			got, want = matrix(false), matrix(false)
			impl.loops(tf, n).rows(winoOutputGrad, got, stride, h, n)
			winoGo.loops(tf, n).rows(winoOutputGrad, want, stride, h, n)
			sameBits(t, what("rowsOutGrad"), got, want)

			got, want = winoStreams(rng, 0, sz), winoStreams(rng, 0, sz)
			impl.loops(tf, n).rows(winoInputGrad, m, stride, got, n)
			winoGo.loops(tf, n).rows(winoInputGrad, m, stride, want, n)
			sameBits(t, what("rowsInGrad"), got, want)

			// column loops: planes of several heights and widths with guard
			// values around, from several first rows y0 and columns c0
			for _, pl := range winoPlanes(tf.m, n) {
				what := func(loop string) string {
					return fmt.Sprintf("%s m=%d signed zeros %v %s nt=%d %+v", impl.name, tf.m, sz, loop, n, pl)
				}
				plane := func() ([]float32, []float32) {
					x, full := guarded(pl.H*pl.W, 9)
					for i := range x {
						x[i] = winoRand(rng, sz)
					}
					return x, full
				}
				x, _ := plane()
				hs := winoStreams(rng, winoQ, sz) // every tile row's scratch
				got, want := winoStreams(rng, 0, sz), winoStreams(rng, 0, sz)
				impl.loops(tf, n).cols(winoInput, got, x, pl.H, pl.W, pl.y0, pl.rows, pl.c0, n)
				winoGo.loops(tf, n).cols(winoInput, want, x, pl.H, pl.W, pl.y0, pl.rows, pl.c0, n)
				sameBits(t, what("colsIn"), got, want)

				got, want = winoStreams(rng, 0, sz), winoStreams(rng, 0, sz)
				impl.loops(tf, n).cols(winoOutputGrad, got, x, pl.H, pl.W, pl.y0, pl.rows, pl.c0, n)
				winoGo.loops(tf, n).cols(winoOutputGrad, want, x, pl.H, pl.W, pl.y0, pl.rows, pl.c0, n)
				sameBits(t, what("colsOutGrad"), got, want)

				yg, full := plane()
				yw := slices.Clone(yg)
				impl.loops(tf, n).cols(winoOutput, hs, yg, pl.H, pl.W, pl.y0, pl.rows, pl.c0, n)
				winoGo.loops(tf, n).cols(winoOutput, hs, yw, pl.H, pl.W, pl.y0, pl.rows, pl.c0, n)
				checkGuards(t, what("colsOut"), full, 9)
				sameBits(t, what("colsOut"), yg, yw)

				yg, full = plane()
				yw = slices.Clone(yg)
				impl.loops(tf, n).cols(winoInputGrad, hs, yg, pl.H, pl.W, pl.y0, pl.rows, pl.c0, n)
				winoGo.loops(tf, n).cols(winoInputGrad, hs, yw, pl.H, pl.W, pl.y0, pl.rows, pl.c0, n)
				checkGuards(t, what("colsInGrad"), full, 9)
				sameBits(t, what("colsInGrad"), yg, yw)
			}
		}
	}
}
