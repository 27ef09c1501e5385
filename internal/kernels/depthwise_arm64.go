//go:build !noasm

package kernels

import "unsafe"

// The NEON row kernels of the 3×3 depthwise convolutions
// (depthwise_neon_arm64.s, generator _asm/depthwise_neon.go) on raw
// pointers; n is a positive multiple of 4, rj the input row of filter row
// j (a row of zeros for a padding row), w the 9 weights.

// dw3RowS1NEON: out[x] = Σ_j Σ_d w[3j+d]·rj[x+d] for x < n (added to out
// when acc ≠ 0).
//
//go:noescape
func dw3RowS1NEON(out, r0, r1, r2, w unsafe.Pointer, n, acc int)

// dw3RowS2NEON: out[x] = Σ_j Σ_d w[3j+d]·rj[2x+d] for x < n.
//
//go:noescape
func dw3RowS2NEON(out, r0, r1, r2, w unsafe.Pointer, n int)

// dw3GradS1NEON and dw3GradS2NEON: sums[3j+d] += Σ_{x<n} dy[x]·rj[s·x+d].
//
//go:noescape
func dw3GradS1NEON(sums, dy, r0, r1, r2 unsafe.Pointer, n int)

//go:noescape
func dw3GradS2NEON(sums, dy, r0, r1, r2 unsafe.Pointer, n int)

// dw3BackRowS2NEON: p[2x] += w[1]·dy[x], p[2x+1] += w[2]·dy[x] + w[0]·dy[x+1]
// for x < n.
//
//go:noescape
func dw3BackRowS2NEON(p, dy, w unsafe.Pointer, n int)

// dwNEON runs the 3×3 depthwise convolutions on the NEON row kernels.
var dwNEON = dwImpl{name: "neon", conv3: dwConv3NEON, back3: dwBack3NEON}

// dwInterior returns how many 4-output vectors of an output row the row
// kernels compute, starting at output column 1, for input rows of width wd
// (every tap read, VLD2's second lane included, is inside the row).
func dwInterior(wd, stride int) int {
	if stride == 1 {
		return max(wd-2, 0) / 4 // reads columns 0 … 4·nv+1
	}
	return max(wd-3, 0) / 8 // reads columns 1 … 8·nv+2
}

// dwRows returns the three input rows of output row y (zero for padding).
func dwRows(in, zero []float32, y, stride, h, wd int) (rows [3][]float32) {
	for j := range rows {
		if iy := y*stride + j - 1; iy >= 0 && iy < h {
			rows[j] = in[iy*wd : (iy+1)*wd]
		} else {
			rows[j] = zero
		}
	}
	return rows
}

// dwPlane3NEON writes (acc: adds) the 3×3 correlation of one h×wd plane
// with the 9 weights w, padding 1, stride 1 or 2, into the oh×ow plane out.
func dwPlane3NEON(out, in, w, zero []float32, h, wd, oh, ow, stride int, acc bool) {
	nv := dwInterior(wd, stride)
	accFlag := 0
	if acc {
		accFlag = 1
	}
	for y := 0; y < oh; y++ {
		rows := dwRows(in, zero, y, stride, h, wd)
		orow := out[y*ow : (y+1)*ow]
		if nv > 0 {
			o, wp := unsafe.Pointer(&orow[1]), unsafe.Pointer(&w[0])
			if stride == 1 {
				dw3RowS1NEON(o, unsafe.Pointer(&rows[0][0]), unsafe.Pointer(&rows[1][0]), unsafe.Pointer(&rows[2][0]), wp, 4*nv, accFlag)
			} else {
				dw3RowS2NEON(o, unsafe.Pointer(&rows[0][1]), unsafe.Pointer(&rows[1][1]), unsafe.Pointer(&rows[2][1]), wp, 4*nv)
			}
		}
		for x := 0; x < ow; x++ {
			if x == 1 && nv > 0 {
				x += 4*nv - 1
				continue
			}
			var s float32
			for j, r := range rows {
				for d := 0; d < 3; d++ {
					if ix := x*stride + d - 1; ix >= 0 && ix < wd {
						s += w[3*j+d] * r[ix]
					}
				}
			}
			if acc {
				orow[x] += s
			} else {
				orow[x] = s
			}
		}
	}
}

func dwConv3NEON(out, in, weight []float32, g ConvGeom) {
	oh, ow := g.OutH(), g.OutW()
	hw, ohw := g.H*g.W, oh*ow
	_, _, _ = out[g.C*ohw-1], in[g.C*hw-1], weight[g.C*9-1]
	zb := getBuf(g.W)
	zero := (*zb)[:g.W]
	clear(zero)
	for c := 0; c < g.C; c++ {
		dwPlane3NEON(out[c*ohw:(c+1)*ohw], in[c*hw:(c+1)*hw], weight[c*9:(c+1)*9], zero, g.H, g.W, oh, ow, g.SW, false)
	}
	putBuf(zb)
}

