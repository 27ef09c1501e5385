//go:build !noasm

package kernels

import "unsafe"

// The AVX-512 3×3 depthwise kernels (depthwise_avx512_amd64.s, contracts in
// the generator internal/kernels/_asm/depthwise_avx512.go) on raw pointers: c ≥ 1
// planes of h×wd inputs and oh×ow outputs, and the lane masks of the last
// 16-float vector of a row (dwMasksS1, dwMasksS2).

//go:noescape
func dwConv3s1AVX512(out, in, w unsafe.Pointer, c, h, wd, oh, ow int, l1, l2, l3 uint16)

//go:noescape
func dwConv3s1AccAVX512(out, in, w unsafe.Pointer, c, h, wd, oh, ow int, l1, l2, l3 uint16)

//go:noescape
func dwConv3s2AVX512(out, in, w unsafe.Pointer, c, h, wd, oh, ow int, l1, l2, l3 uint16)

//go:noescape
func dwGrad3s1AVX512(dw, dy, in unsafe.Pointer, h, wd, oh, ow int, l1, l2, l3 uint16)

//go:noescape
func dwGrad3s2AVX512(dw, dy, in unsafe.Pointer, h, wd, oh, ow int, l1, l2, l3 uint16)

//go:noescape
func dwBack3s2AVX512(dIn, dy, w unsafe.Pointer, h, wd, oh, ow int, l1, l2, l3, l4 uint16)

//go:noescape
func dwBack3s2AccAVX512(dIn, dy, w unsafe.Pointer, h, wd, oh, ow int, l1, l2, l3, l4 uint16)

// dwLanes returns the mask of the first n lanes of a 16-float vector (n is
// clamped to 0 … 16).
func dwLanes(n int) uint16 { return lanes(min(n, 16)) }

// dwMasksS1 returns the masks of the last vector of a stride-1 row of width
// wd: the lanes whose left tap, output and right tap are inside the row.
func dwMasksS1(wd int) (left, out, right uint16) {
	x0 := (wd - 1) &^ 15
	out = dwLanes(wd - x0)
	left = out
	if x0 == 0 {
		left &^= 1
	}
	return left, out, out >> 1
}

// dwMasksS2 returns the masks of the last vector of a stride-2 output row of
// width ow over an input row of width wd: input columns 2x0 … 2x0+15 and
// 2x0+16 … 2x0+31 inside the row (x0 the vector's first output), outputs x
// and x+1 inside the output row.
func dwMasksS2(wd, ow int) (inLo, inHi, out, out1 uint16) {
	x0 := (ow - 1) &^ 15
	rem := wd - 2*x0
	return dwLanes(rem), dwLanes(rem - 16), dwLanes(ow - x0), dwLanes(ow - x0 - 1)
}

// dwAVX512 runs the 3×3 depthwise convolutions on the AVX-512 kernels.
var dwAVX512 = dwImpl{name: "avx512", conv3: dwConv3AVX512, back3: dwBack3AVX512}

func dwConv3AVX512(out, in, weight []float32, g ConvGeom) {
	oh, ow := g.OutH(), g.OutW()
	_, _, _ = out[g.C*oh*ow-1], in[g.C*g.H*g.W-1], weight[g.C*9-1]
	o, i, w := unsafe.Pointer(&out[0]), unsafe.Pointer(&in[0]), unsafe.Pointer(&weight[0])
	if g.SW == 1 {
		l, c, r := dwMasksS1(g.W)
		dwConv3s1AVX512(o, i, w, g.C, g.H, g.W, oh, ow, l, c, r)
		return
	}
	lo, hi, m, _ := dwMasksS2(g.W, ow)
	dwConv3s2AVX512(o, i, w, g.C, g.H, g.W, oh, ow, lo, hi, m)
}

func dwBack3AVX512(dIn, dW, dOut, in, weight []float32, g ConvGeom, accIn bool) {
	checkBack3(dIn, dW, dOut, in, weight, g)
	oh, ow := g.OutH(), g.OutW()
	hw, ohw := g.H*g.W, oh*ow
	l, m, r := dwMasksS1(g.W)
	lo, hi, m2, m21 := dwMasksS2(g.W, ow)
	for c := 0; c < g.C; c++ {
		dy, x := unsafe.Pointer(&dOut[c*ohw]), unsafe.Pointer(&in[c*hw])
		dw := unsafe.Pointer(&dW[c*9])
		if g.SW == 1 {
			dwGrad3s1AVX512(dw, dy, x, g.H, g.W, oh, ow, l, m, r)
		} else {
			dwGrad3s2AVX512(dw, dy, x, g.H, g.W, oh, ow, lo, hi, m2)
		}
		if dIn == nil {
			continue
		}
		dx, w := unsafe.Pointer(&dIn[c*hw]), weight[c*9:(c+1)*9]
		switch {
		case g.SW == 2 && accIn:
			dwBack3s2AccAVX512(dx, dy, unsafe.Pointer(&w[0]), g.H, g.W, oh, ow, m2, m21, lo, hi)
		case g.SW == 2:
			dwBack3s2AVX512(dx, dy, unsafe.Pointer(&w[0]), g.H, g.W, oh, ow, m2, m21, lo, hi)
		default:
			// The input gradient of a stride-1 padding-1 correlation is
			// the same correlation of dy with the flipped filter.
			flip := [9]float32{w[8], w[7], w[6], w[5], w[4], w[3], w[2], w[1], w[0]}
			f := unsafe.Pointer(&flip[0])
			if accIn {
				dwConv3s1AccAVX512(dx, dy, f, 1, g.H, g.W, oh, ow, l, m, r)
			} else {
				dwConv3s1AVX512(dx, dy, f, 1, g.H, g.W, oh, ow, l, m, r)
			}
		}
	}
}

// dwImpls lists the 3×3 depthwise implementations this CPU runs, best first.
func dwImpls() []dwImpl {
	var impls []dwImpl
	if hasAVX512 {
		impls = append(impls, dwAVX512)
	}
	if hasAVX2 {
		impls = append(impls, dwAVX2)
	}
	return append(impls, dwGo)
}
