package kernels

// Blocking of the packed GEMM. A K block of kcBlock steps keeps one B
// micro-panel (kc×nr) in L1 while the A block of a tile streams from L2.
const (
	kcBlock    = 192
	ncTarget   = 256 // widest column tile
	ncMin      = 64  // narrowest column tile before rows are split instead
	mcTarget   = 168 // rows of A swept per B micro-panel (A block in L2)
	rowTileMin = 8   // fewest row panels of a row tile
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
	pa, _ := packedPool.Get().(*PackedA)
	if pa == nil {
		pa = new(PackedA)
	}
	// With a single column tile every panel of A is used by one tile only:
	// pack it there, block by block, while it is in cache. Otherwise pack
	// it once for all tiles.
	mPanels, nPanels := (m+kn.mr-1)/kn.mr, (n+kn.nr-1)/kn.nr
	if nt, _ := tiling(mPanels, nPanels, kn.nr, threads); nt == 1 {
		pa.packLater(kn, transA, m, k, a, lda)
	} else {
		pa.pack(kn, threads, transA, m, k, a, lda)
	}
	gemmPackedA(pa, threads, n, matrixB(kn, transB, b, ldb), alpha, beta, c, ldc)
	pa.lazyA = nil
	packedPool.Put(pa)
}

// bPacker writes the steps [p0, p0+kc) and columns [j0, j0+cols) of the
// k×n operand op(B) into dst as micro-panels (the contract of packBGo).
type bPacker func(dst []float32, p0, kc, j0, cols int)

// matrixB packs op(B) from a stored matrix with kn's packer.
func matrixB(kn *microKernel, transB bool, b []float32, ldb int) bPacker {
	return func(dst []float32, p0, kc, j0, cols int) {
		kn.packB(dst, transB, b, ldb, p0, kc, j0, cols, kn.nr)
	}
}

// gemmPackedA computes C = alpha·A·B + beta·C with A already packed (m×k)
// and B (k×n) produced panel by panel by packB, over up to `threads`
// goroutines: workers take rectangular tiles of C from an atomic counter
// and, per K block, pack their B tile and run the micro-kernel over it.
func gemmPackedA(pa *PackedA, threads, n int, packB bPacker, alpha, beta float32, c []float32, ldc int) {
	kn, m, k := pa.kn, pa.m, pa.k
	mr, nr := kn.mr, kn.nr
	if 2*m*n*k < 1<<21 {
		threads = 1
	}
	// Tiles are whole micro-kernel blocks, cut as evenly as possible.
	mPanels, nPanels := pa.mPad/mr, (n+nr-1)/nr
	nt, mt := tiling(mPanels, nPanels, nr, threads)
	widest := (nPanels + nt - 1) / nt * nr
	mcPanels := max(1, mcTarget/mr)

	parallelWorkers(threads, mt*nt, func(next func() (int, bool)) {
		bbuf := getBuf(kcBlock * widest)
		defer putBuf(bbuf)
		var abuf *[]float32
		if pa.lazyA != nil {
			abuf = getBuf(kcBlock * mcPanels * mr)
			defer putBuf(abuf)
		}
		for job, ok := next(); ok; job, ok = next() {
			tj, ti := job%nt, job/nt
			j0 := tj * nPanels / nt * nr
			cols := min((tj+1)*nPanels/nt*nr, n) - j0
			r0, r1 := ti*mPanels/mt, (ti+1)*mPanels/mt
			for p0 := 0; p0 < k; p0 += kcBlock {
				kc := min(kcBlock, k-p0)
				bp := (*bbuf)[:roundUp(cols, nr)*kc]
				packB(bp, p0, kc, j0, cols)
				bet := beta
				if p0 > 0 {
					bet = 1
				}
				for rc := r0; rc < r1; rc += mcPanels {
					rEnd := min(rc+mcPanels, r1)
					panel := func(r int) []float32 { return pa.panel(p0, kc, r) }
					if pa.lazyA != nil {
						for r := rc; r < rEnd; r++ {
							kn.packA((*abuf)[(r-rc)*mr*kc:(r-rc+1)*mr*kc], pa.transA, pa.lazyA, pa.lda, r*mr, min(mr, m-r*mr), p0, kc, mr)
						}
						panel = func(r int) []float32 { return (*abuf)[(r-rc)*mr*kc : (r-rc+1)*mr*kc] }
					}
					for q := 0; q*nr < cols; q++ {
						bPanel := bp[q*kc*nr : (q+1)*kc*nr]
						j := j0 + q*nr
						w := min(nr, n-j)
						for r := rc; r < rEnd; r++ {
							i := r * mr
							h := min(mr, m-i)
							kn.run(kc, panel(r), bPanel, c[i*ldc+j:], ldc, h, w, alpha, bet)
						}
					}
				}
			}
		}
	})
}

// tiling chooses how many column tiles (nt) and row tiles (mt) to cut C
// into, given its size in micro-kernel blocks: column tiles of at most
// ncTarget columns; with several workers, narrower ones (down to ncMin) and
// then row splits (down to rowTileMin rows of panels: each row tile packs
// its own copy of B) until every worker has tilesEach tiles.
func tiling(mPanels, nPanels, nr, threads int) (nt, mt int) {
	perTile := max(ncTarget/nr, 1)
	nt, mt = (nPanels+perTile-1)/perTile, 1
	if threads <= 1 {
		return nt, mt
	}
	want := tilesEach * threads
	for nt*mt < want {
		switch {
		case nPanels/(nt+1)*nr >= ncMin:
			nt++
		case mPanels/(mt+1) >= rowTileMin:
			mt++
		default:
			return nt, mt
		}
	}
	return nt, mt
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

func roundUp(x, to int) int { return (x + to - 1) / to * to }
