package kernels

// winoImpl is one implementation of the inner loops of the Winograd
// transforms (winograd.go), each transform being a column pass (along the
// image rows, between the image and the scratch h) and a row pass (across
// the patch rows, between h and the block matrix). Streams of h are winoQ
// floats apart; v, m, dm and dv are the block's matrices, their 16 streams
// `stride` floats apart. The row loops work on n ≥ 1 consecutive tiles.
// Every implementation computes the same sums in the same order, so all
// give bit-identical results.
type winoImpl struct {
	name   string
	avx512 bool // the AVX-512 loops (winograd_avx512_amd64.s), else pure Go
}

// The loops are methods of winoImpl (winograd_amd64.go, winograd_noasm.go)
// with the contracts of the pure-Go loops below. The column loops work on
// `rows` tile rows of one H×W image plane: tile row k reads or writes the
// plane rows y0+2k+i (i < 4 patch rows on the input side, 2 on the
// output side) from column c0 on, its scratch streams from h[(4i+s)·winoQ
// + k·nt]; columns and rows outside the plane are zeros (reads) or left
// out (writes).

// wino is the implementation the transforms use: the first of winoImpls().
var wino = winoImpls()[0]

// winoGo is the pure-Go implementation, the reference of the others.
var winoGo = winoImpl{name: "go"}

// rowAt is row[c], 0 outside the row.
func rowAt(row []float32, c int) float32 {
	if c < 0 || c >= len(row) {
		return 0
	}
	return row[c]
}

// colsInGo is colsInRow on each patch row of each tile row.
func colsInGo(h, plane []float32, H, W, y0, rows, c0, nt int) {
	for k := range rows {
		for i := range 4 {
			colsInRow(h[4*i*winoQ+k*nt:], planeRow(plane, y0+2*k+i, H, W), c0, nt)
		}
	}
}

// colsOutGo is colsOutRow on each output row of each tile row.
func colsOutGo(plane, h []float32, H, W, y0, rows, c0, nt int) {
	for k := range rows {
		for i := range 2 {
			if row := planeRow(plane, y0+2*k+i, H, W); row != nil {
				colsOutRow(row, h[4*i*winoQ+k*nt:], c0, nt)
			}
		}
	}
}

// colsOutGradGo is colsOutGradRow on each output row of each tile row.
func colsOutGradGo(h, plane []float32, H, W, y0, rows, c0, nt int) {
	for k := range rows {
		for i := range 2 {
			colsOutGradRow(h[4*i*winoQ+k*nt:], planeRow(plane, y0+2*k+i, H, W), c0, nt)
		}
	}
}

// colsInGradGo is colsInGradRow on each patch row of each tile row.
func colsInGradGo(plane, h []float32, H, W, y0, rows, c0, nt int) {
	for k := range rows {
		for i := range 4 {
			if row := planeRow(plane, y0+2*k+i, H, W); row != nil {
				colsInGradRow(row, h[4*i*winoQ+k*nt:], c0, nt)
			}
		}
	}
}

// colsInRow: h[s][t] = (d B)[s] of the patch row d = row[c0+2t … c0+2t+3]:
// d0−d2, d1+d2, d2−d1, d1−d3.
func colsInRow(h, row []float32, c0, nt int) {
	h = h[:3*winoQ+nt]
	for t := range nt {
		c := c0 + 2*t
		e0, o0, e1, o1 := rowAt(row, c), rowAt(row, c+1), rowAt(row, c+2), rowAt(row, c+3)
		h[t] = e0 - e1
		h[winoQ+t] = o0 + e1
		h[2*winoQ+t] = e1 - o0
		h[3*winoQ+t] = o0 - o1
	}
}

// rowsInGo: v[4a+s][q] = (Bᵀ h[·][s])[a] over the four patch rows
// h[4i+s][q]: h0−h2, h1+h2, h2−h1, h1−h3.
func rowsInGo(v []float32, stride int, h []float32, n int) {
	v, h = v[:15*stride+n], h[:15*winoQ+n]
	for s := range 4 {
		for q := range n {
			h0, h1, h2, h3 := h[s*winoQ+q], h[(4+s)*winoQ+q], h[(8+s)*winoQ+q], h[(12+s)*winoQ+q]
			v[s*stride+q] = h0 - h2
			v[(4+s)*stride+q] = h1 + h2
			v[(8+s)*stride+q] = h2 - h1
			v[(12+s)*stride+q] = h1 - h3
		}
	}
}

