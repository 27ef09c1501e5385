package kernels

// microKernel is one register-blocked inner kernel of the packed GEMM.
type microKernel struct {
	name   string
	mr, nr int // rows × columns of the C block it computes
	// kcMax bounds the steps of a K block: the B micro-panel (kcMax×nr
	// floats) and an A micro-panel (kcMax×mr) fit in a 32 KiB L1 data cache.
	// evenK cuts K into blocks of equal size instead of kcMax-step blocks
	// and a shorter remainder (kBlockSteps).
	kcMax int
	evenK bool
	// run sets the top-left rows×cols (≤ mr×nr) of the block of c (row
	// stride ldc) to alpha·Ap·Bp + beta·c (c is not read when beta == 0),
	// where Ap is the packed A panel (k×mr, mr consecutive values per step)
	// and Bp the packed B panel (k×nr). Nothing else of c is touched.
	run func(k int, ap, bp, c []float32, ldc, rows, cols int, alpha, beta float32)
	// packA and packB lay out panels of op(A) and op(B) for run (contracts
	// of packAGo and packBGo).
	packA func(dst []float32, transA bool, a []float32, lda, i0, rows, p0, kc, mr int)
	packB func(dst []float32, transB bool, b []float32, ldb, p0, kc, j0, cols, nr int)
}

// goKernel is the pure-Go micro-kernel: 2×4, eight scalar accumulators, so
// that accumulators and operands fit the 15 float registers Go allocates
// (a 4×4 block spills and measured 1.4× slower).
var goKernel = microKernel{name: "go", mr: 2, nr: 4, kcMax: 192, run: withEdges(goKernel2x4, 2, 4), packA: packAGo, packB: packBGo}

// fullBlock is a micro-kernel that only computes whole mr×nr blocks.
type fullBlock func(k int, ap, bp, c []float32, ldc int, alpha, beta float32)

// withEdges adapts a whole-block kernel to microKernel.run: partial blocks
// are computed into a buffer and merged into c.
func withEdges(full fullBlock, mr, nr int) func(k int, ap, bp, c []float32, ldc, rows, cols int, alpha, beta float32) {
	if mr*nr > edgeMax {
		panic("kernels: micro-kernel block larger than the edge buffer")
	}
	return func(k int, ap, bp, c []float32, ldc, rows, cols int, alpha, beta float32) {
		if rows == mr && cols == nr {
			full(k, ap, bp, c, ldc, alpha, beta)
			return
		}
		var edge [edgeMax]float32
		full(k, ap, bp, edge[:], nr, alpha, 0)
		for i := 0; i < rows; i++ {
			src := edge[i*nr : i*nr+cols]
			dst := c[i*ldc : i*ldc+cols]
			if beta == 0 {
				copy(dst, src)
				continue
			}
			for j, v := range src {
				dst[j] = v + beta*dst[j]
			}
		}
	}
}

// edgeMax bounds mr·nr of the kernels that go through withEdges.
const edgeMax = 128

// activeKernel is the micro-kernel Sgemm uses: the best one the CPU runs.
var activeKernel = bestKernel()

// bestKernel returns the first entry of availableKernels().
func bestKernel() *microKernel { return availableKernels()[0] }

// KernelName names the micro-kernel Sgemm uses in this process ("avx512",
// "avx2", "neon", or "go" for the pure-Go path).
func KernelName() string { return activeKernel.name }

func goKernel2x4(k int, ap, bp, c []float32, ldc int, alpha, beta float32) {
	var c00, c01, c02, c03, c10, c11, c12, c13 float32
	ap, bp = ap[:2*k], bp[:4*k]
	for len(ap) >= 2 && len(bp) >= 4 {
		a0, a1 := ap[0], ap[1]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		ap, bp = ap[2:], bp[4:]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
	}
	acc := [2][4]float32{{c00, c01, c02, c03}, {c10, c11, c12, c13}}
	for i := range acc {
		row := c[i*ldc : i*ldc+4 : i*ldc+4]
		for j, v := range acc[i] {
			if beta == 0 {
				row[j] = alpha * v
			} else {
				row[j] = alpha*v + beta*row[j]
			}
		}
	}
}
