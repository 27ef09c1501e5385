package model

import "github.com/cocotrain/cocotrain/internal/kernels"

// sgemm is the single-goroutine SGEMM the layers call from inside their own
// parallel regions (row-major, same arguments as kernels.Sgemm).
func sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	kernels.SgemmSerial(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}
