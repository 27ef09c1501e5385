package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// at returns in[c][y][x] of a C×H×W image, 0 outside (the padding).
func at(in []float32, g ConvGeom, c, y, x int) float64 {
	if y < 0 || y >= g.H || x < 0 || x >= g.W {
		return 0
	}
	return float64(in[(c*g.H+y)*g.W+x])
}

// depthwiseGeoms are the geometries the depthwise passes are checked on:
// hand-picked ones, every plane of 1…8 rows and 1…40 columns under the 3×3
// padding-1 stride-1 and stride-2 fast paths (every vector tail, rows of one
// to three vectors, odd and even heights), and filters of 1…7 (square and
// not) with paddings 0…2 and strides 1…3 on small planes, the global
// (filter = plane) case among them.
var depthwiseGeoms = func() []ConvGeom {
	gs := []ConvGeom{
		{C: 1, H: 1, W: 1, KH: 1, KW: 1, SH: 1, SW: 1},
		{C: 2, H: 6, W: 11, KH: 5, KW: 2, SH: 3, SW: 2, PH: 2, PW: 0},
		{C: 2, H: 5, W: 40, KH: 3, KW: 5, SH: 2, SW: 1, PH: 0, PW: 2},
		{C: 3, H: 9, W: 75, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1},
		{C: 3, H: 9, W: 75, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1},
		{C: 2, H: 8, W: 8, KH: 3, KW: 3, SH: 1, SW: 2, PH: 1, PW: 1},
		{C: 3, H: 7, W: 7, KH: 7, KW: 7, SH: 1, SW: 1},
		{C: 2, H: 4, W: 6, KH: 4, KW: 6, SH: 2, SW: 3},
	}
	for s := 1; s <= 2; s++ {
		for h := 1; h <= 8; h++ {
			for w := 1; w <= 40; w++ {
				gs = append(gs, ConvGeom{C: 2, H: h, W: w, KH: 3, KW: 3, SH: s, SW: s, PH: 1, PW: 1})
			}
		}
	}
	for k := 1; k <= 7; k++ {
		for p := 0; p <= 2; p++ {
			for s := 1; s <= 3; s++ {
				for _, w := range []int{1, 2, 3, 5, 7, 8, 13, 17, 33} {
					for _, kw := range []int{k, 8 - k} {
						if w+2*p < kw {
							continue
						}
						gs = append(gs, ConvGeom{C: 2, H: k + 2, W: w, KH: k, KW: kw, SH: s, SW: s, PH: p, PW: p})
					}
				}
			}
		}
	}
	return gs
}()

// forEachDepthwise runs f once per pair of vector-loop and 3×3 depthwise
// implementations, with the exported functions switched to them.
func forEachDepthwise(t *testing.T, f func(t *testing.T)) {
	saved := dw
	defer func() { dw = saved }()
	forEachVec(t, func(t *testing.T) {
		for _, impl := range dwImpls() {
			dw = impl
			t.Run(impl.name, f)
		}
	})
}

// TestDepthwiseConvMatchesNaive checks the forward and backward passes (dIn
// accumulated, nil and overwritten) against direct float64 loops on every geometry of depthwiseGeoms and every
// implementation, with guard values around each written slice.
func TestDepthwiseConvMatchesNaive(t *testing.T) {
	forEachDepthwise(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for _, g := range depthwiseGeoms {
			checkDepthwise(t, rng, g)
		}
	})
}

// nanPadded returns a slice of length n between 16 NaNs on each side: a
// kernel that reads a value outside its inputs (a masked-off lane that is
// not zeroed, a padding column taken from the neighbouring row) turns its
// results into NaN.
func nanPadded(n int) []float32 {
	buf := make([]float32, n+32)
	for i := range buf {
		buf[i] = float32(math.NaN())
	}
	return buf[16 : 16+n : 16+n]
}

func checkDepthwise(t *testing.T, rng *rand.Rand, g ConvGeom) {
	t.Helper()
	oh, ow := g.OutH(), g.OutW()
	in := nanPadded(g.C * g.H * g.W)
	w := nanPadded(g.C * g.KH * g.KW)
	dy := nanPadded(g.C * oh * ow)
	fill(rng, in)
	fill(rng, w)
	fill(rng, dy)
	const pad = 9
	out, outFull := guarded(len(dy), pad)
	fill(rng, out) // overwritten
	DepthwiseConv(out, in, w, g)
	checkGuards(t, "out", outFull, pad)

	dIn, dInFull := guarded(len(in), pad)
	dW, dWFull := guarded(len(w), pad)
	for i := range dIn {
		dIn[i] = 0.25 // accumulated into
	}
	for i := range dW {
		dW[i] = -0.5
	}
	DepthwiseConvBackward(dIn, dW, dy, in, w, g)
	checkGuards(t, "dIn", dInFull, pad)
	checkGuards(t, "dW", dWFull, pad)
	dW2 := make([]float32, len(w))
	DepthwiseConvBackward(nil, dW2, dy, in, w, g)
	dIn3, dIn3Full := guarded(len(in), pad)
	fill(rng, dIn3) // overwritten
	dW3 := make([]float32, len(w))
	DepthwiseConvBackwardOverwrite(dIn3, dW3, dy, in, w, g)
	checkGuards(t, "dIn (overwritten)", dIn3Full, pad)

	wantDIn := make([]float64, len(in))
	wantDW := make([]float64, len(w))
	for c := 0; c < g.C; c++ {
		for y := 0; y < oh; y++ {
			for x := 0; x < ow; x++ {
				var s float64
				d := float64(dy[(c*oh+y)*ow+x])
				for ki := 0; ki < g.KH; ki++ {
					for kj := 0; kj < g.KW; kj++ {
						iy, ix := y*g.SH-g.PH+ki, x*g.SW-g.PW+kj
						wi := (c*g.KH+ki)*g.KW + kj
						s += float64(w[wi]) * at(in, g, c, iy, ix)
						wantDW[wi] += d * at(in, g, c, iy, ix)
						if iy >= 0 && iy < g.H && ix >= 0 && ix < g.W {
							wantDIn[(c*g.H+iy)*g.W+ix] += d * float64(w[wi])
						}
					}
				}
				if got := out[(c*oh+y)*ow+x]; !closeTo(got, s, 1e-5) {
					t.Fatalf("%+v: out[%d][%d][%d] = %v, want %v", g, c, y, x, got, s)
				}
			}
		}
	}
	for i, want := range wantDIn {
		if !closeTo(dIn[i], want+0.25, 1e-5) || !closeTo(dIn3[i], want, 1e-5) {
			t.Fatalf("%+v: dIn[%d] = %v (overwritten: %v), want %v", g, i, dIn[i], dIn3[i], want+0.25)
		}
	}
	for i, want := range wantDW {
		if !closeTo(dW[i], want-0.5, 1e-5) || !closeTo(dW2[i], want, 1e-5) || !closeTo(dW3[i], want, 1e-5) {
			t.Fatalf("%+v: dW[%d] = %v (nil dIn: %v, dIn overwritten: %v), want %v", g, i, dW[i], dW2[i], dW3[i], want-0.5)
		}
	}
}
