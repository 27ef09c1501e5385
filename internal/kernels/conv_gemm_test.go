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
		for _, kn := range availableKernels() {
			nr := kn.nr
			for _, blk := range [][4]int{{0, g.ColRows(), 0, n}, {g.ColRows() / 3, g.ColRows() - g.ColRows()/3, n / 2, n - n/2}, {0, 1, n - 1, 1}} {
				p0, kc, j0, cols := blk[0], blk[1], blk[2], blk[3]
				size := (cols + nr - 1) / nr * kc * nr
				want := make([]float32, size)
				got, gotFull := guarded(size, 8)
				for i := range got {
					got[i] = float32(i) // stale content that must be overwritten
				}
				packBGo(want, false, col, n, p0, kc, j0, cols, nr)
				packIm2col(kn, got, make([]float32, kc*cols), img, g, p0, kc, j0, cols)
				checkGuards(t, "packIm2col", gotFull, 8)
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("%+v %s block %v: panel[%d] = %v, want %v", g, kn.name, blk, i, got[i], want[i])
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

// randomGeom returns a random valid convolution geometry (padding below the
// kernel size, at least one output position).
func randomGeom(rng *rand.Rand) ConvGeom {
	for {
		g := ConvGeom{C: 1 + rng.IntN(4), H: 1 + rng.IntN(20), W: 1 + rng.IntN(40),
			KH: 1 + rng.IntN(5), KW: 1 + rng.IntN(5), SH: 1 + rng.IntN(3), SW: 1 + rng.IntN(3)}
		g.PH, g.PW = rng.IntN(g.KH), rng.IntN(g.KW)
		if g.OutH() > 0 && g.OutW() > 0 && g.H+2*g.PH >= g.KH && g.W+2*g.PW >= g.KW {
			return g
		}
	}
}

// TestConvPathsRandomGeometries checks the im2col packer (bit-exact against
// Im2col + packBGo), Im2col against its definition through Col2im's adjoint,
// and the depthwise convolution against direct loops, on random geometries.
func TestConvPathsRandomGeometries(t *testing.T) {
	forEachVec(t, func(t *testing.T) {
		rng := rand.New(rand.NewPCG(35, 36))
		for range 200 {
			g := randomGeom(rng)
			n := g.OutH() * g.OutW()
			img := make([]float32, g.C*g.H*g.W)
			fill(rng, img)
			col := make([]float32, g.ColRows()*n)
			Im2col(col, img, g)
			for i, v := range col {
				r, pix := i/n, i%n
				c, ki, kj := r/(g.KH*g.KW), r/g.KW%g.KH, r%g.KW
				y, x := pix/g.OutW(), pix%g.OutW()
				if want := at(img, g, c, y*g.SH-g.PH+ki, x*g.SW-g.PW+kj); float64(v) != want {
					t.Fatalf("%+v: Im2col[%d] = %v, want %v", g, i, v, want)
				}
			}
			size := (n + 3) / 4 * g.ColRows() * 4
			want, got := make([]float32, size), make([]float32, size)
			packBGo(want, false, col, n, 0, g.ColRows(), 0, n, 4)
			packIm2col(&goKernel, got, make([]float32, g.ColRows()*n), img, g, 0, g.ColRows(), 0, n)
			for i := range want {
				if got[i] != want[i] {
					t.Fatalf("%+v: packIm2col[%d] = %v, want %v", g, i, got[i], want[i])
				}
			}
			w := make([]float32, g.C*g.KH*g.KW)
			fill(rng, w)
			out := make([]float32, g.C*n)
			DepthwiseConv(out, img, w, g)
			for i, v := range out {
				c, pix := i/n, i%n
				y, x := pix/g.OutW(), pix%g.OutW()
				var s float64
				for ki := 0; ki < g.KH; ki++ {
					for kj := 0; kj < g.KW; kj++ {
						s += float64(w[(c*g.KH+ki)*g.KW+kj]) * at(img, g, c, y*g.SH-g.PH+ki, x*g.SW-g.PW+kj)
					}
				}
				if !closeTo(v, s, 1e-5) {
					t.Fatalf("%+v: DepthwiseConv[%d] = %v, want %v", g, i, v, s)
				}
			}
			// Backward: <dOut, conv(in)> is linear in in and w, so the
			// gradients must satisfy <dIn, in> = <dW, w> = <dOut, out>.
			dOut := make([]float32, len(out))
			fill(rng, dOut)
			dIn := make([]float32, len(img))
			dW := make([]float32, len(w))
			DepthwiseConvBackward(dIn, dW, dOut, img, w, g)
			var lhs, rIn, rW float64
			for i := range out {
				lhs += float64(dOut[i]) * float64(out[i])
			}
			for i := range img {
				rIn += float64(dIn[i]) * float64(img[i])
			}
			for i := range w {
				rW += float64(dW[i]) * float64(w[i])
			}
			tol := 1e-4 * (1 + abs(lhs))
			if abs(lhs-rIn) > tol || abs(lhs-rW) > tol {
				t.Fatalf("%+v: <dOut,out> = %v, <dIn,in> = %v, <dW,w> = %v", g, lhs, rIn, rW)
			}
		}
	})
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}
