package kernels

// The pure-Go F(4×4, 3×3) loops (see winoImpl) and their 1-D transforms
// (matrices at the top of winograd.go), factored so that only scalings by
// powers of two remain; the AVX-512 loops (_asm/winograd4*.go, w4In …)
// compute the same operations in the same order. Scalings by 2, 4 and 8
// are exact, so fused or not they round the same.

// in4 is o = Bᵀ d.
func in4(o, d *[6]float32) {
	t3 := d[4] - d[2]
	o[0] = 4*(d[0]-d[2]) + t3
	t1, t2 := d[4]-4*d[2], d[3]-4*d[1]
	o[1], o[2] = t1+t2, t1-t2
	t4 := 2 * (d[3] - d[1])
	o[3], o[4] = t3+t4, t3-t4
	o[5] = 4*(d[1]-d[3]) + (d[5] - d[3])
}

// out4 is o = Aᵀ d (4 outputs).
func out4(o, d *[6]float32) {
	a, b, c, e := d[1]+d[2], d[1]-d[2], d[3]+d[4], d[3]-d[4]
	o[0] = (d[0] + a) + c
	o[1] = b + 2*e
	o[2] = a + 4*c
	o[3] = (b + 8*e) + d[5]
}

// outGrad4 is o = A d of the 4 values d.
func outGrad4(o, d *[6]float32) {
	p, q := d[0]+d[2], d[1]+d[3]
	r, s := d[0]+4*d[2], 2*(d[1]+4*d[3])
	o[0], o[1], o[2], o[3], o[4], o[5] = d[0], p+q, p-q, r+s, r-s, d[3]
}

// inGrad4 is o = B d.
func inGrad4(o, d *[6]float32) {
	a, b, c, e := d[1]+d[2], d[1]-d[2], d[3]+d[4], d[3]-d[4]
	o[0] = 4 * d[0]
	o[1] = 2 * (2*(d[5]-b) - e)
	g := d[0] + a
	o[2] = -(4*g + (d[0] + c))
	o[3] = (b - d[5]) + 2*(e-2*d[5])
	o[4] = g + c
	o[5] = d[5]
}

// colsInRow4: h[s][t] = (d B)[s] of the patch row d = row[c0+4t … c0+4t+5].
func colsInRow4(h, row []float32, c0, nt int) {
	h = h[:5*winoQ+nt]
	var d, o [6]float32
	for t := range nt {
		if c := c0 + 4*t; c >= 0 && c+6 <= len(row) {
			d = [6]float32(row[c : c+6])
		} else {
			for j := range d {
				d[j] = rowAt(row, c+j)
			}
		}
		in4(&o, &d)
		h[t], h[winoQ+t], h[2*winoQ+t], h[3*winoQ+t], h[4*winoQ+t], h[5*winoQ+t] = o[0], o[1], o[2], o[3], o[4], o[5]
	}
}

// colsOutRow4: row[c0+4t+j] (inside the row) = (e A)[j] of e = h[0…5][t].
func colsOutRow4(row, h []float32, c0, nt int) {
	h = h[:5*winoQ+nt]
	var e, o [6]float32
	for t := range nt {
		e = [6]float32{h[t], h[winoQ+t], h[2*winoQ+t], h[3*winoQ+t], h[4*winoQ+t], h[5*winoQ+t]}
		out4(&o, &e)
		for j := range 4 {
			if c := c0 + 4*t + j; c >= 0 && c < len(row) {
				row[c] = o[j]
			}
		}
	}
}

// colsOutGradRow4: h[b][t] = (dY A)[b] of dY = row[c0+4t … c0+4t+3].
func colsOutGradRow4(h, row []float32, c0, nt int) {
	h = h[:5*winoQ+nt]
	var e, o [6]float32
	for t := range nt {
		for j := range 4 {
			e[j] = rowAt(row, c0+4*t+j)
		}
		outGrad4(&o, &e)
		h[t], h[winoQ+t], h[2*winoQ+t], h[3*winoQ+t], h[4*winoQ+t], h[5*winoQ+t] = o[0], o[1], o[2], o[3], o[4], o[5]
	}
}

// colsInGradRow4 adds to row the input gradient of one patch row, c(t) =
// h[0…5][t] B (zeros for t < 0 and t ≥ nt): column c0+4t+j gets c(t)[j] +
// c(t−1)[j+4] for j < 2 and c(t)[j] for j = 2, 3, t = 0 … nt, up to column
// c0+4·nt+1.
func colsInGradRow4(row, h []float32, c0, nt int) {
	h = h[:5*winoQ+nt]
	end := c0 + 4*nt + 2
	var zero, d, cur, prev [6]float32
	inGrad4(&prev, &zero)
	for t := range nt + 1 {
		d = zero
		if t < nt {
			d = [6]float32{h[t], h[winoQ+t], h[2*winoQ+t], h[3*winoQ+t], h[4*winoQ+t], h[5*winoQ+t]}
		}
		inGrad4(&cur, &d)
		for j := range 4 {
			c := c0 + 4*t + j
			if c < 0 || c >= len(row) || c >= end {
				continue
			}
			if j < 2 {
				row[c] += cur[j] + prev[j+4]
			} else {
				row[c] += cur[j]
			}
		}
		prev = cur
	}
}

// rowsIn4: v[6a+s][q] = (Bᵀ h[6i+s][q] over i)[a].
func rowsIn4(v []float32, stride int, h []float32, cnt int) {
	v, h = v[:35*stride+cnt], h[:35*winoQ+cnt]
	var d, o [6]float32
	for s := range 6 {
		for q := range cnt {
			for i := range 6 {
				d[i] = h[(6*i+s)*winoQ+q]
			}
			in4(&o, &d)
			for a := range 6 {
				v[(6*a+s)*stride+q] = o[a]
			}
		}
	}
}

// rowsOut4: h[6i+s][q] = (Aᵀ m[6a+s][q] over a)[i], i < 4.
func rowsOut4(h, mm []float32, stride, cnt int) {
	h, mm = h[:23*winoQ+cnt], mm[:35*stride+cnt]
	var d, o [6]float32
	for s := range 6 {
		for q := range cnt {
			for a := range 6 {
				d[a] = mm[(6*a+s)*stride+q]
			}
			out4(&o, &d)
			for i := range 4 {
				h[(6*i+s)*winoQ+q] = o[i]
			}
		}
	}
}

// rowsOutGrad4: dm[6a+b][q] = (A h[6i+b][q] over i < 4)[a].
func rowsOutGrad4(dm []float32, stride int, h []float32, cnt int) {
	dm, h = dm[:35*stride+cnt], h[:23*winoQ+cnt]
	var e, o [6]float32
	for b := range 6 {
		for q := range cnt {
			for i := range 4 {
				e[i] = h[(6*i+b)*winoQ+q]
			}
			outGrad4(&o, &e)
			for a := range 6 {
				dm[(6*a+b)*stride+q] = o[a]
			}
		}
	}
}

// rowsInGrad4: h[6i+b][q] = (B dv[6a+b][q] over a)[i].
func rowsInGrad4(h, dv []float32, stride, cnt int) {
	h, dv = h[:35*winoQ+cnt], dv[:35*stride+cnt]
	var d, o [6]float32
	for b := range 6 {
		for q := range cnt {
			for a := range 6 {
				d[a] = dv[(6*a+b)*stride+q]
			}
			inGrad4(&o, &d)
			for i := range 6 {
				h[(6*i+b)*winoQ+q] = o[i]
			}
		}
	}
}