// dwGrad3NEON adds the filter gradient of one plane into dw (9 values).
func dwGrad3NEON(dw, dy, in, zero []float32, h, wd, oh, ow, stride int) {
	nv := dwInterior(wd, stride)
	var sums [9]float32
	for y := 0; y < oh; y++ {
		rows := dwRows(in, zero, y, stride, h, wd)
		drow := dy[y*ow : (y+1)*ow]
		if nv > 0 {
			s, d := unsafe.Pointer(&sums[0]), unsafe.Pointer(&drow[1])
			if stride == 1 {
				dw3GradS1NEON(s, d, unsafe.Pointer(&rows[0][0]), unsafe.Pointer(&rows[1][0]), unsafe.Pointer(&rows[2][0]), 4*nv)
			} else {
				dw3GradS2NEON(s, d, unsafe.Pointer(&rows[0][1]), unsafe.Pointer(&rows[1][1]), unsafe.Pointer(&rows[2][1]), 4*nv)
			}
		}
		for x := 0; x < ow; x++ {
			if x == 1 && nv > 0 {
				x += 4*nv - 1
				continue
			}
			for j, r := range rows {
				for d := 0; d < 3; d++ {
					if ix := x*stride + d - 1; ix >= 0 && ix < wd {
						sums[3*j+d] += drow[x] * r[ix]
					}
				}
			}
		}
	}
	for i, s := range sums {
		dw[i] += s
	}
}

// dwBackIn3S2NEON adds the stride-2 input gradient of one plane into dx.
func dwBackIn3S2NEON(dx, dy, w []float32, h, wd, oh, ow int) {
	// Columns 0 … 8·nv−1 of a dx row come from dy[0 … 4·nv], read whole.
	nv := max(min(ow-1, wd/2)/4, 0)
	for y := 0; y < oh; y++ {
		drow := dy[y*ow : (y+1)*ow]
		for j := 0; j < 3; j++ {
			i := 2*y + j - 1
			if i < 0 || i >= h {
				continue
			}
			xrow, wj := dx[i*wd:(i+1)*wd], w[3*j:3*j+3]
			if nv > 0 {
				dw3BackRowS2NEON(unsafe.Pointer(&xrow[0]), unsafe.Pointer(&drow[0]), unsafe.Pointer(&wj[0]), 4*nv)
			}
			// dx[2x+d−1] += w[d]·dy[x] for the columns from 8·nv on.
			for x := max(4*nv-1, 0); x < ow; x++ {
				for d := 0; d < 3; d++ {
					ix := 2*x + d - 1
					if ix >= 8*nv && ix < wd {
						xrow[ix] += wj[d] * drow[x]
					}
				}
			}
		}
	}
}

func dwBack3NEON(dIn, dW, dOut, in, weight []float32, g ConvGeom, accIn bool) {
	checkBack3(dIn, dW, dOut, in, weight, g)
	oh, ow := g.OutH(), g.OutW()
	hw, ohw := g.H*g.W, oh*ow
	zb := getBuf(max(g.W, ow))
	zero := (*zb)[:max(g.W, ow)]
	clear(zero)
	for c := 0; c < g.C; c++ {
		dy, x := dOut[c*ohw:(c+1)*ohw], in[c*hw:(c+1)*hw]
		dwGrad3NEON(dW[c*9:(c+1)*9], dy, x, zero, g.H, g.W, oh, ow, g.SW)
		if dIn == nil {
			continue
		}
		dx, w := dIn[c*hw:(c+1)*hw], weight[c*9:(c+1)*9]
		if g.SW == 2 {
			if !accIn {
				clear(dx)
			}
			dwBackIn3S2NEON(dx, dy, w, g.H, g.W, oh, ow)
			continue
		}
		// The input gradient of a stride-1 padding-1 correlation is the
		// same correlation of dy with the flipped filter.
		flip := [9]float32{w[8], w[7], w[6], w[5], w[4], w[3], w[2], w[1], w[0]}
		dwPlane3NEON(dx, dy, flip[:], zero, oh, ow, g.H, g.W, 1, accIn)
	}
	putBuf(zb)
}

// dwImpls lists the 3×3 depthwise implementations this build runs, best
// first.
func dwImpls() []dwImpl {
	if hasNEON {
		return []dwImpl{dwNEON, dwGo}
	}
	return []dwImpl{dwGo}
}
