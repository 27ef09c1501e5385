package kernels

import "fmt"

// Sgemm computes C = alpha·op(A)·op(B) + beta·C for row-major float32
// matrices, where op(X) is X or Xᵀ as transA/transB say. op(A) is m×k, op(B)
// is k×n and C is m×n; lda, ldb and ldc are the row strides of A, B and C as
// stored. With beta = 0, C is written without being read (NaN in C is ignored).
// It splits the work over Threads() goroutines (small products run on the
// caller's goroutine).
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemm(Threads(), transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// SgemmSerial is Sgemm on the calling goroutine only, for callers that are
// already running in parallel (same arguments and result).
func SgemmSerial(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemm(1, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// smallGemm is the m·n·k below which the plain loop beats packing.
const smallGemm = 4096

func sgemm(threads int, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	checkMatrix("Sgemm", "A", transA, m, k, a, lda)
	checkMatrix("Sgemm", "B", transB, k, n, b, ldb)
	checkMatrix("Sgemm", "C", false, m, n, c, ldc)
	if m*n*k < smallGemm {
		sgemmRef(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
		return
	}
	gemmPacked(activeKernel, threads, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// sgemmRef is the straightforward loop, used for small products.
func sgemmRef(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		crow := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(crow)
		} else if beta != 1 {
			for j := range crow {
				crow[j] *= beta
			}
		}
		for p := 0; p < k; p++ {
			var av float32
			if transA {
				av = a[p*lda+i]
			} else {
				av = a[i*lda+p]
			}
			av *= alpha
			if av == 0 {
				continue
			}
			if !transB {
				brow := b[p*ldb : p*ldb+n]
				for j, bv := range brow {
					crow[j] += av * bv
				}
			} else {
				for j := range crow {
					crow[j] += av * b[j*ldb+p]
				}
			}
		}
	}
}

// checkMatrix panics with a message naming the call and the operand when
// op(X) (rows×cols, stored transposed when trans) does not fit in x with
// row stride ld.
func checkMatrix(call, name string, trans bool, rows, cols int, x []float32, ld int) {
	if trans {
		rows, cols = cols, rows
	}
	switch {
	case rows < 0 || cols < 0:
		panic(fmt.Sprintf("kernels: %s: negative dimension %d×%d of %s", call, rows, cols, name))
	case rows == 0 || cols == 0:
	case ld < cols:
		panic(fmt.Sprintf("kernels: %s: row stride %d of %s is below its %d columns", call, ld, name, cols))
	case len(x) < (rows-1)*ld+cols:
		panic(fmt.Sprintf("kernels: %s: %s has %d elements, %d×%d with row stride %d needs %d", call, name, len(x), rows, cols, ld, (rows-1)*ld+cols))
	}
}
