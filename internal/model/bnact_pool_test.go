package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cocotrain/cocotrain/internal/params"
)

// bnActPoolPair builds BNActPool over in and, sharing its parameters, the
// unfused BNAct → MaxPool2d pair (the same tensors under the same names in
// two arenas, filled alike: γ, β, slopes and running statistics in
// [0.5, 1.5]).
func bnActPoolPair(t testing.TB, in Shape, relu, train bool) (fa *params.Arena, fused *BNActPool, ua *params.Arena, pair [2]Layer) {
	build := func() (*params.Arena, *BNAct, *MaxPool2d) {
		ex := NewExec()
		ex.Training = train
		a := params.New()
		b := &builder{ex: ex, a: a, cur: in}
		ba := b.newBNAct("bn", "act", relu)
		p, err := NewMaxPool2d(ex, "pool", in, 2, 2, 0)
		if err != nil {
			t.Fatal(err)
		}
		a.Alloc()
		rng := rand.New(rand.NewPCG(3, 4))
		for i := range a.Data {
			a.Data[i] = 0.5 + rng.Float32()
		}
		for i := range a.State {
			a.State[i] = 0.5 + rng.Float32()
		}
		return a, ba, p
	}
	fa, ba, p := build()
	ua, uba, up := build()
	return fa, newBNActPool(ba, p), ua, [2]Layer{uba, up}
}

func TestBNActPoolGradients(t *testing.T) {
	for _, in := range []Shape{{3, 4, 6}, {2, 5, 7}} {
		for _, train := range []bool{true, false} {
			for _, relu := range []bool{false, true} {
				input := twoClustersPooled(in)
				if !train {
					input = farFromZeroSpread
				}
				runGradCase(t, gradCase{name: fmt.Sprintf("bn+act+pool %v train=%v relu=%v", in, train, relu), n: 3, train: train, input: input,
					build: func(ex *Exec, a *params.Arena) (Layer, error) {
						b := &builder{ex: ex, a: a, cur: in}
						ba := b.newBNAct("bn", "act", relu)
						p, err := NewMaxPool2d(ex, "pool", in, 2, 2, 0)
						if err != nil {
							return nil, err
						}
						return newBNActPool(ba, p), nil
					}})
			}
		}
	}
}

// twoClustersPooled draws, for planes of shape in, a grid 0.03 apart in a
// random order (every pooling window has a clear winner, wider than the
// finite-difference steps of 1e-2), except the top-left 2×2 window of each
// plane of sample 0, which sits at −20 times the grid's range: normalised
// by the batch statistics (3 samples) those windows lie below −4σ and the
// grid above the mean, so with γ, β in [0.5, 1.5] every batch-norm output
// stays clear of the activation's kink, and some windows hold only
// negative values (the PReLU slope's gradient).
func twoClustersPooled(in Shape) func(rng *rand.Rand, size int) []float32 {
	return func(rng *rand.Rand, size int) []float32 {
		x := make([]float32, size)
		r := 0.03 * float32(size)
		for i, j := range rng.Perm(size) {
			x[i] = 0.03*float32(j) - r/2
		}
		for c := 0; c < in.C; c++ {
			p := x[c*in.H*in.W:]
			p[0], p[1], p[in.W], p[in.W+1] = -20*r, -20*r-0.1, -20*r-0.2, -20*r-0.3
		}
		return x
	}
}

// farFromZeroSpread is farFromZero with distinct magnitudes (0.05 apart),
// so that every pooling window has a clear winner.
func farFromZeroSpread(rng *rand.Rand, size int) []float32 {
	x := make([]float32, size)
	for i, j := range rng.Perm(size) {
		x[i] = 6 + 0.05*float32(j)
		if rng.IntN(2) == 0 {
			x[i] = -x[i]
		}
	}
	return x
}

