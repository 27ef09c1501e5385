//go:build !noasm

package kernels

import "unsafe"

// The AVX2+FMA Winograd loops (winograd_avx2_amd64.s, generator
// internal/kernels/_asm/winograd_avx2.go), F(2×2, 3×3) and (name …4…)
// F(4×4, 3×3), on raw pointers, contracts as winoAsmLoops: the row loops
// take n ≥ 1 tiles and the stride of the block matrix's streams, the
// column loops nt ≥ 1 tiles of rows ≥ 1 tile rows of a w × hgt plane; no
// short-row variants.

//go:noescape
func winoRowsInAVX2(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsOutAVX2(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsOutGradAVX2(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsInGradAVX2(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsIn4AVX2(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsOut4AVX2(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsOutGrad4AVX2(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsInGrad4AVX2(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoColsInAVX2(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOutAVX2(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOutGradAVX2(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsInGradAVX2(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsIn4AVX2(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOut4AVX2(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOutGrad4AVX2(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsInGrad4AVX2(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)
