//go:build !noasm

package kernels

import "unsafe"

// The NEON Winograd loops (winograd_neon_arm64.s, generator
// internal/kernels/_asm/winograd_neon.go), F(2×2, 3×3) and (…4…)
// F(4×4, 3×3), 4 tiles per vector, on raw pointers, contracts as
// winoAsmLoops: the row loops take n ≥ 1 tiles and the stride of the block
// matrix's streams, the column loops nt ≥ 1 tiles of rows ≥ 1 tile rows of
// a w × hgt plane.

//go:noescape
func winoRowsInNEON(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsOutNEON(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsOutGradNEON(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsInGradNEON(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsIn4NEON(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsOut4NEON(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsOutGrad4NEON(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsInGrad4NEON(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoColsInNEON(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOutNEON(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOutGradNEON(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsInGradNEON(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsIn4NEON(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOut4NEON(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOutGrad4NEON(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsInGrad4NEON(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

// winoNEONLoops are the NEON loops by tile size (m = 2, 4), for any row
// length.
var winoNEONLoops = [2]winoAsmLoops{
	{cols: [4]winoColLoop{winoColsInNEON, winoColsOutNEON, winoColsOutGradNEON, winoColsInGradNEON},
		rows: [4]winoRowLoop{winoRowsInNEON, winoRowsOutNEON, winoRowsOutGradNEON, winoRowsInGradNEON}},
	{cols: [4]winoColLoop{winoColsIn4NEON, winoColsOut4NEON, winoColsOutGrad4NEON, winoColsInGrad4NEON},
		rows: [4]winoRowLoop{winoRowsIn4NEON, winoRowsOut4NEON, winoRowsOutGrad4NEON, winoRowsInGrad4NEON}},
}

// winoNEON runs the transforms' loops in NEON assembly.
var winoNEON = winoImpl{name: "neon", asm: func(m, nt int) *winoAsmLoops { return &winoNEONLoops[m/4] }}

// winoImpls lists the Winograd transform implementations this CPU runs,
// best first.
func winoImpls() []winoImpl {
	if hasNEON {
		return []winoImpl{winoNEON, winoGo}
	}
	return []winoImpl{winoGo}
}
