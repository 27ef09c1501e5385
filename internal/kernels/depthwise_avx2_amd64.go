//go:build !noasm

package kernels

import "unsafe"

// The AVX2+FMA 3×3 depthwise kernels (depthwise_avx2_amd64.s, contracts in
// the generator internal/kernels/_asm/depthwise_avx2.go) on raw pointers:
// c ≥ 1 planes of h×wd inputs and oh×ow outputs, m, the lane masks of the
// first and the last strip of 8 columns (dwMasksAVX2), and the prefetch
// distances in bytes (dwPrefetch).

//go:noescape
func dwConv3s1AVX2(out, in, w, m unsafe.Pointer, c, h, wd, pf int)

//go:noescape
func dwConv3s1AccAVX2(out, in, w, m unsafe.Pointer, c, h, wd, pf int)

//go:noescape
func dwConv3s2AVX2(out, in, w, m unsafe.Pointer, c, h, wd, oh, ow, pfIn, pfOut int)

//go:noescape
func dwGrad3s1AVX2(dw, dy, in, m unsafe.Pointer, h, wd, pf int)

//go:noescape
func dwGrad3s2AVX2(dw, dy, in, m unsafe.Pointer, h, wd, oh, ow, pfIn, pfOut int)

//go:noescape
func dwBack3s2AVX2(dIn, dy, w, m unsafe.Pointer, h, wd, oh, ow, pfIn, pfOut int)

//go:noescape
func dwBack3s2AccAVX2(dIn, dy, w, m unsafe.Pointer, h, wd, oh, ow, pfIn, pfOut int)

// dwPrefetch returns the prefetch distance for planes of n bytes: the
// smallest whole number of planes of at least 1 KB (the next plane of a
// 7×7 or 14×14 plane is too close for its lines to arrive in time).
func dwPrefetch(n int) int {
	d := n
	for d < 1024 {
		d += n
	}
	return d
}

// dwMasksAVX2 holds the VMASKMOVPS lane masks of one kernel: the set of
// the first strip of 8 columns, then the set of the last, each k masks of
// 8 int32 lanes (k ≤ 5).
type dwMasksAVX2 [2 * 5 * 8]int32

// set fills the masks for a row of ow outputs (or dy columns) in strips of
// 8: in the set of the strip at x0, lane l of mask i is set when
// cols[i][0]·x0 + cols[i][1] + l lies in [0, cols[i][2]).
func (m *dwMasksAVX2) set(ow int, cols ...[3]int) unsafe.Pointer {
	k := len(cols)
	for s, x0 := range [2]int{0, (ow - 1) &^ 7} {
		for i, c := range cols {
			base := c[0]*x0 + c[1]
			for l := 0; l < 8; l++ {
				var v int32
				if p := base + l; p >= 0 && p < c[2] {
					v = -1
				}
				m[(s*k+i)*8+l] = v
			}
		}
	}
	return unsafe.Pointer(&m[0])
}

// s1 fills the stride-1 masks (left, centre and right taps; the centre
// mask is also the output mask) of a row of wd floats.
func (m *dwMasksAVX2) s1(wd int) unsafe.Pointer {
	return m.set(wd, [3]int{1, -1, wd}, [3]int{1, 0, wd}, [3]int{1, 1, wd})
}

// s2 fills the stride-2 forward and filter-gradient masks: input columns
// 2x0−1…, 2x0+7…, 2x0…, 2x0+8… of a row of wd floats and outputs x0… of
// ow.
func (m *dwMasksAVX2) s2(wd, ow int) unsafe.Pointer {
	return m.set(ow, [3]int{2, -1, wd}, [3]int{2, 7, wd}, [3]int{2, 0, wd}, [3]int{2, 8, wd}, [3]int{1, 0, ow})
}

// back2 fills the stride-2 input-gradient masks: dy columns x0… and
// x0+1… of ow, dIn columns 2x0… and 2x0+8… of wd.
func (m *dwMasksAVX2) back2(wd, ow int) unsafe.Pointer {
	return m.set(ow, [3]int{1, 0, ow}, [3]int{1, 1, ow}, [3]int{2, 0, wd}, [3]int{2, 8, wd})
}

// dwAVX2 runs the 3×3 depthwise convolutions on the AVX2 kernels.
var dwAVX2 = dwImpl{name: "avx2", conv3: dwConv3AVX2, back3: dwBack3AVX2}

func dwConv3AVX2(out, in, weight []float32, g ConvGeom) {
	oh, ow := g.OutH(), g.OutW()
	_, _, _ = out[g.C*oh*ow-1], in[g.C*g.H*g.W-1], weight[g.C*9-1]
	o, i, w := unsafe.Pointer(&out[0]), unsafe.Pointer(&in[0]), unsafe.Pointer(&weight[0])
	var m dwMasksAVX2
	pfIn, pfOut := dwPrefetch(4*g.H*g.W), dwPrefetch(4*oh*ow)
	if g.SW == 1 {
		dwConv3s1AVX2(o, i, w, m.s1(g.W), g.C, g.H, g.W, pfIn)
		return
	}
	dwConv3s2AVX2(o, i, w, m.s2(g.W, ow), g.C, g.H, g.W, oh, ow, pfIn, pfOut)
}

func dwBack3AVX2(dIn, dW, dOut, in, weight []float32, g ConvGeom, accIn bool) {
	checkBack3(dIn, dW, dOut, in, weight, g)
	oh, ow := g.OutH(), g.OutW()
	hw, ohw := g.H*g.W, oh*ow
	pfIn, pfOut := dwPrefetch(4*hw), dwPrefetch(4*ohw)
	var gm, bm dwMasksAVX2
	var gp, bp unsafe.Pointer
	if g.SW == 1 {
		gp = gm.s1(g.W)
	} else {
		gp, bp = gm.s2(g.W, ow), bm.back2(g.W, ow)
	}
	for c := 0; c < g.C; c++ {
		dy, x := unsafe.Pointer(&dOut[c*ohw]), unsafe.Pointer(&in[c*hw])
		dw := unsafe.Pointer(&dW[c*9])
		if g.SW == 1 {
			dwGrad3s1AVX2(dw, dy, x, gp, g.H, g.W, pfIn)
		} else {
			dwGrad3s2AVX2(dw, dy, x, gp, g.H, g.W, oh, ow, pfIn, pfOut)
		}
		if dIn == nil {
			continue
		}
		dx, w := unsafe.Pointer(&dIn[c*hw]), weight[c*9:(c+1)*9]
		switch {
		case g.SW == 2 && accIn:
			dwBack3s2AccAVX2(dx, dy, unsafe.Pointer(&w[0]), bp, g.H, g.W, oh, ow, pfIn, pfOut)
		case g.SW == 2:
			dwBack3s2AVX2(dx, dy, unsafe.Pointer(&w[0]), bp, g.H, g.W, oh, ow, pfIn, pfOut)
		default:
			// The input gradient of a stride-1 padding-1 correlation is
			// the same correlation of dy with the flipped filter.
			flip := [9]float32{w[8], w[7], w[6], w[5], w[4], w[3], w[2], w[1], w[0]}
			f := unsafe.Pointer(&flip[0])
			if accIn {
				dwConv3s1AccAVX2(dx, dy, f, gp, 1, g.H, g.W, pfIn)
			} else {
				dwConv3s1AVX2(dx, dy, f, gp, 1, g.H, g.W, pfIn)
			}
		}
	}
}
