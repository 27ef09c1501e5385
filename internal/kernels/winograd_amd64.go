//go:build !noasm

package kernels

import "unsafe"

// The AVX-512 Winograd loops (winograd_avx512_amd64.s, generators
// internal/kernels/_asm/winograd*.go), F(2×2, 3×3) and (name …4…)
// F(4×4, 3×3) (…2x4…, …2x8…, …4x4…, …4x8…: for tile rows of 4 and 8
// tiles), on raw pointers, contracts as the
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

// winoAVX512 and winoAVX2 run the transforms' loops in assembly.
var (
	winoAVX512 = winoImpl{name: "avx512", isa: winoAVX512Loops}
	winoAVX2   = winoImpl{name: "avx2", isa: winoAVX2Loops}
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

// The slice bounds below cover every float the loops touch: lanes off the
// masks (past nt, outside the row) are never accessed. With n = m+2, the
// scratch holds n·n streams (n·m on the output side), the block matrices
// n·n.

func (k winoImpl) colsIn(tf *winoTf, h, plane []float32, H, W, y0, rows, c0, nt int) {
	if k.isa == winoPureGo {
		colsInGo(tf, h, plane, H, W, y0, rows, c0, nt)
		return
	}
	n := tf.m + 2
	h, plane = h[:(n*n-1)*winoQ+rows*nt], plane[:H*W]
	switch {
	case k.isa == winoAVX2Loops && tf.m == 4:
		winoColsIn4AVX2(unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0]), c0, nt, W, H, y0, rows)
	case k.isa == winoAVX2Loops:
		winoColsInAVX2(unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0]), c0, nt, W, H, y0, rows)
	case tf.m == 4 && nt == 4:
		winoColsIn4x4AVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0]), c0, nt, W, H, y0, rows)
	case tf.m == 4 && nt == 8:
		winoColsIn4x8AVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0]), c0, nt, W, H, y0, rows)
	case tf.m == 4:
		winoColsIn4AVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0]), c0, nt, W, H, y0, rows)
	case nt == 4:
		winoColsIn2x4AVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0]), c0, nt, W, H, y0, rows)
	case nt == 8:
		winoColsIn2x8AVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0]), c0, nt, W, H, y0, rows)
	default:
		winoColsInAVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0]), c0, nt, W, H, y0, rows)
	}
}

func (k winoImpl) colsOut(tf *winoTf, plane, h []float32, H, W, y0, rows, c0, nt int) {
	if k.isa == winoPureGo {
		colsOutGo(tf, plane, h, H, W, y0, rows, c0, nt)
		return
	}
	n := tf.m + 2
	h, plane = h[:(n*tf.m-1)*winoQ+rows*nt], plane[:H*W]
	switch {
	case k.isa == winoAVX2Loops && tf.m == 4:
		winoColsOut4AVX2(unsafe.Pointer(&plane[0]), unsafe.Pointer(&h[0]), c0, nt, W, H, y0, rows)
	case k.isa == winoAVX2Loops:
		winoColsOutAVX2(unsafe.Pointer(&plane[0]), unsafe.Pointer(&h[0]), c0, nt, W, H, y0, rows)
	case tf.m == 4 && nt == 4:
		winoColsOut4x4AVX512(unsafe.Pointer(&plane[0]), unsafe.Pointer(&h[0]), c0, nt, W, H, y0, rows)
	case tf.m == 4 && nt == 8:
		winoColsOut4x8AVX512(unsafe.Pointer(&plane[0]), unsafe.Pointer(&h[0]), c0, nt, W, H, y0, rows)
	case tf.m == 4:
		winoColsOut4AVX512(unsafe.Pointer(&plane[0]), unsafe.Pointer(&h[0]), c0, nt, W, H, y0, rows)
	case nt == 4:
		winoColsOut2x4AVX512(unsafe.Pointer(&plane[0]), unsafe.Pointer(&h[0]), c0, nt, W, H, y0, rows)
	case nt == 8:
		winoColsOut2x8AVX512(unsafe.Pointer(&plane[0]), unsafe.Pointer(&h[0]), c0, nt, W, H, y0, rows)
	default:
		winoColsOutAVX512(unsafe.Pointer(&plane[0]), unsafe.Pointer(&h[0]), c0, nt, W, H, y0, rows)
	}
}

