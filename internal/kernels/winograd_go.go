package kernels

// winoImpl is one implementation of the inner loops of the Winograd
// transforms (winograd.go), each transform being a column pass (along the
// image rows, between the image and the scratch h) and a row pass (across
// the patch rows, between h and the block matrix), both applying the same
// 1-D transform of the tile size (winoTf). Streams of h are winoQ floats
// apart; v, m, dm and dv are the block's matrices, their n² streams
// `stride` floats apart. The row loops work on cnt ≥ 1 consecutive tiles.
// Every implementation computes the same sums in the same order, so all
// give bit-identical results.
type winoImpl struct {
	name   string
	avx512 bool // the AVX-512 loops (winograd_avx512_amd64.s), else pure Go
}

// The loops are methods of winoImpl (winograd_amd64.go, winograd_noasm.go)
// with the contracts of the pure-Go loops below. With m the tile size and
// n = m+2, the column loops work on `rows` tile rows of one H×W image
// plane: tile row k reads or writes the plane rows y0+m·k+i (i < n patch
// rows on the input side, m on the output side), tile t the columns
// c0+m·t+j, its scratch streams from h[(n·i+s)·winoQ + k·nt]; columns and
// rows outside the plane are zeros (reads) or left out (writes). The row
// loops read and write stream n·a+s (a across the patch rows, s along
// them).

// wino is the implementation the transforms use: the first of winoImpls().
var wino = winoImpls()[0]

// winoGo is the pure-Go implementation, the reference of the others.
var winoGo = winoImpl{name: "go"}

// winoTf is the tile size m of F(m×m, 3×3), whose methods are its 1-D
// transforms on arrays of n = m+2 points (the first n, or m, of 6). The
// AVX-512 loops compute the same operations in the same order; scalings
// by 2, 4 and 8 are exact, so fused or not they round the same.
type winoTf struct{ m int }

var winoTf2, winoTf4 = winoTf{2}, winoTf{4}

// in is o = Bᵀ d, n → n.
func (tf *winoTf) in(o, d *[6]float32) {
	if tf.m == 4 {
		in4(o, d)
		return
	}
	o[0], o[1], o[2], o[3] = d[0]-d[2], d[1]+d[2], d[2]-d[1], d[1]-d[3]
}

// out is o = Aᵀ d, n → m.
func (tf *winoTf) out(o, d *[6]float32) {
	if tf.m == 4 {
		out4(o, d)
		return
	}
	o[0], o[1] = (d[0]+d[1])+d[2], (d[1]-d[2])-d[3]
}

// outGrad is o = A d, m → n.
func (tf *winoTf) outGrad(o, d *[6]float32) {
	if tf.m == 4 {
		outGrad4(o, d)
		return
	}
	o[0], o[1], o[2], o[3] = d[0], d[0]+d[1], d[0]-d[1], -d[1]
}

// inGrad is o = B d, n → n.
func (tf *winoTf) inGrad(o, d *[6]float32) {
	if tf.m == 4 {
		inGrad4(o, d)
		return
	}
	o[0], o[1], o[2], o[3] = d[0], (d[1]-d[2])+d[3], (d[1]+d[2])-d[0], -d[3]
}

// filterRun2 writes buf[ξ][j] = (G f_j Gᵀ)[ξ] of F(2×2) for the cnt
// filters f_j = w[9j … 9j+8].
func filterRun2(buf *[36][winoFilterRun]float32, w []float32, cnt int) {
	for j := range cnt {
		f := (*[9]float32)(w[9*j:])
		var t [4][3]float32 // G f
		for s := range 3 {
			f0, f1, f2 := f[s], f[3+s], f[6+s]
			t[0][s], t[1][s], t[2][s], t[3][s] = f0, 0.5*(f0+f1+f2), 0.5*(f0-f1+f2), f2
		}
		for a, r := range t {
			buf[4*a][j], buf[4*a+1][j] = r[0], 0.5*(r[0]+r[1]+r[2])
			buf[4*a+2][j], buf[4*a+3][j] = 0.5*(r[0]-r[1]+r[2]), r[2]
		}
	}
}

// filterRun4 writes buf[ξ][j] = (G f_j Gᵀ)[ξ] of F(4×4) for the cnt
// filters f_j = w[9j … 9j+8].
func filterRun4(buf *[36][winoFilterRun]float32, w []float32, cnt int) {
	for j := range cnt {
		f := (*[9]float32)(w[9*j:])
		var t [6][3]float32 // G f
		for s := range 3 {
			t[0][s], t[1][s], t[2][s], t[3][s], t[4][s], t[5][s] = g4(f[s], f[3+s], f[6+s])
		}
		for a, r := range t {
			buf[6*a][j], buf[6*a+1][j], buf[6*a+2][j], buf[6*a+3][j], buf[6*a+4][j], buf[6*a+5][j] = g4(r[0], r[1], r[2])
		}
	}
}

