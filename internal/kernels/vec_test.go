package kernels

import (
	"math"
	"math/rand/v2"
	"testing"
)

// forEachVec runs f once per vector-loop implementation (each assembly path
// and pure Go), with the exported functions switched to it.
func forEachVec(t *testing.T, f func(t *testing.T)) {
	saved := vec
	defer func() { vec = saved }()
	for _, impl := range vecImpls() {
		vec = impl
		t.Run(impl.name, f)
	}
}

// vecLengths are the lengths the vector ops are checked at: every tail
// 0..70 and a few that run the unrolled loops several times.
var vecLengths = func() []int {
	var ns []int
	for n := 0; n <= 70; n++ {
		ns = append(ns, n)
	}
	return append(ns, 127, 128, 129, 255, 1000, 1031)
}()

// TestVectorOps checks every vector op against a float64 loop over all
// lengths in vecLengths, with guard values around every written slice.
func TestVectorOps(t *testing.T) { forEachVec(t, testVectorOps) }

func testVectorOps(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	const pad = 7
	for _, n := range vecLengths {
		x := make([]float32, n)
		y0 := make([]float32, n)
		fill(rng, x)
		fill(rng, y0)
		if n > 0 {
			x[n/2] = 0 // an exact zero: the ReLU edge
		}

		y, yFull := guarded(n, pad)
		copy(y, y0)
		Axpy(0.75, x, y)
		checkGuards(t, "Axpy", yFull, pad)
		for i := range y {
			if !closeTo(y[i], float64(y0[i])+0.75*float64(x[i]), 1e-6) {
				t.Fatalf("Axpy n=%d: y[%d] = %v", n, i, y[i])
			}
		}

		copy(y, y0)
		Scale(-1.5, y)
		checkGuards(t, "Scale", yFull, pad)
		var dot, sum float64
		for i := range y {
			if !closeTo(y[i], -1.5*float64(y0[i]), 1e-6) {
				t.Fatalf("Scale n=%d: y[%d] = %v", n, i, y[i])
			}
			dot += float64(x[i]) * float64(y0[i])
			sum += float64(x[i])
		}
		if got := Dot(x, y0); !closeTo(got, dot, 1e-5*float64(n+1)) {
			t.Fatalf("Dot n=%d = %v, want %v", n, got, dot)
		}
		if got := Sum(x); !closeTo(got, sum, 1e-5) {
			t.Fatalf("Sum n=%d = %v, want %v", n, got, sum)
		}

		ReLU(y, x)
		checkGuards(t, "ReLU", yFull, pad)
		for i := range y {
			if want := max(x[i], 0); y[i] != want {
				t.Fatalf("ReLU n=%d: y[%d] = %v, want %v", n, i, y[i], want)
			}
		}
		if n > 0 {
			copy(y, x)
			y[n-1] = float32(math.NaN())
			ReLU(y, y) // in place, NaN propagates
			for i := 0; i < n-1; i++ {
				if want := max(x[i], 0); y[i] != want {
					t.Fatalf("ReLU in place n=%d: y[%d] = %v, want %v", n, i, y[i], want)
				}
			}
			if !math.IsNaN(float64(y[n-1])) {
				t.Fatalf("ReLU n=%d: NaN became %v", n, y[n-1])
			}
		}
		ReLUBackward(y, y0, x)
		checkGuards(t, "ReLUBackward", yFull, pad)
		for i := range y {
			want := float32(0)
			if x[i] > 0 {
				want = y0[i]
			}
			if y[i] != want {
				t.Fatalf("ReLUBackward n=%d: dIn[%d] = %v, want %v", n, i, y[i], want)
			}
		}
	}
}

// TestSumSquares checks the float64 accumulation: 1 + 2⁻²⁴ is exact in
// float64 and rounds to 1 in float32.
func TestSumSquares(t *testing.T) {
	if got := SumSquares(nil); got != 0 {
		t.Fatalf("SumSquares(nil) = %v", got)
	}
	if got := SumSquares([]float32{3, -4, 12}); got != 169 {
		t.Fatalf("SumSquares(3, -4, 12) = %v, want 169", got)
	}
	if got, want := SumSquares([]float32{1, 1.0 / 4096}), 1+1.0/(1<<24); got != want {
		t.Fatalf("SumSquares(1, 2⁻¹²) = %.17g, want %.17g", got, want)
	}
}

