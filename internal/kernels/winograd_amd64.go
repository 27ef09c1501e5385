//go:build !noasm

package kernels

import "unsafe"

// The AVX-512 Winograd loops (winograd_avx512_amd64.s, generator
// internal/kernels/_asm/winograd.go) on raw pointers, contracts as the
// methods of winoImpl: the row loops take n ≥ 1 tiles and the stride of the
// block matrix's streams, the column loops nt ≥ 1 tiles of rows ≥ 1 tile
// rows of a w × hgt plane.

//go:noescape
func winoRowsInAVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsOutAVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsOutGradAVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsInGradAVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoColsInAVX512(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOutAVX512(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsOutGradAVX512(h, plane unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

//go:noescape
func winoColsInGradAVX512(plane, h unsafe.Pointer, c0, nt, w, hgt, y0, rows int)

// winoAVX512 runs the transforms' loops in AVX-512 assembly.
var winoAVX512 = winoImpl{name: "avx512", avx512: true}

// winoImpls lists the Winograd transform implementations this CPU runs,
// best first.
func winoImpls() []winoImpl {
	if hasAVX512 {
		return []winoImpl{winoAVX512, winoGo}
	}
	return []winoImpl{winoGo}
}

// The slice bounds below cover every float the loops touch: lanes off the
// masks (past nt, outside the row) are never accessed.

func (k winoImpl) colsIn(h, plane []float32, H, W, y0, rows, c0, nt int) {
	if !k.avx512 {
		colsInGo(h, plane, H, W, y0, rows, c0, nt)
		return
	}
	h, plane = h[:15*winoQ+rows*nt], plane[:H*W]
	winoColsInAVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0]), c0, nt, W, H, y0, rows)
}

func (k winoImpl) colsOut(plane, h []float32, H, W, y0, rows, c0, nt int) {
	if !k.avx512 {
		colsOutGo(plane, h, H, W, y0, rows, c0, nt)
		return
	}
	h, plane = h[:7*winoQ+rows*nt], plane[:H*W]
	winoColsOutAVX512(unsafe.Pointer(&plane[0]), unsafe.Pointer(&h[0]), c0, nt, W, H, y0, rows)
}

func (k winoImpl) colsOutGrad(h, plane []float32, H, W, y0, rows, c0, nt int) {
	if !k.avx512 {
		colsOutGradGo(h, plane, H, W, y0, rows, c0, nt)
		return
	}
	h, plane = h[:7*winoQ+rows*nt], plane[:H*W]
	winoColsOutGradAVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0]), c0, nt, W, H, y0, rows)
}

func (k winoImpl) colsInGrad(plane, h []float32, H, W, y0, rows, c0, nt int) {
	if !k.avx512 {
		colsInGradGo(plane, h, H, W, y0, rows, c0, nt)
		return
	}
	h, plane = h[:15*winoQ+rows*nt], plane[:H*W]
	winoColsInGradAVX512(unsafe.Pointer(&plane[0]), unsafe.Pointer(&h[0]), c0, nt, W, H, y0, rows)
}

func (k winoImpl) rowsIn(v []float32, stride int, h []float32, n int) {
	if !k.avx512 {
		rowsInGo(v, stride, h, n)
		return
	}
	v, h = v[:15*stride+n], h[:15*winoQ+n]
	winoRowsInAVX512(unsafe.Pointer(&v[0]), unsafe.Pointer(&h[0]), stride, n)
}

func (k winoImpl) rowsOut(h, m []float32, stride, n int) {
	if !k.avx512 {
		rowsOutGo(h, m, stride, n)
		return
	}
	h, m = h[:7*winoQ+n], m[:15*stride+n]
	winoRowsOutAVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&m[0]), stride, n)
}

func (k winoImpl) rowsOutGrad(dm []float32, stride int, h []float32, n int) {
	if !k.avx512 {
		rowsOutGradGo(dm, stride, h, n)
		return
	}
	dm, h = dm[:15*stride+n], h[:7*winoQ+n]
	winoRowsOutGradAVX512(unsafe.Pointer(&dm[0]), unsafe.Pointer(&h[0]), stride, n)
}

func (k winoImpl) rowsInGrad(h, dv []float32, stride, n int) {
	if !k.avx512 {
		rowsInGradGo(h, dv, stride, n)
		return
	}
	h, dv = h[:15*winoQ+n], dv[:15*stride+n]
	winoRowsInGradAVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&dv[0]), stride, n)
}
