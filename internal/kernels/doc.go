// Package kernels is cocotrain's compute core: SGEMM (plain, with A packed
// once, and fused with im2col for convolutions), im2col/col2im, Winograd
// transforms, depthwise convolution, the per-plane batch-norm/activation
// and fused pooling loops, and the vector loops the layers use. Every
// routine has a pure-Go reference; assembly paths (AVX-512 and AVX2+FMA on
// amd64, NEON on arm64) sit beside it, and one path is chosen at start-up
// from the CPU's features and COCOTRAIN_KERNELS (build tag noasm forces the
// pure-Go paths). The files of each family start with its name (gemm,
// conv, winograd, depthwise, plane, pool, vec; isa for the dispatch);
// docs/kernels.md lists them.
package kernels
