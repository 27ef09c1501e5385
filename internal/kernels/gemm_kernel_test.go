package kernels

import (
	"math/rand/v2"
	"testing"
)

// forEachKernel runs f once per micro-kernel this build and CPU can run
// (each assembly path and the pure-Go one), as a subtest.
func forEachKernel(t *testing.T, f func(t *testing.T, kn *microKernel)) {
	for _, kn := range availableKernels() {
		t.Run(kn.name, func(t *testing.T) { f(t, kn) })
	}
}

// packedGemm returns the packed GEMM on kn with the given worker count as a
// gemmFunc.
func packedGemm(kn *microKernel, threads int) gemmFunc {
	return func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
		gemmPacked(kn, threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
	}
}

var transposes = [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}}

// TestPackedGemmEverySize sweeps m, n and k over every value 1..70 (the
// other two fixed), for every transpose combination and micro-kernel.
func TestPackedGemmEverySize(t *testing.T) {
	forEachKernel(t, func(t *testing.T, kn *microKernel) {
		rng := rand.New(rand.NewPCG(11, 12))
		f := packedGemm(kn, 1)
		for _, tr := range transposes {
			for v := 1; v <= 70; v++ {
				checkGemm(t, rng, f, gemmCase{tr[0], tr[1], v, 37, 19, 1, 0, 0})
				checkGemm(t, rng, f, gemmCase{tr[0], tr[1], 23, v, 29, 1, 0, 3})
				checkGemm(t, rng, f, gemmCase{tr[0], tr[1], 17, 45, v, 1, 0, 0})
			}
		}
	})
}

// TestPackedGemmRandomShapes checks random (m, n, k) triples with random
// alpha, beta, leading-dimension padding and worker counts.
func TestPackedGemmRandomShapes(t *testing.T) {
	forEachKernel(t, func(t *testing.T, kn *microKernel) {
		rng := rand.New(rand.NewPCG(13, 14))
		alphas := []float32{1, -1, 0.5, 2.5}
		betas := []float32{0, 1, -0.5, 2}
		for range 60 {
			tc := gemmCase{
				transA: rng.IntN(2) == 1, transB: rng.IntN(2) == 1,
				m: 1 + rng.IntN(90), n: 1 + rng.IntN(90), k: 1 + rng.IntN(300),
				alpha: alphas[rng.IntN(4)], beta: betas[rng.IntN(4)], pad: rng.IntN(9),
			}
			checkGemm(t, rng, packedGemm(kn, 1+rng.IntN(3)), tc)
		}
	})
}

// TestPackedGemmLargeOdd checks a few large odd shapes (several K blocks,
// many row and column tiles, split over 1, 2 and 3 workers).
func TestPackedGemmLargeOdd(t *testing.T) {
	if testing.Short() {
		t.Skip("large shapes")
	}
	forEachKernel(t, func(t *testing.T, kn *microKernel) {
		rng := rand.New(rand.NewPCG(15, 16))
		shapes := [][3]int{{301, 277, 519}, {29, 1031, 263}, {517, 21, 300}, {130, 131, 777}}
		for i, s := range shapes {
			tr := transposes[i%4]
			threads := 1 + i%3
			checkGemm(t, rng, packedGemm(kn, threads), gemmCase{tr[0], tr[1], s[0], s[1], s[2], 1, 0, 1})
			checkGemm(t, rng, packedGemm(kn, threads+1), gemmCase{!tr[0], tr[1], s[0], s[1], s[2], -0.5, 1.5, 0})
		}
	})
}

// TestPackedGemmAlphaBeta covers the degenerate scalings: alpha = 0 (C =
// beta·C, with beta = 0 clearing NaN) and k = 0.
func TestPackedGemmAlphaBeta(t *testing.T) {
	forEachKernel(t, func(t *testing.T, kn *microKernel) {
		rng := rand.New(rand.NewPCG(17, 18))
		f := packedGemm(kn, 2)
		for _, tr := range transposes {
			for _, ab := range [][2]float32{{0, 0}, {0, 1}, {0, -2}, {1, 1}, {3, 0}, {-1, 0.25}} {
				checkGemm(t, rng, f, gemmCase{tr[0], tr[1], 33, 65, 40, ab[0], ab[1], 2})
				checkGemm(t, rng, f, gemmCase{tr[0], tr[1], 5, 7, 0, ab[0], ab[1], 1})
			}
		}
	})
}