// g4 is G (f0, f1, f2) of F(4×4).
func g4(f0, f1, f2 float32) (o0, o1, o2, o3, o4, o5 float32) {
	a, p := f0+f2, f0+4*f2
	return f0 * (1. / 4), -(a + f1) * (1. / 6), -(a - f1) * (1. / 6), (p + 2*f1) * (1. / 24), (p - 2*f1) * (1. / 24), f2
}

// filterGradRun2 adds Gᵀ buf[·][j] G of F(2×2) to the filters dw[9j …
// 9j+8], j < cnt.
func filterGradRun2(dw []float32, buf *[36][winoFilterRun]float32, cnt int) {
	for j := range cnt {
		var t [4][3]float32 // du G
		for a := range 4 {
			d0, d1, d2, d3 := buf[4*a][j], buf[4*a+1][j], buf[4*a+2][j], buf[4*a+3][j]
			t[a][0], t[a][1], t[a][2] = d0+0.5*(d1+d2), 0.5*(d1-d2), 0.5*(d1+d2)+d3
		}
		f := (*[9]float32)(dw[9*j:])
		for s := range 3 {
			t0, t1, t2, t3 := t[0][s], t[1][s], t[2][s], t[3][s]
			f[s] += t0 + 0.5*(t1+t2)
			f[3+s] += 0.5 * (t1 - t2)
			f[6+s] += 0.5*(t1+t2) + t3
		}
	}
}

// filterGradRun4 adds Gᵀ buf[·][j] G of F(4×4) to the filters dw[9j …
// 9j+8], j < cnt.
func filterGradRun4(dw []float32, buf *[36][winoFilterRun]float32, cnt int) {
	for j := range cnt {
		var t [6][3]float32 // du G
		for a := range 6 {
			t[a][0], t[a][1], t[a][2] = gT4(buf[6*a][j], buf[6*a+1][j], buf[6*a+2][j], buf[6*a+3][j], buf[6*a+4][j], buf[6*a+5][j])
		}
		f := (*[9]float32)(dw[9*j:])
		for s := range 3 {
			f0, f1, f2 := gT4(t[0][s], t[1][s], t[2][s], t[3][s], t[4][s], t[5][s])
			f[s] += f0
			f[3+s] += f1
			f[6+s] += f2
		}
	}
}

// gT4 is Gᵀ d of F(4×4): the three taps of the six values d.
func gT4(d0, d1, d2, d3, d4, d5 float32) (f0, f1, f2 float32) {
	s12, d12, s34, d34 := d1+d2, d1-d2, d3+d4, d3-d4
	return d0*(1./4) - s12*(1./6) + s34*(1./24), -d12*(1./6) + d34*(1./12), (s34-s12)*(1./6) + d5
}

// F(4×4, 3×3)'s 1-D transforms (matrices at the top of winograd.go),
// factored so that only scalings by powers of two remain.

func in4(o, d *[6]float32) {
	t3 := d[4] - d[2]
	o[0] = 4*(d[0]-d[2]) + t3
	t1, t2 := d[4]-4*d[2], d[3]-4*d[1]
	o[1], o[2] = t1+t2, t1-t2
	t4 := 2 * (d[3] - d[1])
	o[3], o[4] = t3+t4, t3-t4
	o[5] = 4*(d[1]-d[3]) + (d[5] - d[3])
}

func out4(o, d *[6]float32) {
	a, b, c, e := d[1]+d[2], d[1]-d[2], d[3]+d[4], d[3]-d[4]
	o[0] = (d[0] + a) + c
	o[1] = b + 2*e
	o[2] = a + 4*c
	o[3] = (b + 8*e) + d[5]
}

func outGrad4(o, d *[6]float32) {
	p, q := d[0]+d[2], d[1]+d[3]
	r, s := d[0]+4*d[2], 2*(d[1]+4*d[3])
	o[0], o[1], o[2], o[3], o[4], o[5] = d[0], p+q, p-q, r+s, r-s, d[3]
}

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

// rowAt is row[c], 0 outside the row.
func rowAt(row []float32, c int) float32 {
	if c < 0 || c >= len(row) {
		return 0
	}
	return row[c]
}

// colsInGo: h[n·i+s][k·nt+t] = (d B)[s] of patch row i of tile (k, t).
func colsInGo(tf *winoTf, h, plane []float32, H, W, y0, rows, c0, nt int) {
	m, n := tf.m, tf.m+2
	var d, o [6]float32
	for k := range rows {
		for i := range n {
			row, hi := planeRow(plane, y0+m*k+i, H, W), h[n*i*winoQ+k*nt:]
			for t := range nt {
				for j := range n {
					d[j] = rowAt(row, c0+m*t+j)
				}
				tf.in(&o, &d)
				for s := range n {
					hi[s*winoQ+t] = o[s]
				}
			}
		}
	}
}

