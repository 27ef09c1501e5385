package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cocotrain/cocotrain/internal/kernels"
	"github.com/cocotrain/cocotrain/internal/params"
)

// im2colConv computes the forward, input gradient and weight (and bias)
// gradient of a dense convolution with the im2col path's products, per
// sample: y = W·col, dx = col2im(Wᵀ·dy), dW = Σ dy·colᵀ, db = Σ dy.
func im2colConv(g kernels.ConvGeom, out int, w, b, x, dy []float32, n int) (y, dx, dw, db []float32) {
	rows, ohw := g.ColRows(), g.OutH()*g.OutW()
	inSz, outSz := g.C*g.H*g.W, out*ohw
	y, dx = make([]float32, n*outSz), make([]float32, n*inSz)
	dw, db = make([]float32, len(w)), make([]float32, out)
	col, dcol := make([]float32, rows*ohw), make([]float32, rows*ohw)
	for i := range n {
		kernels.Im2col(col, x[i*inSz:(i+1)*inSz], g)
		kernels.Sgemm(false, false, out, ohw, rows, 1, w, rows, col, ohw, 0, y[i*outSz:], ohw)
		d := dy[i*outSz : (i+1)*outSz]
		kernels.Sgemm(true, false, rows, ohw, out, 1, w, rows, d, ohw, 0, dcol, ohw)
		kernels.Col2im(dx[i*inSz:(i+1)*inSz], dcol, g)
		kernels.Sgemm(false, true, out, rows, ohw, 1, d, ohw, col, ohw, 1, dw, rows)
		for o := range out {
			for j := range ohw {
				y[i*outSz+o*ohw+j] += b[o]
				db[o] += d[o*ohw+j]
			}
		}
	}
	return y, dx, dw, db
}

// winogradCases are convolutions on the Winograd path (F(2×2) and, on maps
// of at least winoF4MinSide, F(4×4)): odd and even sizes,
// channel counts that are not multiples of 16, one sample, more samples
// than gradient groups, several blocks per sample and blocks across
// samples.
var winogradCases = []struct {
	in  Shape
	out int
	n   int
}{
	{Shape{2, 1, 1}, 3, 1},
	{Shape{3, 5, 7}, 17, 1},
	{Shape{5, 8, 6}, 4, 9},
	{Shape{19, 9, 9}, 33, 3},
	{Shape{64, 18, 18}, 200, 2},
	{Shape{128, 4, 4}, 256, 11},
	{Shape{8, 3, 300}, 8, 2},
	{Shape{7, 17, 21}, 9, 5},
	{Shape{200, 30, 12}, 200, 3}, // blocks of 6 of a sample's 8 tile rows
}

// winoTol is the tolerance of TestWinogradMatchesIm2col per tile size
// (maxRelErr): F(2×2)'s errors stay below 3e-6; F(4×4)'s, whose transforms
// have coefficients up to 25, reached 2.9e-5 (forward, 64 channels),
// 2.4e-5 (input gradient) and 1.3e-5 (weight gradient) on these cases
// (and 3.8e-5 with 128 channels on 4×4 maps, forced to F(4×4)).
var winoTol = map[int]float64{2: 1e-5, 4: 1e-4}

// TestWinogradMatchesIm2col compares the Winograd forward, input gradient
// (into a dx of NaNs, which the backward must all overwrite) and weight and
// bias gradients with the im2col products'.
func TestWinogradMatchesIm2col(t *testing.T) {
	for _, c := range winogradCases {
		t.Run(fmt.Sprintf("%v→%d n=%d", c.in, c.out, c.n), func(t *testing.T) {
			a := params.New()
			l, err := NewConv2d(NewExec(), a, "c", c.in, ConvSpec{Out: c.out, Kernel: 3, Stride: 1, Pad: 1, Bias: true})
			if err != nil {
				t.Fatal(err)
			}
			if !l.winograd() {
				t.Fatal("not on the Winograd path")
			}
			a.Alloc()
			rng := rand.New(rand.NewPCG(7, 8))
			copy(a.Data, randn(rng, len(a.Data)))
			x := randn(rng, c.n*c.in.Size())
			dy := randn(rng, c.n*l.OutShape().Size())
			y := make([]float32, len(dy))
			dx := make([]float32, len(x))
			for i := range dx { // Backward overwrites dx: none may stay
				dx[i] = float32(math.NaN())
			}
			l.Forward(y, x, c.n)
			a.ZeroGrad()
			l.Backward(dx, dy, c.n)
			wy, wdx, wdw, wdb := im2colConv(l.geom, c.out, l.weight.W, l.bias.W, x, dy, c.n)
			// float32 sums of C·9 (forward), K·9 (dx) and n·H·W (dW) terms
			// in different orders and with different roundings, amplified
			// by the transforms (winoTol)
			tol := winoTol[l.winoTile()]
			for _, r := range []struct {
				what      string
				got, want []float32
			}{{"forward", y, wy}, {"input gradient", dx, wdx}, {"weight gradient", l.weight.G, wdw}, {"bias gradient", l.bias.G, wdb}} {
				if e := maxRelErr(r.got, r.want); e > tol || math.IsNaN(e) {
					t.Errorf("%s differs from im2col by %.3g", r.what, e)
				}
			}
		})
	}
}

