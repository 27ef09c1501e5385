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

// The AVX2 Winograd loops (winograd_avx2_amd64.s, generator
// internal/kernels/_asm/winograd_avx2.go), F(2×2, 3×3) and (…4…)
// F(4×4, 3×3), same contracts; no short-row variants.

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

// winoAVX512Loops are the AVX-512 loops by tile size (m = 2, 4) and tile
// row length (4 tiles, 8 tiles, any other).
var winoAVX512Loops = [2][3]winoAsmLoops{
	{
		{cols: [4]winoColLoop{winoColsIn2x4AVX512, winoColsOut2x4AVX512, winoColsOutGrad2x4AVX512, winoColsInGrad2x4AVX512},
			rows: winoRowsAVX512[0]},
		{cols: [4]winoColLoop{winoColsIn2x8AVX512, winoColsOut2x8AVX512, winoColsOutGrad2x8AVX512, winoColsInGrad2x8AVX512},
			rows: winoRowsAVX512[0]},
		{cols: [4]winoColLoop{winoColsInAVX512, winoColsOutAVX512, winoColsOutGradAVX512, winoColsInGradAVX512},
			rows: winoRowsAVX512[0]},
	},
	{
		{cols: [4]winoColLoop{winoColsIn4x4AVX512, winoColsOut4x4AVX512, winoColsOutGrad4x4AVX512, winoColsInGrad4x4AVX512},
			rows: winoRowsAVX512[1]},
		{cols: [4]winoColLoop{winoColsIn4x8AVX512, winoColsOut4x8AVX512, winoColsOutGrad4x8AVX512, winoColsInGrad4x8AVX512},
			rows: winoRowsAVX512[1]},
		{cols: [4]winoColLoop{winoColsIn4AVX512, winoColsOut4AVX512, winoColsOutGrad4AVX512, winoColsInGrad4AVX512},
			rows: winoRowsAVX512[1]},
	},
}

// winoRowsAVX512 are the AVX-512 row loops by tile size, by direction.
var winoRowsAVX512 = [2][4]winoRowLoop{
	{winoRowsInAVX512, winoRowsOutAVX512, winoRowsOutGradAVX512, winoRowsInGradAVX512},
	{winoRowsIn4AVX512, winoRowsOut4AVX512, winoRowsOutGrad4AVX512, winoRowsInGrad4AVX512},
}

// winoAVX2Loops are the AVX2 loops by tile size (m = 2, 4), for any row
// length.
var winoAVX2Loops = [2]winoAsmLoops{
	{cols: [4]winoColLoop{winoColsInAVX2, winoColsOutAVX2, winoColsOutGradAVX2, winoColsInGradAVX2},
		rows: [4]winoRowLoop{winoRowsInAVX2, winoRowsOutAVX2, winoRowsOutGradAVX2, winoRowsInGradAVX2}},
	{cols: [4]winoColLoop{winoColsIn4AVX2, winoColsOut4AVX2, winoColsOutGrad4AVX2, winoColsInGrad4AVX2},
		rows: [4]winoRowLoop{winoRowsIn4AVX2, winoRowsOut4AVX2, winoRowsOutGrad4AVX2, winoRowsInGrad4AVX2}},
}

// winoAVX512 and winoAVX2 run the transforms' loops in assembly.
var (
	winoAVX512 = winoImpl{name: "avx512", asm: func(m, nt int) *winoAsmLoops {
		shape := 2
		switch nt {
		case 4:
			shape = 0
		case 8:
			shape = 1
		}
		return &winoAVX512Loops[m/4][shape]
	}}
	winoAVX2 = winoImpl{name: "avx2", asm: func(m, nt int) *winoAsmLoops { return &winoAVX2Loops[m/4] }}
)

// winoImpls lists the Winograd transform implementations this CPU runs,
// best first.
func winoImpls() []winoImpl {
	var impls []winoImpl
	if hasAVX512 {
		impls = append(impls, winoAVX512)
	}
	if hasAVX2 {
		impls = append(impls, winoAVX2)
	}
	return append(impls, winoGo)
}
