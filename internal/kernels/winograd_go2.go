package kernels

// The pure-Go F(2×2, 3×3) loops (see winoImpl): the column loops on one
// patch or output row of a tile row, the row loops on n tiles.

// colsInRow2: h[s][t] = (d B)[s] of the patch row d = row[c0+2t … c0+2t+3]:
// d0−d2, d1+d2, d2−d1, d1−d3.
func colsInRow2(h, row []float32, c0, nt int) {
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

// rowsIn2: v[4a+s][q] = (Bᵀ h[·][s])[a] over the four patch rows
// h[4i+s][q]: h0−h2, h1+h2, h2−h1, h1−h3.
func rowsIn2(v []float32, stride int, h []float32, n int) {
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

// rowsOut2: h[4i+s][q] = (Aᵀ m[·][s])[i]: (m0+m1)+m2, (m1−m2)−m3.
func rowsOut2(h, m []float32, stride, n int) {
	h, m = h[:7*winoQ+n], m[:15*stride+n]
	for s := range 4 {
		for q := range n {
			m0, m1, m2, m3 := m[s*stride+q], m[(4+s)*stride+q], m[(8+s)*stride+q], m[(12+s)*stride+q]
			h[s*winoQ+q] = (m0 + m1) + m2
			h[(4+s)*winoQ+q] = (m1 - m2) - m3
		}
	}
}

// colsOutRow2: row[c0+2t], row[c0+2t+1] = (e A) of e = h[0…3][t]:
// (e0+e1)+e2, (e1−e2)−e3.
func colsOutRow2(row, h []float32, c0, nt int) {
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

// colsOutGradRow2: h[b][t] = (dY Aᵀ)[b] of the dY pair E = row[c0+2t],
// O = row[c0+2t+1]: E, E+O, E−O, −O.
func colsOutGradRow2(h, row []float32, c0, nt int) {
	h = h[:3*winoQ+nt]
	for t := range nt {
		e, o := rowAt(row, c0+2*t), rowAt(row, c0+2*t+1)
		h[t] = e
		h[winoQ+t] = e + o
		h[2*winoQ+t] = e - o
		h[3*winoQ+t] = -o
	}
}

// rowsOutGrad2: dm[4a+b][q] = (A h[·][b])[a] of the two rows h[4i+b][q]:
// h0, h0+h1, h0−h1, −h1.
func rowsOutGrad2(dm []float32, stride int, h []float32, n int) {
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

// rowsInGrad2: h[4i+b][q] = (B dv[·][b])[i]: dv0, (dv1−dv2)+dv3,
// (dv1+dv2)−dv0, −dv3.
func rowsInGrad2(h, dv []float32, stride, n int) {
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

// colsInGradRow2 adds to row[c0 … c0+2nt+1] the input gradient of one patch
// row h[0…3][t] (c = h B: c0 = h0, c1 = (h1−h2)+h3, c2 = (h1+h2)−h0,
// c3 = −h3, tile t at columns c0+2t … c0+2t+3): row[c0+2t] += c0[t] +
// c2[t−1], row[c0+2t+1] += c1[t] + c3[t−1] for t = 0 … nt, the terms of
// tiles −1 and nt computed from zeros.
func colsInGradRow2(row, h []float32, c0, nt int) {
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
