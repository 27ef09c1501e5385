package model

import (
	"math"
	"testing"

	"github.com/cocotrain/cocotrain/internal/params"
)

// TestActivationsAtZero pins the branch-free masks at the edges: ±0 take the
// non-positive branch (as PyTorch's x > 0 test does), and every sign and
// magnitude picks the right side.
func TestActivationsAtZero(t *testing.T) {
	negZero := float32(math.Copysign(0, -1))
	x := []float32{-2, negZero, 0, 1e-30, 3, -1e-30, float32(math.Inf(1)), float32(math.Inf(-1))}
	in := Shape{1, 1, len(x)}
	ex := NewExec()
	a := params.New()
	p := NewPReLU(ex, a, "p", in)
	r := NewReLU(ex, "r", in)
	a.Alloc()
	p.weight.W[0] = 0.5
	out := make([]float32, len(x))
	p.Forward(out, x, 1)
	for i, v := range x {
		want := v
		if !(v > 0) {
			want = 0.5 * v
		}
		if out[i] != want {
			t.Errorf("PReLU(%v) = %v, want %v", v, out[i], want)
		}
	}
	dy := []float32{1, 1, 1, 1, 1, 1, 1, 1}
	dx := make([]float32, len(x))
	p.Backward(dx, dy, 1)
	r.Forward(out, x, 1)
	rdx := make([]float32, len(x))
	r.Backward(rdx, dy, 1)
	for i, v := range x {
		wantP, wantR := float32(1), float32(1)
		if !(v > 0) {
			wantP, wantR = 0.5, 0
		}
		if dx[i] != wantP || rdx[i] != wantR {
			t.Errorf("x = %v: PReLU dx %v (want %v), ReLU dx %v (want %v)", v, dx[i], wantP, rdx[i], wantR)
		}
	}
}