func (k winoImpl) colsOutGrad(tf *winoTf, h, plane []float32, H, W, y0, rows, c0, nt int) {
	if k.isa == winoPureGo {
		colsOutGradGo(tf, h, plane, H, W, y0, rows, c0, nt)
		return
	}
	n := tf.m + 2
	h, plane = h[:(n*tf.m-1)*winoQ+rows*nt], plane[:H*W]
	switch {
	case k.isa == winoAVX2Loops && tf.m == 4:
		winoColsOutGrad4AVX2(unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0]), c0, nt, W, H, y0, rows)
	case k.isa == winoAVX2Loops:
		winoColsOutGradAVX2(unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0]), c0, nt, W, H, y0, rows)
	case tf.m == 4 && nt == 4:
		winoColsOutGrad4x4AVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0]), c0, nt, W, H, y0, rows)
	case tf.m == 4 && nt == 8:
		winoColsOutGrad4x8AVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0]), c0, nt, W, H, y0, rows)
	case tf.m == 4:
		winoColsOutGrad4AVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0]), c0, nt, W, H, y0, rows)
	case nt == 4:
		winoColsOutGrad2x4AVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0]), c0, nt, W, H, y0, rows)
	case nt == 8:
		winoColsOutGrad2x8AVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0]), c0, nt, W, H, y0, rows)
	default:
		winoColsOutGradAVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0]), c0, nt, W, H, y0, rows)
	}
}

func (k winoImpl) colsInGrad(tf *winoTf, plane, h []float32, H, W, y0, rows, c0, nt int) {
	if k.isa == winoPureGo {
		colsInGradGo(tf, plane, h, H, W, y0, rows, c0, nt)
		return
	}
	n := tf.m + 2
	h, plane = h[:(n*n-1)*winoQ+rows*nt], plane[:H*W]
	switch {
	case k.isa == winoAVX2Loops && tf.m == 4:
		winoColsInGrad4AVX2(unsafe.Pointer(&plane[0]), unsafe.Pointer(&h[0]), c0, nt, W, H, y0, rows)
	case k.isa == winoAVX2Loops:
		winoColsInGradAVX2(unsafe.Pointer(&plane[0]), unsafe.Pointer(&h[0]), c0, nt, W, H, y0, rows)
	case tf.m == 4 && nt == 4:
		winoColsInGrad4x4AVX512(unsafe.Pointer(&plane[0]), unsafe.Pointer(&h[0]), c0, nt, W, H, y0, rows)
	case tf.m == 4 && nt == 8:
		winoColsInGrad4x8AVX512(unsafe.Pointer(&plane[0]), unsafe.Pointer(&h[0]), c0, nt, W, H, y0, rows)
	case tf.m == 4:
		winoColsInGrad4AVX512(unsafe.Pointer(&plane[0]), unsafe.Pointer(&h[0]), c0, nt, W, H, y0, rows)
	case nt == 4:
		winoColsInGrad2x4AVX512(unsafe.Pointer(&plane[0]), unsafe.Pointer(&h[0]), c0, nt, W, H, y0, rows)
	case nt == 8:
		winoColsInGrad2x8AVX512(unsafe.Pointer(&plane[0]), unsafe.Pointer(&h[0]), c0, nt, W, H, y0, rows)
	default:
		winoColsInGradAVX512(unsafe.Pointer(&plane[0]), unsafe.Pointer(&h[0]), c0, nt, W, H, y0, rows)
	}
}

