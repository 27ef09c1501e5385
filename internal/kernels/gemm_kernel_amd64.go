//go:build !noasm

package kernels

import "unsafe"

// sgemmKernelAVX512 is the 8×32 AVX-512 micro-kernel (gemm_kernel_avx512_amd64.s):
// the contract of microKernel.run on raw pointers, with the columns given
// as lane masks (mlo: columns 0..15, mhi: 16..31).
//
//go:noescape
func sgemmKernelAVX512(k int, ap, bp, c unsafe.Pointer, ldc int, alpha, beta float32, rows int, mlo, mhi uint16)

// sgemmKernelAVX512Narrow is sgemmKernelAVX512 for blocks of at most 16
// columns: 8×16 from the first 16 columns of the 32-wide B panel, with the
// same operations per element (the same result), half the work.
//
//go:noescape
func sgemmKernelAVX512Narrow(k int, ap, bp, c unsafe.Pointer, ldc int, alpha, beta float32, rows int, mlo, mhi uint16)

// sgemmKernelAVX2 is the 6×16 AVX2+FMA micro-kernel (gemm_kernel_avx2_amd64.s).
//
//go:noescape
func sgemmKernelAVX2(k int, ap, bp, c unsafe.Pointer, ldc int, alpha, beta float32)

// sgemmKernelAVX2Narrow is sgemmKernelAVX2 for the first 8 columns of the
// 16-wide B panel (6×8), with the same operations per element.
//
//go:noescape
func sgemmKernelAVX2Narrow(k int, ap, bp, c unsafe.Pointer, ldc int, alpha, beta float32)

// The last, partial column panel of a product runs the narrow kernels
// when its columns fit them.
var avx512Kernel = microKernel{name: "avx512", mr: 8, nr: 32, kcMax: 192,
	run: func(k int, ap, bp, c []float32, ldc, rows, cols int, alpha, beta float32) {
		_ = ap[8*k-1]
		_ = bp[32*k-1]
		_ = c[(rows-1)*ldc+cols-1]
		kernel := sgemmKernelAVX512
		if cols <= 16 {
			kernel = sgemmKernelAVX512Narrow
		}
		kernel(k, unsafe.Pointer(&ap[0]), unsafe.Pointer(&bp[0]), unsafe.Pointer(&c[0]), ldc, alpha, beta,
			rows, lanes(min(cols, 16)), lanes(cols-16))
	},
	packA: packAAVX512, packB: packBAVX512}

var avx2Kernel = microKernel{name: "avx2", mr: 6, nr: 16, kcMax: 320, evenK: true,
	run:   avx2Run(withEdges(avx2Block(sgemmKernelAVX2, 16), 6, 16), withEdges(avx2Block(sgemmKernelAVX2Narrow, 8), 6, 8)),
	packA: packAAVX2, packB: packBAVX2}

// avx2Block adapts an AVX2 kernel computing 6×cols blocks from 16-wide B
// panels to fullBlock.
func avx2Block(kernel func(k int, ap, bp, c unsafe.Pointer, ldc int, alpha, beta float32), cols int) fullBlock {
	return func(k int, ap, bp, c []float32, ldc int, alpha, beta float32) {
		_ = ap[6*k-1]
		_ = bp[16*k-1]
		_ = c[5*ldc+cols-1]
		kernel(k, unsafe.Pointer(&ap[0]), unsafe.Pointer(&bp[0]), unsafe.Pointer(&c[0]), ldc, alpha, beta)
	}
}

// avx2Run runs blocks of at most 8 columns on narrow, the others on wide.
func avx2Run(wide, narrow func(k int, ap, bp, c []float32, ldc, rows, cols int, alpha, beta float32)) func(k int, ap, bp, c []float32, ldc, rows, cols int, alpha, beta float32) {
	return func(k int, ap, bp, c []float32, ldc, rows, cols int, alpha, beta float32) {
		if cols <= 8 {
			narrow(k, ap, bp, c, ldc, rows, cols, alpha, beta)
			return
		}
		wide(k, ap, bp, c, ldc, rows, cols, alpha, beta)
	}
}

// availableKernels lists the micro-kernels enabled in this process, best
// first.
func availableKernels() []*microKernel {
	var ks []*microKernel
	if hasAVX512 {
		ks = append(ks, &avx512Kernel)
	}
	if hasAVX2 {
		ks = append(ks, &avx2Kernel)
	}
	return append(ks, &goKernel)
}
