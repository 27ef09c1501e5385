package kernels

import (
	"math/rand/v2"
	"testing"
)

// TestCol2imIsAdjointOfIm2col checks <Im2col(x), y> == <x, Col2im(y)> for
// random x, y over a spread of geometries, which pins down both routines.
func TestCol2imIsAdjointOfIm2col(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	geoms := []ConvGeom{
		{C: 1, H: 5, W: 5, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1},
		{C: 2, H: 7, W: 6, KH: 3, KW: 2, SH: 2, SW: 1, PH: 1, PW: 0},
		{C: 3, H: 4, W: 9, KH: 1, KW: 1, SH: 1, SW: 2, PH: 0, PW: 0},
		{C: 2, H: 8, W: 8, KH: 5, KW: 5, SH: 3, SW: 3, PH: 2, PW: 2},
	}
	for _, g := range geoms {
		x := make([]float32, g.C*g.H*g.W)
		y := make([]float32, g.ColRows()*g.OutH()*g.OutW())
		for i := range x {
			x[i] = rng.Float32() - 0.5
		}
		for i := range y {
			y[i] = rng.Float32() - 0.5
		}
		col := make([]float32, len(y))
		Im2col(col, x, g)
		img := make([]float32, len(x))
		Col2im(img, y, g)
		var lhs, rhs float64
		for i := range y {
			lhs += float64(col[i]) * float64(y[i])
		}
		for i := range x {
			rhs += float64(x[i]) * float64(img[i])
		}
		if d := lhs - rhs; d > 1e-4 || d < -1e-4 {
			t.Errorf("%+v: <im2col x, y> = %v, <x, col2im y> = %v", g, lhs, rhs)
		}
	}
}

func TestIm2colKnownValues(t *testing.T) {
	// 1×3×3 image, 2×2 kernel, stride 1, pad 0: four windows.
	img := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}
	g := ConvGeom{C: 1, H: 3, W: 3, KH: 2, KW: 2, SH: 1, SW: 1}
	col := make([]float32, 4*4)
	Im2col(col, img, g)
	want := []float32{1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9}
	for i := range want {
		if col[i] != want[i] {
			t.Fatalf("col = %v, want %v", col, want)
		}
	}
}

// TestIm2colCol2imMatchNaive checks Im2col (every entry, guards around col)
// and Col2im (accumulating, guards around img) against direct definitions,
// on each vector-loop path.
func TestIm2colCol2imMatchNaive(t *testing.T) {
	forEachVec(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(33, 34))
		for _, g := range convGemmGeoms {
			oh, ow := g.OutH(), g.OutW()
			img := make([]float32, g.C*g.H*g.W)
			fill(rng, img)
			const pad = 6
			col, colFull := guarded(g.ColRows()*oh*ow, pad)
			for i := range col {
				col[i] = 7 // stale, must be overwritten
			}
			Im2col(col, img, g)
			checkGuards(t, "Im2col", colFull, pad)
			back, backFull := guarded(len(img), pad)
			for i := range back {
				back[i] = 0.5
			}
			Col2im(back, col, g)
			checkGuards(t, "Col2im", backFull, pad)
			want := make([]float64, len(img))
			for r := 0; r < g.ColRows(); r++ {
				c, ki, kj := r/(g.KH*g.KW), r/g.KW%g.KH, r%g.KW
				for y := 0; y < oh; y++ {
					for x := 0; x < ow; x++ {
						iy, ix := y*g.SH-g.PH+ki, x*g.SW-g.PW+kj
						v := at(img, g, c, iy, ix)
						if got := col[(r*oh+y)*ow+x]; float64(got) != v {
							t.Fatalf("%+v: col[%d][%d,%d] = %v, want %v", g, r, y, x, got, v)
						}
						if iy >= 0 && iy < g.H && ix >= 0 && ix < g.W {
							want[(c*g.H+iy)*g.W+ix] += v
						}
					}
				}
			}
			for i, w := range want {
				if !closeTo(back[i], w+0.5, 1e-5) {
					t.Fatalf("%+v: Col2im img[%d] = %v, want %v", g, i, back[i], w+0.5)
				}
			}
		}
	})
}
