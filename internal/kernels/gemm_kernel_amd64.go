//go:build !noasm

package kernels

import "unsafe"

// sgemmKernelAVX512 is the 8×32 AVX-512 micro-kernel (gemm_kernel_avx512_amd64.s):
// the contract of microKernel.run on raw pointers, with the columns given
// as lane masks (mlo: columns 0..15, mhi: 16..31).
//
//go:noescape
func sgemmKernelAVX512(k int, ap, bp, c unsafe.Pointer, ldc int, alpha, beta float32, rows int, mlo, mhi uint16)

// sgemmKernelAVX2 is the 6×16 AVX2+FMA micro-kernel (gemm_kernel_avx2_amd64.s).
//
//go:noescape
func sgemmKernelAVX2(k int, ap, bp, c unsafe.Pointer, ldc int, alpha, beta float32)

var avx512Kernel = microKernel{name: "avx512", mr: 8, nr: 32, kcMax: 192,
	run: func(k int, ap, bp, c []float32, ldc, rows, cols int, alpha, beta float32) {
		_ = ap[8*k-1]
		_ = bp[32*k-1]
		_ = c[(rows-1)*ldc+cols-1]
		sgemmKernelAVX512(k, unsafe.Pointer(&ap[0]), unsafe.Pointer(&bp[0]), unsafe.Pointer(&c[0]), ldc, alpha, beta,
			rows, lanes(min(cols, 16)), lanes(cols-16))
	},
	packA: packAAVX512, packB: packBAVX512}

var avx2Kernel = microKernel{name: "avx2", mr: 6, nr: 16, kcMax: 320, evenK: true,
	run: withEdges(func(k int, ap, bp, c []float32, ldc int, alpha, beta float32) {
		_ = ap[6*k-1]
		_ = bp[16*k-1]
		_ = c[5*ldc+15]
		sgemmKernelAVX2(k, unsafe.Pointer(&ap[0]), unsafe.Pointer(&bp[0]), unsafe.Pointer(&c[0]), ldc, alpha, beta)
	}, 6, 16),
	packA: packAAVX2, packB: packBAVX2}

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
