// Package kernels is cocotrain's compute core: SGEMM (plain, with A packed
// once, and fused with im2col for convolutions), im2col/col2im, depthwise
// convolution and the vector loops the layers use. Every routine has a
// pure-Go reference; SIMD assembly paths (AVX-512, and AVX2+FMA for the
// GEMM micro-kernel) sit beside it and are chosen at run time by CPU
// feature (build tag noasm forces the pure-Go paths). See docs/kernels.md.
package kernels