// runBNActPoolPair runs the fused layer and the unfused pair forward and
// backward on x and the pooled gradient dy, returning both outputs and
// input gradients.
func runBNActPoolPair(fused *BNActPool, pair [2]Layer, x, dy []float32, n int) (fout, fdx, uout, udx []float32) {
	fout, fdx = make([]float32, len(dy)), make([]float32, len(x))
	fused.Forward(fout, x, n)
	fused.Backward(fdx, dy, n)
	mid, dmid := make([]float32, len(x)), make([]float32, len(x))
	uout, udx = make([]float32, len(dy)), make([]float32, len(x))
	pair[0].Forward(mid, x, n)
	pair[1].Forward(uout, mid, n)
	pair[1].Backward(dmid, dy, n)
	pair[0].Backward(udx, dmid, n)
	return fout, fdx, uout, udx
}

// TestBNActPoolMatchesUnfused runs the fused layer and BNAct → MaxPool2d
// side by side (even and odd planes, ReLU and PReLU, training and eval):
// the outputs and running statistics are bit-identical (the fused kernel
// computes the activations as PlaneNormAct does); the input and parameter
// gradients, whose sums run over the pooled positions instead of the whole
// plane, agree to 2e-6 relative.
func TestBNActPoolMatchesUnfused(t *testing.T) {
	const n = 4
	for _, in := range []Shape{{5, 8, 10}, {3, 7, 9}, {2, 2, 3}} {
		for _, train := range []bool{true, false} {
			for _, relu := range []bool{false, true} {
				t.Run(fmt.Sprintf("%v train=%v relu=%v", in, train, relu), func(t *testing.T) {
					fa, fused, ua, pair := bnActPoolPair(t, in, relu, train)
					rng := rand.New(rand.NewPCG(1, 2))
					x := randn(rng, n*in.Size())
					for i := range x {
						x[i] = 3 + 2*x[i] // |mean| larger than the spread
					}
					dy := randn(rng, n*fused.OutShape().Size())
					fout, fdx, uout, udx := runBNActPoolPair(fused, pair, x, dy, n)
					same := func(what string, got, want []float32) {
						t.Helper()
						for i := range want {
							if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
								t.Fatalf("%s[%d]: fused %g, unfused %g", what, i, got[i], want[i])
							}
						}
					}
					near := func(what string, got, want []float32) {
						t.Helper()
						worst := 0.0
						for i := range want {
							d := math.Abs(float64(got[i]-want[i])) / (1 + math.Abs(float64(want[i])))
							if d > 2e-6 {
								t.Fatalf("%s[%d]: fused %g, unfused %g", what, i, got[i], want[i])
							}
							worst = max(worst, d)
						}
						t.Logf("%s: largest |fused − unfused|/(1 + |unfused|) %.2g", what, worst)
					}
					same("output", fout, uout)
					same("running statistics", fa.State, ua.State)
					near("input gradient", fdx, udx)
					near("parameter gradients", fa.Grad, ua.Grad)
				})
			}
		}
	}
}