// TestSgemmThreadCountInvariant checks that the result is bit-identical
// whatever the worker count (tiles are aligned to the micro-kernel block, so
// every element is computed by the same operations).
func TestSgemmThreadCountInvariant(t *testing.T) {
	forEachKernel(t, func(t *testing.T, kn *microKernel) {
		rng := rand.New(rand.NewPCG(23, 24))
		m, n, k := 97, 301, 290
		a := make([]float32, m*k)
		b := make([]float32, k*n)
		c0 := make([]float32, m*n)
		fill(rng, a)
		fill(rng, b)
		fill(rng, c0)
		var want []float32
		for threads := 1; threads <= 4; threads++ {
			c := append([]float32(nil), c0...)
			gemmPacked(kn, threads, false, true, m, n, k, 1.5, a, k, b, k, 0.5, c, n)
			if want == nil {
				want = c
				continue
			}
			for i := range c {
				if c[i] != want[i] {
					t.Fatalf("threads %d: C[%d] = %v, 1 thread gave %v", threads, i, c[i], want[i])
				}
			}
		}
	})
}

// TestKBlockSteps checks that with evenK K is cut into the fewest blocks
// of at most kcMax steps, of equal size but for a shorter last one, and
// into kcMax-step blocks otherwise.
func TestKBlockSteps(t *testing.T) {
	for _, tc := range []struct {
		k, kcMax int
		even     bool
		want     int
	}{
		{1, 320, true, 1}, {320, 320, true, 320}, {321, 320, true, 161}, {576, 320, true, 288},
		{1024, 320, true, 256}, {1024, 192, true, 171}, {1152, 192, true, 192}, {4608, 320, true, 308},
		{1024, 192, false, 192}, {100, 192, false, 192},
	} {
		kn := &microKernel{kcMax: tc.kcMax, evenK: tc.even}
		kc := kBlockSteps(tc.k, kn)
		blocks := (tc.k + kc - 1) / kc
		if kc != tc.want || kc > tc.kcMax || blocks != (tc.k+tc.kcMax-1)/tc.kcMax {
			t.Errorf("kBlockSteps(%d, kcMax %d, even %v) = %d (%d blocks), want %d", tc.k, tc.kcMax, tc.even, kc, blocks, tc.want)
		}
	}
}

// TestTilingBalanced checks that with several workers every worker gets
// the same number of tiles when column tiles can be narrowed to get there.
func TestTilingBalanced(t *testing.T) {
	for _, tc := range []struct{ m, n, threads int }{
		{64, 3136, 2}, {1024, 1024, 2}, {128, 784, 2}, {64, 3136, 3}, {256, 12544, 4},
		{256, 196, 2}, {64, 1262, 2}, {512, 49, 2}, {100, 464, 3},
	} {
		mPanels, nPanels := (tc.m+5)/6, (tc.n+15)/16
		nt, mt := tiling(mPanels, nPanels, 16, tc.threads)
		if nt < 1 || mt < 1 || nt > nPanels || mt > mPanels {
			t.Fatalf("%d×%d on %d workers: %d×%d tiles", tc.m, tc.n, tc.threads, nt, mt)
		}
		// The best even split: some tiling within the limits gives every
		// worker the same number of tiles in each of these cases.
		if (nt*mt)%tc.threads != 0 {
			t.Errorf("%d×%d on %d workers: %d×%d tiles do not divide among the workers", tc.m, tc.n, tc.threads, nt, mt)
		}
		if nt > 1 && nPanels/nt*16 < ncMin || mt > 1 && mPanels/mt < rowTileMin {
			t.Errorf("%d×%d on %d workers: %d×%d tiles are narrower than the limits", tc.m, tc.n, tc.threads, nt, mt)
		}
	}
	// Where the limits allow enough tiles, every worker gets tilesEach.
	for _, tc := range []struct{ m, n, threads int }{{64, 3136, 2}, {1024, 1024, 2}, {128, 784, 2}, {256, 12544, 4}} {
		if nt, mt := tiling((tc.m+5)/6, (tc.n+15)/16, 16, tc.threads); nt*mt < tilesEach*tc.threads {
			t.Errorf("%d×%d on %d workers: %d×%d tiles, want at least %d", tc.m, tc.n, tc.threads, nt, mt, tilesEach*tc.threads)
		}
	}
}
