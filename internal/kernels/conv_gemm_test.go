package kernels

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

var convGemmGeoms = []ConvGeom{
	{C: 1, H: 1, W: 1, KH: 1, KW: 1, SH: 1, SW: 1},
	{C: 3, H: 7, W: 5, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1},
	{C: 4, H: 9, W: 8, KH: 3, KW: 3, SH: 2, SW: 2, PH: 1, PW: 1},
	{C: 2, H: 12, W: 41, KH: 5, KW: 2, SH: 3, SW: 1, PH: 2, PW: 0},
	{C: 5, H: 4, W: 4, KH: 3, KW: 3, SH: 1, SW: 1, PH: 2, PW: 2},
	{C: 3, H: 14, W: 14, KH: 1, KW: 1, SH: 2, SW: 2},
	{C: 32, H: 15, W: 15, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1}, // K = 288: two K blocks
	{C: 2, H: 70, W: 3, KH: 7, KW: 3, SH: 1, SW: 3, PH: 3, PW: 1},
}

// TestPackIm2colMatchesPackB checks that packing the implicit im2col matrix
// gives exactly the panels packBGo makes from the explicit one.
func TestPackIm2colMatchesPackB(t *testing.T) {
	for _, g := range convGemmGeoms {
		rng := rand.New(rand.NewPCG(25, 26))
		img := make([]float32, g.C*g.H*g.W)
		fill(rng, img)
		n := g.OutH() * g.OutW()
		col := make([]float32, g.ColRows()*n)
		Im2col(col, img, g)
		for _, nr := range []int{4, 16, 32} {
			for _, blk := range [][4]int{{0, g.ColRows(), 0, n}, {g.ColRows() / 3, g.ColRows() - g.ColRows()/3, n / 2, n - n/2}, {0, 1, n - 1, 1}} {
				p0, kc, j0, cols := blk[0], blk[1], blk[2], blk[3]
				size := (cols + nr - 1) / nr * kc * nr
				want := make([]float32, size)
				got, gotFull := guarded(size, 8)
				for i := range got {
					got[i] = float32(i) // stale content that must be overwritten
				}
				packBGo(want, false, col, n, p0, kc, j0, cols, nr)
				packIm2col(got, img, g, p0, kc, j0, cols, nr)
				checkGuards(t, "packIm2col", gotFull, 8)
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("%+v nr=%d block %v: panel[%d] = %v, want %v", g, nr, blk, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// TestSgemmConv checks SgemmConv against Im2col followed by the naive
// reference, on every micro-kernel, with alpha, beta, ldc > n and guards.
func TestSgemmConv(t *testing.T) {
	forEachKernel(t, func(t *testing.T, kn *microKernel) {
		for gi, g := range convGemmGeoms {
			t.Run(fmt.Sprint(gi), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(27, uint64(gi)))
				img := make([]float32, g.C*g.H*g.W)
				fill(rng, img)
				n, k := g.OutH()*g.OutW(), g.ColRows()
				col := make([]float32, k*n)
				Im2col(col, img, g)
				for _, tc := range []gemmCase{{m: 17, alpha: 1, beta: 0, pad: 0}, {m: 30, alpha: -0.5, beta: 2, pad: 3}} {
					tc.n, tc.k = n, k
					f := func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
						var pa PackedA
						pa.pack(kn, 2, false, m, k, a, lda)
						sgemmConv(&pa, 1+gi%3, img, g, alpha, beta, c, ldc)
					}
					checkGemmB(t, rng, f, tc, col)
				}
			})
		}
	})
}

// TestSgemmConvEntryPoints checks the exported SgemmConv and
// SgemmConvSerial against Im2col + Sgemm, and the shape check.
func TestSgemmConvEntryPoints(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 30))
	g := ConvGeom{C: 8, H: 10, W: 11, KH: 3, KW: 3, SH: 1, SW: 1, PH: 1, PW: 1}
	m, n, k := 24, g.OutH()*g.OutW(), g.ColRows()
	w := make([]float32, m*k)
	img := make([]float32, g.C*g.H*g.W)
	fill(rng, w)
	fill(rng, img)
	col := make([]float32, k*n)
	Im2col(col, img, g)
	want := make([]float32, m*n)
	Sgemm(false, false, m, n, k, 1, w, k, col, n, 0, want, n)
	var pa PackedA
	pa.Pack(false, m, k, w, k)
	for _, f := range []func(*PackedA, []float32, ConvGeom, float32, float32, []float32, int){SgemmConv, SgemmConvSerial} {
		got := make([]float32, m*n)
		f(&pa, img, g, 1, 0, got, n)
		for i := range want {
			if !closeTo(got[i], float64(want[i]), 1e-5) {
				t.Fatalf("C[%d] = %v, want %v", i, got[i], want[i])
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Fatal("SgemmConv accepted weights with the wrong column count")
		}
	}()
	g.C = 7
	SgemmConv(&pa, img, g, 1, 0, want, n)
}
