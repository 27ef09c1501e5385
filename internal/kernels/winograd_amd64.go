//go:build !noasm

package kernels

import "unsafe"

// The AVX-512 Winograd loops (winograd_avx512_amd64.s, generator
// internal/kernels/_asm/winograd.go) on raw pointers, contracts as the
// methods of winoImpl: the row loops take n ≥ 1 tiles and the stride of the
// block matrix's streams, the column loops nt ≥ 1 tiles and an image row
// of w columns (w = 0: none, all zeros) from column c0 on.

//go:noescape
func winoRowsInAVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsOutAVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsOutGradAVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsInGradAVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoColsInAVX512(h, row unsafe.Pointer, c0, nt, w int)

//go:noescape
func winoColsOutAVX512(row, h unsafe.Pointer, c0, nt, w int)

//go:noescape
func winoColsOutGradAVX512(h, row unsafe.Pointer, c0, nt, w int)

//go:noescape
func winoColsInGradAVX512(row, h unsafe.Pointer, c0, nt, w int)

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

// rowPtr is the address of row[0] and the row's length, or some valid
// address and 0 for a nil row.
func rowPtr(row, other []float32) (unsafe.Pointer, int) {
	if len(row) == 0 {
		return unsafe.Pointer(&other[0]), 0
	}
	return unsafe.Pointer(&row[0]), len(row)
}

func (k winoImpl) colsIn(h, row []float32, c0, nt int) {
	if !k.avx512 {
		colsInGo(h, row, c0, nt)
		return
	}
	h = h[:3*winoQ+nt]
	p, w := rowPtr(row, h)
	winoColsInAVX512(unsafe.Pointer(&h[0]), p, c0, nt, w)
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

func (k winoImpl) colsOut(row, h []float32, c0, nt int) {
	if !k.avx512 {
		colsOutGo(row, h, c0, nt)
		return
	}
	h = h[:3*winoQ+nt]
	p, w := rowPtr(row, h)
	winoColsOutAVX512(p, unsafe.Pointer(&h[0]), c0, nt, w)
}

func (k winoImpl) colsOutGrad(h, row []float32, c0, nt int) {
	if !k.avx512 {
		colsOutGradGo(h, row, c0, nt)
		return
	}
	h = h[:3*winoQ+nt]
	p, w := rowPtr(row, h)
	winoColsOutGradAVX512(unsafe.Pointer(&h[0]), p, c0, nt, w)
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

func (k winoImpl) colsInGrad(row, h []float32, c0, nt int) {
	if !k.avx512 {
		colsInGradGo(row, h, c0, nt)
		return
	}
	h = h[:3*winoQ+nt]
	p, w := rowPtr(row, h)
	winoColsInGradAVX512(p, unsafe.Pointer(&h[0]), c0, nt, w)
}