// TestWinograd4Gradients checks the F(4×4) path (maps of at least
// winoF4MinSide) against finite differences; TestConv2dGradients' Winograd
// cases are F(2×2).
func TestWinograd4Gradients(t *testing.T) {
	for _, c := range []gradCase{
		convCase(Shape{3, winoF4MinSide + 1, winoF4MinSide}, ConvSpec{Out: 4, Kernel: 3, Stride: 1, Pad: 1, Bias: true}, 1),
		convCase(Shape{5, winoF4MinSide, winoF4MinSide + 2}, ConvSpec{Out: 6, Kernel: 3, Stride: 1, Pad: 1}, 2),
	} {
		t.Run(c.name, func(t *testing.T) {
			a := params.New()
			l, err := c.build(NewExec(), a)
			if err != nil {
				t.Fatal(err)
			}
			if cl, ok := l.(*Conv2d); !ok || !cl.winograd() || cl.winoTile() != 4 {
				t.Fatal("not on the F(4×4) path")
			}
			runGradCase(t, c)
		})
	}
}

// TestWinogradThreadInvariance checks that the Winograd forward and
// backward give the same bits on 1, 3 and 16 threads, in eval mode (the
// backward transforms the input again) and in training (it reads the
// transformed input the forward kept, or, with a budget of one byte
// (small), transforms it again segment by segment: one or three sample
// groups per segment).
func TestWinogradThreadInvariance(t *testing.T) {
	type run struct {
		threads     int
		train       bool
		smallBudget bool
	}
	for _, c := range winogradCases[3:] {
		var ref []float32
		for _, r := range []run{{1, false, false}, {3, false, false}, {16, false, false}, {1, true, false}, {3, true, false}, {16, true, false},
			{1, true, true}, {3, true, true}} {
			threads := r.threads
			ex := NewExec()
			ex.SetThreads(threads)
			ex.Training = r.train
			if r.smallBudget {
				ex.winoBudget = 1
			}
			a := params.New()
			l, err := NewConv2d(ex, a, "c", c.in, ConvSpec{Out: c.out, Kernel: 3, Stride: 1, Pad: 1, Bias: true})
			if err != nil {
				t.Fatal(err)
			}
			a.Alloc()
			rng := rand.New(rand.NewPCG(9, 10))
			copy(a.Data, randn(rng, len(a.Data)))
			x := randn(rng, c.n*c.in.Size())
			dy := randn(rng, c.n*l.OutShape().Size())
			y := make([]float32, len(dy))
			dx := make([]float32, len(x))
			l.Forward(y, x, c.n)
			a.ZeroGrad()
			l.Backward(dx, dy, c.n)
			if l.winoVKept != (r.train && !r.smallBudget) {
				t.Fatalf("%v→%d: transformed input kept %v in training mode %v", c.in, c.out, l.winoVKept, r.train)
			}
			got := slices.Concat(y, dx, a.Grad)
			if ref == nil {
				ref = got
				continue
			}
			for i := range ref {
				if math.Float32bits(ref[i]) != math.Float32bits(got[i]) {
					t.Fatalf("%v→%d: output %d differs between 1 thread in eval mode and %+v: %v vs %v", c.in, c.out, i, r, ref[i], got[i])
				}
			}
		}
	}
}
