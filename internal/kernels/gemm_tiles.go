package kernels

import "github.com/cocotrain/cocotrain/internal/workers"

// Blocking of the packed GEMM. A K block of at most microKernel.kcMax steps
// keeps one B micro-panel (kc×nr) in L1 while the A block of a tile streams
// from L2.
const (
	ncTarget   = 256 // widest column tile
	ncMin      = 64  // narrowest column tile before rows are split instead
	mcTarget   = 168 // rows of A swept per B micro-panel (A block in L2)
	rowTileMin = 14  // fewest row panels of a row tile (112 rows)
	tilesEach  = 4   // tiles per worker wanted for dynamic load balance
)

// gemmPacked is the packed, cache-blocked GEMM on micro-kernel kn over up to
// `threads` goroutines (the caller included). Same contract as Sgemm.
func gemmPacked(kn *microKernel, threads int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m <= 0 || n <= 0 {
		return
	}
	if k <= 0 || alpha == 0 {
		scaleC(beta, c, m, n, ldc)
		return
	}
	pa := packedAs.get()
	// With a single column tile every panel of A is used by one tile only:
	// pack it there, block by block, while it is in cache. Otherwise pack
	// it once for all tiles.
	mPanels, nPanels := (m+kn.mr-1)/kn.mr, (n+kn.nr-1)/kn.nr
	if nt, _ := tiling(mPanels, nPanels, kn.nr, threads); nt == 1 {
		pa.packLater(kn, transA, m, k, a, lda)
	} else {
		pa.pack(kn, threads, transA, m, k, a, lda)
	}
	gemmPackedA(pa, threads, n, bSource{b: b, ldb: ldb, transB: transB}, alpha, beta, c, ldc)
	pa.lazyA = nil
	packedAs.put(pa)
}

// bSource is the k×n operand op(B) of gemmPackedA: the stored matrix b
// (row stride ldb, transposed when transB) or, when img is not nil, the
// implicit matrix Im2col(img, g).
type bSource struct {
	b      []float32
	ldb    int
	transB bool
	img    []float32
	g      ConvGeom
}

// pack writes the steps [p0, p0+kc) and columns [j0, j0+cols) of op(B) into
// dst as kn's micro-panels (the contract of packBGo).
func (s *bSource) pack(kn *microKernel, dst []float32, p0, kc, j0, cols int) {
	if s.img == nil {
		kn.packB(dst, s.transB, s.b, s.ldb, p0, kc, j0, cols, kn.nr)
		return
	}
	tmp := getBuf(kc * cols)
	packIm2col(kn, dst, *tmp, s.img, s.g, p0, kc, j0, cols)
	putBuf(tmp)
}

// gemmPackedA computes C = alpha·A·op(B) + beta·C with A already packed (m×k)
// and op(B) (k×n) packed panel by panel from b, over up to `threads`
// workers: they take rectangular tiles of C, each its own share first
// (jobCounter), and, per K block, pack their B tile and run the
// micro-kernel over it.
func gemmPackedA(pa *PackedA, threads, n int, b bSource, alpha, beta float32, c []float32, ldc int) {
	kn, m, k := pa.kn, pa.m, pa.k
	if 2*m*n*k < 1<<21 {
		threads = 1
	}
	// Tiles are whole micro-kernel blocks, cut as evenly as possible.
	mPanels, nPanels := pa.mPad/kn.mr, (n+kn.nr-1)/kn.nr
	nt, mt := tiling(mPanels, nPanels, kn.nr, threads)
	t := gemmJobs.get()
	*t = gemmJob{jobCounter: t.jobCounter, pa: pa, b: b, n: n, alpha: alpha, beta: beta, c: c, ldc: ldc,
		nt: nt, mt: mt, mPanels: mPanels, nPanels: nPanels, widest: (nPanels + nt - 1) / nt * kn.nr}
	nw := min(threads, mt*nt)
	t.reset(mt*nt, nw)
	workers.Run(nw, t)
	*t = gemmJob{jobCounter: t.jobCounter} // keep no matrices alive in the list
	gemmJobs.put(t)
}

// gemmJob is gemmPackedA's parallel region: job j computes tile (j/nt,
// j%nt) of C.
type gemmJob struct {
	jobCounter
	pa               *PackedA
	b                bSource
	n                int
	alpha, beta      float32
	c                []float32
	ldc              int
	nt, mt           int // column and row tiles of C
	mPanels, nPanels int // micro-kernel blocks of C's rows and columns
	widest           int // columns of the widest column tile
}

// gemmJobs recycles gemmJobs, so that a product allocates nothing.
var gemmJobs freeList[gemmJob]

