package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/cocotrain/cocotrain/internal/params"
)

// twoClusters draws, per 12-value plane, one value near −1 and eleven near
// 0: normalised by the batch statistics they sit near −3.3 and +0.3, so
// with γ, β in [0.5, 1.5] (the gradient check's draw) every batch-norm
// output stays clear of the activation's kink at 0 and the finite
// differences never straddle it, while both sides of it are exercised.
func twoClusters(rng *rand.Rand, size int) []float32 {
	x := make([]float32, size)
	for i := range x {
		x[i] = float32(0.02 * rng.NormFloat64())
		if i%12 == 5 {
			x[i]--
		}
	}
	return x
}

// farFromZero draws values of magnitude in [6, 8] with random signs: with
// running means and variances in [0.5, 1.5] (the gradient check's draw) the
// eval-mode batch-norm outputs stay clear of the activation's kink.
func farFromZero(rng *rand.Rand, size int) []float32 {
	x := make([]float32, size)
	for i := range x {
		x[i] = 6 + 2*rng.Float32()
		if rng.IntN(2) == 0 {
			x[i] = -x[i]
		}
	}
	return x
}

func TestBNActGradients(t *testing.T) {
	in := Shape{3, 3, 4}
	for _, train := range []bool{true, false} {
		for _, relu := range []bool{false, true} {
			input := twoClusters
			if !train {
				input = farFromZero
			}
			runGradCase(t, gradCase{name: fmt.Sprintf("bn+act train=%v relu=%v", train, relu), n: 3, train: train, input: input,
				build: func(ex *Exec, a *params.Arena) (Layer, error) {
					bn := NewBatchNorm2d(ex, a, "bn", in, true)
					if relu {
						return newBNAct(bn, NewReLU(ex, "act", in)), nil
					}
					return newBNAct(bn, NewPReLU(ex, a, "act", in)), nil
				}})
		}
	}
}

// TestBNActMatchesUnfused runs the fused layer and BatchNorm2d → PReLU (or
// ReLU) side by side on the same input and output gradient: outputs, input
// gradients, parameter gradients and running statistics agree to float32
// rounding.
func TestBNActMatchesUnfused(t *testing.T) {
	in := Shape{5, 7, 9}
	const n = 4
	for _, train := range []bool{true, false} {
		for _, relu := range []bool{false, true} {
			t.Run(fmt.Sprintf("train=%v relu=%v", train, relu), func(t *testing.T) {
				build := func(fused bool) (*params.Arena, Layer, []Layer) {
					ex := NewExec()
					ex.Training = train
					a := params.New()
					bn := NewBatchNorm2d(ex, a, "bn", in, true)
					var act Layer
					if relu {
						act = NewReLU(ex, "act", in)
					} else {
						act = NewPReLU(ex, a, "act", in)
					}
					a.Alloc()
					rng := rand.New(rand.NewPCG(3, 4))
					for i := range a.Data {
						a.Data[i] = 0.5 + rng.Float32()
					}
					for i := range a.State {
						a.State[i] = 0.5 + rng.Float32()
					}
					if fused {
						return a, newBNAct(bn, act), nil
					}
					return a, nil, []Layer{bn, act}
				}
				rng := rand.New(rand.NewPCG(1, 2))
				x := randn(rng, n*in.Size())
				for i := range x {
					x[i] = 3 + 2*x[i] // |mean| larger than the spread
				}
				dy := randn(rng, n*in.Size())

				fa, fused, _ := build(true)
				fout, fdx := make([]float32, len(x)), make([]float32, len(x))
				fused.Forward(fout, x, n)
				fused.Backward(fdx, dy, n)

				ua, _, pair := build(false)
				mid, uout, udx, dmid := make([]float32, len(x)), make([]float32, len(x)), make([]float32, len(x)), make([]float32, len(x))
				pair[0].Forward(mid, x, n)
				pair[1].Forward(uout, mid, n)
				pair[1].Backward(dmid, dy, n)
				pair[0].Backward(udx, dmid, n)

				compare := func(what string, got, want []float32) {
					t.Helper()
					for i := range want {
						if d := math.Abs(float64(got[i] - want[i])); d > 1e-5*(1+math.Abs(float64(want[i]))) {
							t.Fatalf("%s[%d]: fused %g, unfused %g", what, i, got[i], want[i])
						}
					}
				}
				compare("output", fout, uout)
				compare("input gradient", fdx, udx)
				compare("parameter gradients", fa.Grad, ua.Grad)
				compare("running statistics", fa.State, ua.State)
			})
		}
	}
}