// TestBNActPoolTiesAndNaN feeds inputs on a coarse grid (ties inside the
// windows, after the ReLU many zeros of either sign) and NaNs: the output
// matches the unfused layers bit for bit (NaN windows give NaN), the input
// gradient goes to the same positions, and a NaN input makes the
// statistics, hence every output and gradient of its channel, NaN in both.
func TestBNActPoolTiesAndNaN(t *testing.T) {
	const n = 3
	in := Shape{4, 6, 6}
	for _, nan := range []bool{false, true} {
		for _, relu := range []bool{false, true} {
			for _, train := range []bool{true, false} {
				t.Run(fmt.Sprintf("nan=%v relu=%v train=%v", nan, relu, train), func(t *testing.T) {
					fa, fused, ua, pair := bnActPoolPair(t, in, relu, train)
					rng := rand.New(rand.NewPCG(5, 6))
					x := make([]float32, n*in.Size())
					for i := range x {
						x[i] = float32(rng.IntN(3)) - 1
						if nan && rng.IntN(29) == 0 {
							x[i] = float32(math.NaN())
						}
					}
					dy := randn(rng, n*fused.OutShape().Size())
					fout, fdx, uout, udx := runBNActPoolPair(fused, pair, x, dy, n)
					agree := func(what string, got, want []float32, tol float64) {
						t.Helper()
						for i := range want {
							g, w := float64(got[i]), float64(want[i])
							if math.IsNaN(g) != math.IsNaN(w) || math.Abs(g-w) > tol*(1+math.Abs(w)) {
								t.Fatalf("%s[%d]: fused %g, unfused %g", what, i, got[i], want[i])
							}
						}
					}
					agree("output", fout, uout, 0)
					for i := range fout {
						if math.Float32bits(fout[i]) != math.Float32bits(uout[i]) && !math.IsNaN(float64(fout[i])) {
							t.Fatalf("output[%d]: fused %g, unfused %g (bits)", i, fout[i], uout[i])
						}
					}
					agree("input gradient", fdx, udx, 2e-6)
					agree("running statistics", fa.State, ua.State, 0)
					if !nan {
						agree("parameter gradients", fa.Grad, ua.Grad, 2e-6)
						return
					}
					// See BNActPool: the statistics are NaN in training
					// mode, hence γ's gradient; in eval mode the unfused
					// layers' turns NaN through 0·NaN away from the maxima.
					if train && (!math.IsNaN(float64(fout[0])) || !math.IsNaN(float64(fa.Grad[0])) || !math.IsNaN(float64(ua.Grad[0]))) {
						t.Errorf("a NaN input left the output %g and γ's gradients %g, %g finite", fout[0], fa.Grad[0], ua.Grad[0])
					}
				})
			}
		}
	}
}

// TestBNActPoolThreads runs the layer on 1 and 3 threads: bit-identical
// outputs and gradients.
func TestBNActPoolThreads(t *testing.T) {
	const n = 5
	in := Shape{6, 8, 8}
	var outs, dxs, grads [2][]float32
	for k, threads := range []int{1, 3} {
		fa, fused, _, _ := bnActPoolPair(t, in, false, true)
		fused.ba.bn.ex.SetThreads(threads)
		rng := rand.New(rand.NewPCG(7, 8))
		x := randn(rng, n*in.Size())
		dy := randn(rng, n*fused.OutShape().Size())
		outs[k], dxs[k] = make([]float32, len(dy)), make([]float32, len(x))
		fused.Forward(outs[k], x, n)
		fused.Backward(dxs[k], dy, n)
		grads[k] = fa.Grad
	}
	for _, c := range []struct {
		what string
		v    [2][]float32
	}{{"output", outs}, {"input gradient", dxs}, {"parameter gradients", grads}} {
		for i := range c.v[0] {
			if math.Float32bits(c.v[0][i]) != math.Float32bits(c.v[1][i]) {
				t.Fatalf("%s[%d]: %g on 1 thread, %g on 3", c.what, i, c.v[0][i], c.v[1][i])
			}
		}
	}
}

// BenchmarkBNActPool times the fused layer and BNAct → MaxPool2d on tiny's
// four stages at batch 64 (forward, then backward, on GOMAXPROCS threads).
func BenchmarkBNActPool(b *testing.B) {
	const n = 64
	for _, in := range []Shape{{32, 64, 64}, {64, 32, 32}, {128, 16, 16}, {256, 8, 8}} {
		_, fused, _, pair := bnActPoolPair(b, in, true, true)
		rng := rand.New(rand.NewPCG(1, 2))
		x := randn(rng, n*in.Size())
		dy := randn(rng, n*fused.OutShape().Size())
		out, dx := make([]float32, len(dy)), make([]float32, len(x))
		mid, dmid := make([]float32, len(x)), make([]float32, len(x))
		b.Run(fmt.Sprintf("%dx%dx%d/fused", in.C, in.H, in.W), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				fused.Forward(out, x, n)
				fused.Backward(dx, dy, n)
			}
		})
		b.Run(fmt.Sprintf("%dx%dx%d/unfused", in.C, in.H, in.W), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				pair[0].Forward(mid, x, n)
				pair[1].Forward(out, mid, n)
				pair[1].Backward(dmid, dy, n)
				pair[0].Backward(dx, dmid, n)
			}
		})
	}
}