// TestChannelOps checks PReLU, its backward pass and the batch-norm
// reductions on N×C×HW tensors against direct loops.
func TestChannelOps(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const pad = 5
	for _, s := range []struct{ n, c, hw int }{{1, 1, 1}, {2, 3, 5}, {3, 4, 17}, {1, 16, 49}} {
		size := s.n * s.c * s.hw
		x := make([]float32, size)
		dy := make([]float32, size)
		slope := make([]float32, s.c)
		shift := make([]float32, s.c)
		fill(rng, x)
		fill(rng, dy)
		fill(rng, slope)
		fill(rng, shift)
		ch := func(i int) int { return i / s.hw % s.c }

		out, outFull := guarded(size, pad)
		PReLU(out, x, slope, s.hw)
		checkGuards(t, "PReLU", outFull, pad)
		for i, v := range x {
			want := v
			if v <= 0 {
				want = slope[ch(i)] * v
			}
			if out[i] != want {
				t.Fatalf("PReLU %+v: out[%d] = %v, want %v", s, i, out[i], want)
			}
		}

		dSlope, dSlopeFull := guarded(s.c, pad)
		for i := range dSlope {
			dSlope[i] = 1
		}
		PReLUBackward(out, dSlope, dy, x, slope, s.hw)
		checkGuards(t, "PReLUBackward dIn", outFull, pad)
		checkGuards(t, "PReLUBackward dSlope", dSlopeFull, pad)
		wantDS := make([]float64, s.c)
		for i, v := range x {
			want := dy[i]
			if v <= 0 {
				want = slope[ch(i)] * dy[i]
				wantDS[ch(i)] += float64(dy[i]) * float64(v)
			}
			if out[i] != want {
				t.Fatalf("PReLUBackward %+v: dIn[%d] = %v, want %v", s, i, out[i], want)
			}
		}
		dSlope2 := make([]float32, s.c)
		PReLUBackward(nil, dSlope2, dy, x, slope, s.hw)
		for c := range wantDS {
			if !closeTo(dSlope[c], wantDS[c]+1, 1e-5) || !closeTo(dSlope2[c], wantDS[c], 1e-5) {
				t.Fatalf("PReLUBackward %+v: dSlope[%d] = %v (nil dIn: %v), want %v", s, c, dSlope[c], dSlope2[c], wantDS[c]+1)
			}
		}

		sum, sumSq, dot := make([]float64, s.c), make([]float64, s.c), make([]float64, s.c)
		ChannelSums(sum, sumSq, x, s.hw)
		ChannelDot(dot, x, dy, s.hw)
		want := make([]float64, 3*s.c)
		for i, v := range x {
			want[ch(i)] += float64(v)
			want[s.c+ch(i)] += float64(v) * float64(v)
			want[2*s.c+ch(i)] += float64(v) * float64(dy[i])
		}
		for c := 0; c < s.c; c++ {
			if d := sum[c] - want[c]; d*d > 1e-18 {
				t.Fatalf("ChannelSums %+v: sum[%d] = %v, want %v", s, c, sum[c], want[c])
			}
			if d := sumSq[c] - want[s.c+c]; d*d > 1e-18 {
				t.Fatalf("ChannelSums %+v: sumSq[%d] = %v, want %v", s, c, sumSq[c], want[s.c+c])
			}
			if d := dot[c] - want[2*s.c+c]; d*d > 1e-18 {
				t.Fatalf("ChannelDot %+v: [%d] = %v, want %v", s, c, dot[c], want[2*s.c+c])
			}
		}

		ChannelAffine(out, x, slope, shift, s.hw)
		checkGuards(t, "ChannelAffine", outFull, pad)
		for i, v := range x {
			if want := float64(v)*float64(slope[ch(i)]) + float64(shift[ch(i)]); !closeTo(out[i], want, 1e-6) {
				t.Fatalf("ChannelAffine %+v: out[%d] = %v, want %v", s, i, out[i], want)
			}
		}
	}
}

// TestRowCorr checks the depthwise row kernel of each implementation
// against a float64 loop for every output length in vecLengths (≥ 1) and
// filter widths 1..7, with guards around the output.
func TestRowCorr(t *testing.T) {
	forEachVec(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(31, 32))
		const pad = 5
		for _, n := range vecLengths[1:] {
			for kw := 1; kw <= 7; kw++ {
				src := make([]float32, n+kw-1)
				w := make([]float32, kw)
				fill(rng, src)
				fill(rng, w)
				dst, full := guarded(n, pad)
				fill(rng, dst)
				want := make([]float64, n)
				for x := range want {
					want[x] = float64(dst[x])
					for j := range w {
						want[x] += float64(w[j]) * float64(src[x+j])
					}
				}
				vec.rowCorr(dst, src, w)
				checkGuards(t, "rowCorr", full, pad)
				for x := range want {
					if !closeTo(dst[x], want[x], 1e-5) {
						t.Fatalf("n=%d kw=%d: dst[%d] = %v, want %v", n, kw, x, dst[x], want[x])
					}
				}
			}
		}
	})
}