// rowsInGo: v[n·a+s][q] = (Bᵀ h[n·i+s][q] over i)[a].
func rowsInGo(tf *winoTf, v []float32, stride int, h []float32, cnt int) {
	n := tf.m + 2
	var d, o [6]float32
	for s := range n {
		for q := range cnt {
			for i := range n {
				d[i] = h[(n*i+s)*winoQ+q]
			}
			tf.in(&o, &d)
			for a := range n {
				v[(n*a+s)*stride+q] = o[a]
			}
		}
	}
}

// rowsOutGo: h[n·i+s][q] = (Aᵀ m[n·a+s][q] over a)[i], i < m.
func rowsOutGo(tf *winoTf, h, mm []float32, stride, cnt int) {
	m, n := tf.m, tf.m+2
	var d, o [6]float32
	for s := range n {
		for q := range cnt {
			for a := range n {
				d[a] = mm[(n*a+s)*stride+q]
			}
			tf.out(&o, &d)
			for i := range m {
				h[(n*i+s)*winoQ+q] = o[i]
			}
		}
	}
}

// colsOutGo: row y0+m·k+i, columns c0+m·t+j (those inside the plane) =
// (e A)[j] of e = h[n·i+0…n−1][k·nt+t].
func colsOutGo(tf *winoTf, plane, h []float32, H, W, y0, rows, c0, nt int) {
	m, n := tf.m, tf.m+2
	var e, o [6]float32
	for k := range rows {
		for i := range m {
			row := planeRow(plane, y0+m*k+i, H, W)
			if row == nil {
				continue
			}
			for t := range nt {
				for s := range n {
					e[s] = h[(n*i+s)*winoQ+k*nt+t]
				}
				tf.out(&o, &e)
				for j := range m {
					if c := c0 + m*t + j; c >= 0 && c < len(row) {
						row[c] = o[j]
					}
				}
			}
		}
	}
}

// colsOutGradGo: h[n·i+b][k·nt+t] = (dY A)[b] of the m values dY of row
// y0+m·k+i, columns c0+m·t+j.
func colsOutGradGo(tf *winoTf, h, plane []float32, H, W, y0, rows, c0, nt int) {
	m, n := tf.m, tf.m+2
	var e, o [6]float32
	for k := range rows {
		for i := range m {
			row, hi := planeRow(plane, y0+m*k+i, H, W), h[n*i*winoQ+k*nt:]
			for t := range nt {
				for j := range m {
					e[j] = rowAt(row, c0+m*t+j)
				}
				tf.outGrad(&o, &e)
				for b := range n {
					hi[b*winoQ+t] = o[b]
				}
			}
		}
	}
}

// rowsOutGradGo: dm[n·a+b][q] = (A h[n·i+b][q] over i < m)[a].
func rowsOutGradGo(tf *winoTf, dm []float32, stride int, h []float32, cnt int) {
	m, n := tf.m, tf.m+2
	var e, o [6]float32
	for b := range n {
		for q := range cnt {
			for i := range m {
				e[i] = h[(n*i+b)*winoQ+q]
			}
			tf.outGrad(&o, &e)
			for a := range n {
				dm[(n*a+b)*stride+q] = o[a]
			}
		}
	}
}

// rowsInGradGo: h[n·i+b][q] = (B dv[n·a+b][q] over a)[i].
func rowsInGradGo(tf *winoTf, h, dv []float32, stride, cnt int) {
	n := tf.m + 2
	var d, o [6]float32
	for b := range n {
		for q := range cnt {
			for a := range n {
				d[a] = dv[(n*a+b)*stride+q]
			}
			tf.inGrad(&o, &d)
			for i := range n {
				h[(n*i+b)*winoQ+q] = o[i]
			}
		}
	}
}

// colsInGradGo adds to each patch row y0+m·k+i inside the plane the input
// gradient of its tiles: with c(t) = h[n·i+·][k·nt+t] B (zeros for t < 0
// and t ≥ nt), column c0+m·t+j gets c(t)[j] + c(t−1)[j+m] for j < 2 and
// c(t)[j] for 2 ≤ j < m, t = 0 … nt, up to column c0+m·nt+1.
func colsInGradGo(tf *winoTf, plane, h []float32, H, W, y0, rows, c0, nt int) {
	m, n := tf.m, tf.m+2
	end := c0 + m*nt + 2
	for k := range rows {
		for i := range n {
			row := planeRow(plane, y0+m*k+i, H, W)
			if row == nil {
				continue
			}
			var zero, d, cur, prev [6]float32
			tf.inGrad(&prev, &zero)
			for t := range nt + 1 {
				d = zero
				if t < nt {
					for s := range n {
						d[s] = h[(n*i+s)*winoQ+k*nt+t]
					}
				}
				tf.inGrad(&cur, &d)
				for j := range m {
					c := c0 + m*t + j
					if c < 0 || c >= len(row) || c >= end {
						continue
					}
					if j < 2 {
						row[c] += cur[j] + prev[j+m]
					} else {
						row[c] += cur[j]
					}
				}
				prev = cur
			}
		}
	}
}
