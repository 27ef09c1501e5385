package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMaxPool2x2MatchesGeneral checks the 2×2 stride-2 forward against the
// general window loop, with ties (values on a coarse grid), NaNs, signed
// zeros and odd plane sizes.
func TestMaxPool2x2MatchesGeneral(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, in := range []Shape{{1, 4, 4}, {1, 5, 7}, {1, 8, 6}, {1, 9, 9}, {1, 2, 2}} {
		m, err := NewMaxPool2d(NewExec(), "m", in, 2, 2, 0)
		if err != nil {
			t.Fatal(err)
		}
		src := make([]float32, in.Size())
		for i := range src {
			src[i] = float32(rng.IntN(3))
			switch rng.IntN(17) {
			case 0:
				src[i] = float32(math.NaN())
			case 1:
				src[i] = float32(math.Copysign(0, -1))
			}
		}
		o := m.OutShape()
		fast, slow := make([]float32, o.Size()), make([]float32, o.Size())
		fastArg, slowArg := make([]int32, o.Size()), make([]int32, o.Size())
		values := make([]float32, o.Size())
		maxPool2x2(fast, fastArg, src, in.W, o.H, o.W)
		maxPool2x2Values(values, src, in.W, o.H, o.W)
		m.plane(slow, slowArg, src)
		for i := range fast {
			same := math.Float32bits(fast[i]) == math.Float32bits(slow[i]) || (math.IsNaN(float64(fast[i])) && math.IsNaN(float64(slow[i])))
			if !same || fastArg[i] != slowArg[i] {
				t.Fatalf("%v output %d: fast %g at %d, general %g at %d", in, i, fast[i], fastArg[i], slow[i], slowArg[i])
			}
			if math.Float32bits(values[i]) != math.Float32bits(fast[i]) && !(math.IsNaN(float64(values[i])) && math.IsNaN(float64(fast[i]))) {
				t.Fatalf("%v output %d: values-only %g, with argmax %g", in, i, values[i], fast[i])
			}
			if w := src[slowArg[i]]; !math.IsNaN(float64(slow[i])) && w != slow[i] {
				t.Fatalf("%v output %d: %g but its argmax holds %g", in, i, slow[i], w)
			}
		}
	}
}