// Work runs tiles until none is left.
func (t *gemmJob) Work(w int) {
	pa, kn := t.pa, t.pa.kn
	m, k, mr, nr := pa.m, pa.k, kn.mr, kn.nr
	mcPanels := max(1, mcTarget/mr)
	bbuf := getBuf(pa.kc * t.widest)
	defer putBuf(bbuf)
	var abuf *[]float32
	if pa.lazyA != nil {
		abuf = getBuf(pa.kc * mcPanels * mr)
		defer putBuf(abuf)
	}
	for job, ok := t.take(w); ok; job, ok = t.take(w) {
		tj, ti := job%t.nt, job/t.nt
		j0 := tj * t.nPanels / t.nt * nr
		cols := min((tj+1)*t.nPanels/t.nt*nr, t.n) - j0
		r0, r1 := ti*t.mPanels/t.mt, (ti+1)*t.mPanels/t.mt
		for p0 := 0; p0 < k; p0 += pa.kc {
			kc := min(pa.kc, k-p0)
			bp := (*bbuf)[:roundUp(cols, nr)*kc]
			t.b.pack(kn, bp, p0, kc, j0, cols)
			bet := t.beta
			if p0 > 0 {
				bet = 1
			}
			for rc := r0; rc < r1; rc += mcPanels {
				rEnd := min(rc+mcPanels, r1)
				if pa.lazyA != nil {
					for r := rc; r < rEnd; r++ {
						kn.packA((*abuf)[(r-rc)*mr*kc:(r-rc+1)*mr*kc], pa.transA, pa.lazyA, pa.lda, r*mr, min(mr, m-r*mr), p0, kc, mr)
					}
				}
				for q := 0; q*nr < cols; q++ {
					bPanel := bp[q*kc*nr : (q+1)*kc*nr]
					j := j0 + q*nr
					w := min(nr, t.n-j)
					for r := rc; r < rEnd; r++ {
						var ap []float32
						if pa.lazyA != nil {
							ap = (*abuf)[(r-rc)*mr*kc : (r-rc+1)*mr*kc]
						} else {
							ap = pa.panel(p0, kc, r)
						}
						i := r * mr
						kn.run(kc, ap, bPanel, t.c[i*t.ldc+j:], t.ldc, min(mr, m-i), w, t.alpha, bet)
					}
				}
			}
		}
	}
}

// tiling chooses how many column tiles (nt) and row tiles (mt) to cut C
// into, given its size in micro-kernel blocks: column tiles of at most
// ncTarget columns; with several workers, narrower ones (down to ncMin) and
// then row splits (down to rowTileMin rows of panels: each row tile packs
// its own copy of B) until every worker has tilesEach tiles, evened out
// by balanced.
func tiling(mPanels, nPanels, nr, threads int) (nt, mt int) {
	nt, mt = fewestColumnTiles(nPanels, nr), 1
	if threads <= 1 {
		return nt, mt
	}
	want := tilesEach * threads
grow:
	for nt*mt < want {
		switch {
		case nPanels/(nt+1)*nr >= ncMin:
			nt++
		case mPanels/(mt+1) >= rowTileMin:
			mt++
		default:
			break grow
		}
	}
	return balanced(nt, mt, mPanels, nPanels, nr, threads)
}

// balanced returns the tiling, among those with at most nt×mt tiles
// rounded up to a multiple of threads (column tiles no wider than ncTarget
// and, when split, no narrower than ncMin; row tiles, when split, of at
// least rowTileMin panels), that keeps the workers busiest:
// tiles/(threads·⌈tiles/threads⌉) largest, then the most tiles, then the
// fewest row tiles. nt×mt itself wins when its tiles divide evenly among
// the workers.
func balanced(nt, mt, mPanels, nPanels, nr, threads int) (int, int) {
	if (nt*mt)%threads == 0 {
		return nt, mt
	}
	limit := (nt*mt + threads - 1) / threads * threads
	busy := func(tiles int) float64 {
		return float64(tiles) / float64(threads*((tiles+threads-1)/threads))
	}
	ntMin := fewestColumnTiles(nPanels, nr)
	bestN, bestM := ntMin, 1
	for m := 1; m <= limit && (m == 1 || mPanels/m >= rowTileMin); m++ {
		for n := ntMin; n*m <= limit && (n == ntMin || nPanels/n*nr >= ncMin); n++ {
			t, best := n*m, bestN*bestM
			if b, bb := busy(t), busy(best); b > bb || (b == bb && t > best) {
				bestN, bestM = n, m
			}
		}
	}
	return bestN, bestM
}

// fewestColumnTiles is the number of column tiles of at most ncTarget
// columns (at least one panel each) that nPanels panels of nr columns need.
func fewestColumnTiles(nPanels, nr int) int {
	perTile := max(ncTarget/nr, 1)
	return (nPanels + perTile - 1) / perTile
}

// scaleC sets C (m×n, row stride ldc) to beta·C, writing zeros without
// reading C when beta == 0.
func scaleC(beta float32, c []float32, m, n, ldc int) {
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		switch beta {
		case 0:
			clear(row)
		case 1:
		default:
			for j := range row {
				row[j] *= beta
			}
		}
	}
}

// kBlockSteps returns the steps per K block of kn for inner dimension k:
// kn.kcMax, or with kn.evenK the fewest blocks of at most kcMax steps cut
// as evenly as possible (k = 1024 with kcMax = 320 is four blocks of 256,
// not three of 320 and one of 64). The blocking fixes the order of the
// sums: it is part of a path's rounding.
func kBlockSteps(k int, kn *microKernel) int {
	if k <= 0 || !kn.evenK {
		return kn.kcMax
	}
	blocks := (k + kn.kcMax - 1) / kn.kcMax
	return (k + blocks - 1) / blocks
}

func roundUp(x, to int) int { return (x + to - 1) / to * to }
