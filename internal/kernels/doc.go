// Package kernels is cocotrain's compute core: SGEMM, im2col/col2im and the
// vector loops the layers use. Every routine has a pure-Go reference; SIMD
// assembly paths sit beside it and are chosen at run time by CPU feature
// (build tag noasm forces the pure-Go paths).
package kernels
