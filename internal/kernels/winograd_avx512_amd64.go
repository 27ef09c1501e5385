//go:build !noasm

package kernels

import "unsafe"

// The AVX-512 Winograd loops (winograd_avx512_amd64.s, generators
// internal/kernels/_asm/winograd*.go), F(2×2, 3×3) and (name …4…)
// F(4×4, 3×3) (…2x4…, …2x8…, …4x4…, …4x8…: for tile rows of 4 and 8
// tiles), on raw pointers, contracts as winoAsmLoops: the row loops take
// n ≥ 1 tiles and the stride of the block matrix's streams, the column
// loops nt ≥ 1 tiles of rows ≥ 1 tile rows of a w × hgt plane.

//go:noescape
func winoRowsInAVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsOutAVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsOutGradAVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsInGradAVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsIn4AVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsOut4AVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsOutGrad4AVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsInGrad4AVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoColsIn4AVX512(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOut4AVX512(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOutGrad4AVX512(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsInGrad4AVX512(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsIn4x4AVX512(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOut4x4AVX512(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOutGrad4x4AVX512(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsIn4x8AVX512(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOut4x8AVX512(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOutGrad4x8AVX512(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsInGrad4x4AVX512(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsInGrad4x8AVX512(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsIn2x4AVX512(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOut2x4AVX512(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOutGrad2x4AVX512(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsInGrad2x4AVX512(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsIn2x8AVX512(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOut2x8AVX512(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOutGrad2x8AVX512(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsInGrad2x8AVX512(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsInAVX512(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOutAVX512(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOutGradAVX512(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsInGradAVX512(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)
