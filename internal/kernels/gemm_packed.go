package kernels

import "github.com/cocotrain/cocotrain/internal/workers"

// packedAs recycles the packed copies of A that Sgemm makes.
var packedAs freeList[PackedA]

// PackedA is a matrix op(A) (m×k) laid out once for the GEMM micro-kernel,
// so that products reusing it (a convolution's weights over a batch) skip
// packing it: see Pack and SgemmPacked. The zero value is empty and ready
// to Pack into.
type PackedA struct {
	kn   *microKernel
	m, k int
	mPad int // m rounded up to a multiple of kn.mr
	kc   int // steps per K block (kBlockSteps); the last block may be shorter
	// data holds K blocks of kc steps, each the ceil(m/mr) micro-panels of
	// that block in order.
	data []float32
	// lazyA, when not nil, is the unpacked op(A) (transA, row stride lda)
	// that the GEMM packs block by block inside its tiles instead of data.
	lazyA  []float32
	transA bool
	lda    int
}

// packLater sets pa up to pack op(A) lazily, inside the GEMM's tiles.
func (pa *PackedA) packLater(kn *microKernel, transA bool, m, k int, a []float32, lda int) {
	mr := kn.mr
	*pa = PackedA{kn: kn, m: m, k: k, mPad: (m + mr - 1) / mr * mr, kc: kBlockSteps(k, kn), data: pa.data[:0],
		lazyA: a, transA: transA, lda: lda}
}

// Rows returns m, the number of rows of the packed op(A) (m×k).
func (pa *PackedA) Rows() int { return pa.m }

// Cols returns k, the inner dimension of the packed op(A) (see Rows).
func (pa *PackedA) Cols() int { return pa.k }

// Pack lays out op(A) into pa, reusing pa's memory when it is large enough:
// A is m×k with row stride lda (lda ≥ k) or, with transA, k×m (lda ≥ m). The
// packing is split over Threads() goroutines.
func (pa *PackedA) Pack(transA bool, m, k int, a []float32, lda int) {
	checkMatrix("PackedA.Pack", "A", transA, m, k, a, lda)
	pa.pack(activeKernel, Threads(), transA, m, k, a, lda)
}

// panel returns the micro-panel of row panel r in the K block starting at p0
// (kc steps).
func (pa *PackedA) panel(p0, kc, r int) []float32 {
	off := p0*pa.mPad + r*pa.kn.mr*kc
	return pa.data[off : off+pa.kn.mr*kc]
}

// pack is Pack on micro-kernel kn with up to `threads` workers.
func (pa *PackedA) pack(kn *microKernel, threads int, transA bool, m, k int, a []float32, lda int) {
	mr := kn.mr
	panels := (m + mr - 1) / mr
	*pa = PackedA{kn: kn, m: m, k: k, mPad: panels * mr, kc: kBlockSteps(k, kn), data: pa.data[:0]}
	if cap(pa.data) < pa.mPad*k {
		pa.data = make([]float32, pa.mPad*k)
	}
	pa.data = pa.data[:pa.mPad*k]
	kBlocks := (k + pa.kc - 1) / pa.kc
	if m*k < 1<<15 {
		threads = 1
	}
	t := packJobs.get()
	t.pa, t.transA, t.a, t.lda = pa, transA, a, lda
	nw := min(threads, kBlocks*panels)
	t.reset(kBlocks*panels, nw)
	workers.Run(nw, t)
	t.pa, t.a = nil, nil // keep no matrices alive in the list
	packJobs.put(t)
}

// packJob is PackedA.pack's parallel region: job j packs K block
// j mod kBlocks of row panel j / kBlocks, so that a worker's share of the
// jobs is a band of rows (the band its row tile of the product reads when
// the rows are split).
type packJob struct {
	jobCounter
	pa     *PackedA
	transA bool
	a      []float32
	lda    int
}

// packJobs recycles packJobs, so that packing allocates nothing.
var packJobs freeList[packJob]

// Work packs panels until none is left.
func (t *packJob) Work(w int) {
	pa, kn := t.pa, t.pa.kn
	mr := kn.mr
	kBlocks := (pa.k + pa.kc - 1) / pa.kc
	for job, ok := t.take(w); ok; job, ok = t.take(w) {
		r := job / kBlocks
		p0 := job % kBlocks * pa.kc
		kc := min(pa.kc, pa.k-p0)
		kn.packA(pa.panel(p0, kc, r), t.transA, t.a, t.lda, r*mr, min(mr, pa.m-r*mr), p0, kc, mr)
	}
}

// SgemmPacked computes C = alpha·A·op(B) + beta·C like Sgemm, with A (m×k)
// taken already packed from pa: op(B) is k×n (B stored k×n, or n×k with
// transB, row stride ldb), C is m×n (row stride ldc; beta = 0 ignores its
// content). It splits the work over Threads() goroutines.
func SgemmPacked(pa *PackedA, transB bool, n int, alpha float32, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemmPackedEntry(pa, Threads(), transB, n, alpha, b, ldb, beta, c, ldc)
}

// SgemmPackedSerial is SgemmPacked on the calling goroutine only.
func SgemmPackedSerial(pa *PackedA, transB bool, n int, alpha float32, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemmPackedEntry(pa, 1, transB, n, alpha, b, ldb, beta, c, ldc)
}

func sgemmPackedEntry(pa *PackedA, threads int, transB bool, n int, alpha float32, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkMatrix("SgemmPacked", "B", transB, pa.k, n, b, ldb)
	checkMatrix("SgemmPacked", "C", false, pa.m, n, c, ldc)
	if pa.m <= 0 || n <= 0 {
		return
	}
	if pa.k <= 0 || alpha == 0 {
		scaleC(beta, c, pa.m, n, ldc)
		return
	}
	gemmPackedA(pa, threads, n, bSource{b: b, ldb: ldb, transB: transB}, alpha, beta, c, ldc)
}