// rowsOutGo: h[4i+s][q] = (Aᵀ m[·][s])[i]: (m0+m1)+m2, (m1−m2)−m3.
func rowsOutGo(h, m []float32, stride, n int) {
	h, m = h[:7*winoQ+n], m[:15*stride+n]
	for s := range 4 {
		for q := range n {
			m0, m1, m2, m3 := m[s*stride+q], m[(4+s)*stride+q], m[(8+s)*stride+q], m[(12+s)*stride+q]
			h[s*winoQ+q] = (m0 + m1) + m2
			h[(4+s)*winoQ+q] = (m1 - m2) - m3
		}
	}
}

// colsOutRow: row[c0+2t], row[c0+2t+1] = (e A) of e = h[0…3][t]:
// (e0+e1)+e2, (e1−e2)−e3.
func colsOutRow(row, h []float32, c0, nt int) {
	h = h[:3*winoQ+nt]
	for t := range nt {
		e0, e1, e2, e3 := h[t], h[winoQ+t], h[2*winoQ+t], h[3*winoQ+t]
		if c := c0 + 2*t; c >= 0 && c < len(row) {
			row[c] = (e0 + e1) + e2
		}
		if c := c0 + 2*t + 1; c >= 0 && c < len(row) {
			row[c] = (e1 - e2) - e3
		}
	}
}

// colsOutGradRow: h[b][t] = (dY Aᵀ)[b] of the dY pair E = row[c0+2t],
// O = row[c0+2t+1]: E, E+O, E−O, −O.
func colsOutGradRow(h, row []float32, c0, nt int) {
	h = h[:3*winoQ+nt]
	for t := range nt {
		e, o := rowAt(row, c0+2*t), rowAt(row, c0+2*t+1)
		h[t] = e
		h[winoQ+t] = e + o
		h[2*winoQ+t] = e - o
		h[3*winoQ+t] = -o
	}
}

// rowsOutGradGo: dm[4a+b][q] = (A h[·][b])[a] of the two rows h[4i+b][q]:
// h0, h0+h1, h0−h1, −h1.
func rowsOutGradGo(dm []float32, stride int, h []float32, n int) {
	dm, h = dm[:15*stride+n], h[:7*winoQ+n]
	for b := range 4 {
		for q := range n {
			h0, h1 := h[b*winoQ+q], h[(4+b)*winoQ+q]
			dm[b*stride+q] = h0
			dm[(4+b)*stride+q] = h0 + h1
			dm[(8+b)*stride+q] = h0 - h1
			dm[(12+b)*stride+q] = -h1
		}
	}
}

// rowsInGradGo: h[4i+b][q] = (B dv[·][b])[i]: dv0, (dv1−dv2)+dv3,
// (dv1+dv2)−dv0, −dv3.
func rowsInGradGo(h, dv []float32, stride, n int) {
	h, dv = h[:15*winoQ+n], dv[:15*stride+n]
	for b := range 4 {
		for q := range n {
			d0, d1, d2, d3 := dv[b*stride+q], dv[(4+b)*stride+q], dv[(8+b)*stride+q], dv[(12+b)*stride+q]
			h[b*winoQ+q] = d0
			h[(4+b)*winoQ+q] = (d1 - d2) + d3
			h[(8+b)*winoQ+q] = (d1 + d2) - d0
			h[(12+b)*winoQ+q] = -d3
		}
	}
}

// colsInGradRow adds to row[c0 … c0+2nt+1] the input gradient of one patch
// row h[0…3][t] (c = h B: c0 = h0, c1 = (h1−h2)+h3, c2 = (h1+h2)−h0,
// c3 = −h3, tile t at columns c0+2t … c0+2t+3): row[c0+2t] += c0[t] +
// c2[t−1], row[c0+2t+1] += c1[t] + c3[t−1] for t = 0 … nt, the terms of
// tiles −1 and nt computed from zeros.
func colsInGradRow(row, h []float32, c0, nt int) {
	h = h[:3*winoQ+nt]
	for t := range nt + 1 {
		var a, b [4]float32 // h of tiles t and t−1, zero outside 0 … nt−1
		for i := range 4 {
			if t < nt {
				a[i] = h[i*winoQ+t]
			}
			if t > 0 {
				b[i] = h[i*winoQ+t-1]
			}
		}
		if c := c0 + 2*t; c >= 0 && c < len(row) {
			row[c] += a[0] + ((b[1] + b[2]) - b[0])
		}
		if c := c0 + 2*t + 1; c >= 0 && c < len(row) {
			row[c] += ((a[1] - a[2]) + a[3]) + -b[3]
		}
	}
}
