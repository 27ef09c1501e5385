//go:build !noasm

package kernels

import "unsafe"

// The AVX-512 Winograd loops (winograd_avx512_amd64.s, generator
// internal/kernels/_asm/winograd.go) on raw pointers, contracts as the
// methods of winoImpl: the row loops take n ≥ 1 tiles and the stride of the
// block matrix's streams, the column loops nt ≥ 1 tiles.

//go:noescape
func winoRowsInAVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsOutAVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsOutGradAVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoRowsInGradAVX512(dst, src unsafe.Pointer, stride, n int)

//go:noescape
func winoColsInAVX512(h, p unsafe.Pointer, nt int)

//go:noescape
func winoColsOutAVX512(p, h unsafe.Pointer, nt int)

//go:noescape
func winoColsOutGradAVX512(h, p unsafe.Pointer, nt int)

//go:noescape
func winoColsInGradAVX512(p, h unsafe.Pointer, nt int)

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

// The slice bounds below cover every float the loops touch: masked lanes
// past the end are never accessed, whole vectors of p are.

func (k winoImpl) colsIn(h, p []float32, nt int) {
	if !k.avx512 {
		colsInGo(h, p, nt)
		return
	}
	h, p = h[:3*winoQ+nt], p[:2*nt+32]
	winoColsInAVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&p[0]), nt)
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

func (k winoImpl) colsOut(p, h []float32, nt int) {
	if !k.avx512 {
		colsOutGo(p, h, nt)
		return
	}
	p, h = p[:(nt+15)/16*32], h[:3*winoQ+nt]
	winoColsOutAVX512(unsafe.Pointer(&p[0]), unsafe.Pointer(&h[0]), nt)
}

func (k winoImpl) colsOutGrad(h, p []float32, nt int) {
	if !k.avx512 {
		colsOutGradGo(h, p, nt)
		return
	}
	h, p = h[:3*winoQ+nt], p[:(nt+15)/16*32]
	winoColsOutGradAVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&p[0]), nt)
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

func (k winoImpl) colsInGrad(p, h []float32, nt int) {
	if !k.avx512 {
		colsInGradGo(p, h, nt)
		return
	}
	p, h = p[:(nt+16)/16*32], h[:3*winoQ+nt]
	winoColsInGradAVX512(unsafe.Pointer(&p[0]), unsafe.Pointer(&h[0]), nt)
}