func (k winoImpl) rowsIn(tf *winoTf, v []float32, stride int, h []float32, cnt int) {
	if k.isa == winoPureGo {
		rowsInGo(tf, v, stride, h, cnt)
		return
	}
	n := tf.m + 2
	v, h = v[:(n*n-1)*stride+cnt], h[:(n*n-1)*winoQ+cnt]
	switch {
	case k.isa == winoAVX2Loops && tf.m == 4:
		winoRowsIn4AVX2(unsafe.Pointer(&v[0]), unsafe.Pointer(&h[0]), stride, cnt)
	case k.isa == winoAVX2Loops:
		winoRowsInAVX2(unsafe.Pointer(&v[0]), unsafe.Pointer(&h[0]), stride, cnt)
	case tf.m == 4:
		winoRowsIn4AVX512(unsafe.Pointer(&v[0]), unsafe.Pointer(&h[0]), stride, cnt)
	default:
		winoRowsInAVX512(unsafe.Pointer(&v[0]), unsafe.Pointer(&h[0]), stride, cnt)
	}
}

func (k winoImpl) rowsOut(tf *winoTf, h, m []float32, stride, cnt int) {
	if k.isa == winoPureGo {
		rowsOutGo(tf, h, m, stride, cnt)
		return
	}
	n := tf.m + 2
	h, m = h[:(n*tf.m-1)*winoQ+cnt], m[:(n*n-1)*stride+cnt]
	switch {
	case k.isa == winoAVX2Loops && tf.m == 4:
		winoRowsOut4AVX2(unsafe.Pointer(&h[0]), unsafe.Pointer(&m[0]), stride, cnt)
	case k.isa == winoAVX2Loops:
		winoRowsOutAVX2(unsafe.Pointer(&h[0]), unsafe.Pointer(&m[0]), stride, cnt)
	case tf.m == 4:
		winoRowsOut4AVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&m[0]), stride, cnt)
	default:
		winoRowsOutAVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&m[0]), stride, cnt)
	}
}

func (k winoImpl) rowsOutGrad(tf *winoTf, dm []float32, stride int, h []float32, cnt int) {
	if k.isa == winoPureGo {
		rowsOutGradGo(tf, dm, stride, h, cnt)
		return
	}
	n := tf.m + 2
	dm, h = dm[:(n*n-1)*stride+cnt], h[:(n*tf.m-1)*winoQ+cnt]
	switch {
	case k.isa == winoAVX2Loops && tf.m == 4:
		winoRowsOutGrad4AVX2(unsafe.Pointer(&dm[0]), unsafe.Pointer(&h[0]), stride, cnt)
	case k.isa == winoAVX2Loops:
		winoRowsOutGradAVX2(unsafe.Pointer(&dm[0]), unsafe.Pointer(&h[0]), stride, cnt)
	case tf.m == 4:
		winoRowsOutGrad4AVX512(unsafe.Pointer(&dm[0]), unsafe.Pointer(&h[0]), stride, cnt)
	default:
		winoRowsOutGradAVX512(unsafe.Pointer(&dm[0]), unsafe.Pointer(&h[0]), stride, cnt)
	}
}

func (k winoImpl) rowsInGrad(tf *winoTf, h, dv []float32, stride, cnt int) {
	if k.isa == winoPureGo {
		rowsInGradGo(tf, h, dv, stride, cnt)
		return
	}
	n := tf.m + 2
	h, dv = h[:(n*n-1)*winoQ+cnt], dv[:(n*n-1)*stride+cnt]
	switch {
	case k.isa == winoAVX2Loops && tf.m == 4:
		winoRowsInGrad4AVX2(unsafe.Pointer(&h[0]), unsafe.Pointer(&dv[0]), stride, cnt)
	case k.isa == winoAVX2Loops:
		winoRowsInGradAVX2(unsafe.Pointer(&h[0]), unsafe.Pointer(&dv[0]), stride, cnt)
	case tf.m == 4:
		winoRowsInGrad4AVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&dv[0]), stride, cnt)
	default:
		winoRowsInGradAVX512(unsafe.Pointer(&h[0]), unsafe.Pointer(&dv[0]), stride, cnt)
	}
}
