package kernels

// Winograd F(2×2, 3×3) (Lavin & Gray 2015) for 3×3, stride-1, pad-1
// convolutions: the output is cut into 2×2 tiles; tile (ti, tj) reads the
// 4×4 input patch d at rows 2ti−1…2ti+2, columns 2tj−1…2tj+2 (zero outside
// the image) and is
//
//	Y = Aᵀ [ Σ_c (G g_kc Gᵀ) ⊙ (Bᵀ d_c B) ] A
//
// with Bᵀ = [[1,0,−1,0],[0,1,1,0],[0,−1,1,0],[0,1,0,−1]],
// G = [[1,0,0],[½,½,½],[½,−½,½],[0,0,1]], Aᵀ = [[1,1,1,0],[0,1,−1,−1]].
// For each of the 16 positions ξ of the 4×4 transformed tile the sum over
// channels is a GEMM: M[ξ] (K×P) = U[ξ] (K×C) · V[ξ] (C×P) over P tiles.
//
// The transforms below work on whole tile rows of a batch of n images,
// numbered across the images: tile row r is row r mod TileRows() of image
// r / TileRows(). A transformed block of tile rows [r0, r1) holds
// P = (r1−r0)·TileCols() tiles, tile q = (r−r0)·TileCols() + tj, laid out
// as 16 matrices ξ = 4a+b of rows × P (ξ stride rows·P).

// WinogradGeom is a 3×3, stride-1, pad-1 convolution of C input channels to
// K output channels on H×W images (the output is H×W too).
type WinogradGeom struct{ C, K, H, W int }

// TileRows is the number of 2×2 output tile rows of one image, ⌈H/2⌉.
func (g WinogradGeom) TileRows() int { return (g.H + 1) / 2 }

// TileCols is the number of 2×2 output tiles in a tile row, ⌈W/2⌉.
func (g WinogradGeom) TileCols() int { return (g.W + 1) / 2 }

// winoChunk is the number of tiles of one tile row a transform handles at
// a time (its row buffers live on the stack).
const winoChunk = 64

// winoSpan is the padded width of a chunk: the 2·winoChunk+2 input columns
// its tiles read.
const winoSpan = 2*winoChunk + 2

// WinogradFilter computes the transformed filters u (16 × K × C), u[ξ][k][c]
// = (G w_kc Gᵀ)[ξ], of w (K × C × 3 × 3).
func WinogradFilter(u, w []float32, g WinogradGeom) {
	K, C := g.K, g.C
	u = u[:16*K*C]
	w = w[:K*C*9]
	for kc := range K * C {
		f := (*[9]float32)(w[kc*9:])
		var t [4][3]float32 // G f
		for s := range 3 {
			f0, f1, f2 := f[s], f[3+s], f[6+s]
			t[0][s] = f0
			t[1][s] = 0.5 * (f0 + f1 + f2)
			t[2][s] = 0.5 * (f0 - f1 + f2)
			t[3][s] = f2
		}
		for a := range 4 {
			r := t[a]
			u[(4*a+0)*K*C+kc] = r[0]
			u[(4*a+1)*K*C+kc] = 0.5 * (r[0] + r[1] + r[2])
			u[(4*a+2)*K*C+kc] = 0.5 * (r[0] - r[1] + r[2])
			u[(4*a+3)*K*C+kc] = r[2]
		}
	}
}

// WinogradFilterGrad overwrites dw (K × C × 3 × 3) with the gradient of the
// filters from that of the transformed ones, du (16 × K × C):
// dw_kc = Gᵀ du_kc G.
func WinogradFilterGrad(dw, du []float32, g WinogradGeom) {
	K, C := g.K, g.C
	du = du[:16*K*C]
	dw = dw[:K*C*9]
	for kc := range K * C {
		var t [4][3]float32 // du G
		for a := range 4 {
			d0, d1, d2, d3 := du[(4*a)*K*C+kc], du[(4*a+1)*K*C+kc], du[(4*a+2)*K*C+kc], du[(4*a+3)*K*C+kc]
			t[a][0] = d0 + 0.5*(d1+d2)
			t[a][1] = 0.5 * (d1 - d2)
			t[a][2] = 0.5*(d1+d2) + d3
		}
		f := (*[9]float32)(dw[kc*9:])
		for s := range 3 {
			t0, t1, t2, t3 := t[0][s], t[1][s], t[2][s], t[3][s]
			f[s] = t0 + 0.5*(t1+t2)
			f[3+s] = 0.5 * (t1 - t2)
			f[6+s] = 0.5*(t1+t2) + t3
		}
	}
}

// padRow copies columns c0−1 … c0+len(dst)−2 of row (zero outside the row,
// or everywhere for a nil row) into dst.
func padRow(dst, row []float32, c0 int) {
	if row == nil {
		clear(dst)
		return
	}
	lo, hi := c0-1, c0-1+len(dst) // real columns
	a, b := max(lo, 0), min(hi, len(row))
	if a >= b {
		clear(dst)
		return
	}
	clear(dst[:a-lo])
	copy(dst[a-lo:], row[a:b])
	clear(dst[b-lo:])
}

// planeRow returns row i of an h×w plane, nil outside it.
func planeRow(p []float32, i, h, w int) []float32 {
	if i < 0 || i >= h {
		return nil
	}
	return p[i*w : (i+1)*w]
}

// WinogradInput computes the transformed input tiles v (16 × C × P),
// v[ξ][c][q] = (Bᵀ d B)[ξ] of the patch of tile q in channel c, for tile rows
// [r0, r1) of x (n × C × H × W).
func WinogradInput(v, x []float32, g WinogradGeom, r0, r1 int) {
	C, H, W := g.C, g.H, g.W
	th, tw := g.TileRows(), g.TileCols()
	P := (r1 - r0) * tw
	v = v[:16*C*P]
	var buf [4][winoSpan]float32
	for r := r0; r < r1; r++ {
		img, ti := r/th, r%th
		for c := range C {
			plane := x[(img*C+c)*H*W : (img*C+c+1)*H*W]
			for t0 := 0; t0 < tw; t0 += winoChunk {
				nt := min(winoChunk, tw-t0)
				span := 2*nt + 2
				for k := range 4 {
					padRow(buf[k][:span], planeRow(plane, 2*ti-1+k, H, W), 2*t0)
				}
				o := c*P + (r-r0)*tw + t0
				inputTiles(v[o:], C*P, &buf, nt)
			}
		}
	}
}

// inputTiles writes Bᵀ d B of nt tiles, whose patches are the 4×4 windows
// at columns 2t of the four padded rows d, to v[ξ·stride + t].
func inputTiles(v []float32, stride int, d *[4][winoSpan]float32, nt int) {
	v = v[:15*stride+nt]
	for t := range nt {
		r0 := (*[4]float32)(d[0][2*t:])
		r1 := (*[4]float32)(d[1][2*t:])
		r2 := (*[4]float32)(d[2][2*t:])
		r3 := (*[4]float32)(d[3][2*t:])
		var m [4][4]float32 // Bᵀ d
		for s := range 4 {
			m[0][s] = r0[s] - r2[s]
			m[1][s] = r1[s] + r2[s]
			m[2][s] = r2[s] - r1[s]
			m[3][s] = r1[s] - r3[s]
		}
		for a := range 4 {
			e := &m[a]
			v[(4*a+0)*stride+t] = e[0] - e[2]
			v[(4*a+1)*stride+t] = e[1] + e[2]
			v[(4*a+2)*stride+t] = e[2] - e[1]
			v[(4*a+3)*stride+t] = e[1] - e[3]
		}
	}
}

// WinogradOutput writes the output tiles Aᵀ M A of tile rows [r0, r1) into
// y (n × K × H × W) from m (16 × K × P); a last tile past an odd H or W is
// clipped.
func WinogradOutput(y, m []float32, g WinogradGeom, r0, r1 int) {
	K, H, W := g.K, g.H, g.W
	th, tw := g.TileRows(), g.TileCols()
	P := (r1 - r0) * tw
	m = m[:16*K*P]
	var buf [2][2 * winoChunk]float32
	for r := r0; r < r1; r++ {
		img, ti := r/th, r%th
		for k := range K {
			plane := y[(img*K+k)*H*W : (img*K+k+1)*H*W]
			for t0 := 0; t0 < tw; t0 += winoChunk {
				nt := min(winoChunk, tw-t0)
				outputTiles(&buf, m[k*P+(r-r0)*tw+t0:], K*P, nt)
				cols := min(2*nt, W-2*t0)
				copy(plane[2*ti*W+2*t0:2*ti*W+2*t0+cols], buf[0][:cols])
				if 2*ti+1 < H {
					copy(plane[(2*ti+1)*W+2*t0:(2*ti+1)*W+2*t0+cols], buf[1][:cols])
				}
			}
		}
	}
}

// outputTiles writes Aᵀ M A of nt tiles (M[ξ] at m[ξ·stride + t]) to the
// two output rows o, columns 2t and 2t+1.
func outputTiles(o *[2][2 * winoChunk]float32, m []float32, stride, nt int) {
	m = m[:15*stride+nt]
	for t := range nt {
		var e [4][2]float32 // M A
		for a := range 4 {
			m0, m1, m2, m3 := m[(4*a)*stride+t], m[(4*a+1)*stride+t], m[(4*a+2)*stride+t], m[(4*a+3)*stride+t]
			e[a][0] = m0 + m1 + m2
			e[a][1] = m1 - m2 - m3
		}
		for s := range 2 {
			o[0][2*t+s] = e[0][s] + e[1][s] + e[2][s]
			o[1][2*t+s] = e[1][s] - e[2][s] - e[3][s]
		}
	}
}

// WinogradOutputGrad computes dm (16 × K × P), the gradient of the
// transformed products, dM = A dY Aᵀ per tile, from dy (n × K × H × W) for
// tile rows [r0, r1).
func WinogradOutputGrad(dm, dy []float32, g WinogradGeom, r0, r1 int) {
	K, H, W := g.K, g.H, g.W
	th, tw := g.TileRows(), g.TileCols()
	P := (r1 - r0) * tw
	dm = dm[:16*K*P]
	var buf [2][2 * winoChunk]float32
	for r := r0; r < r1; r++ {
		img, ti := r/th, r%th
		for k := range K {
			plane := dy[(img*K+k)*H*W : (img*K+k+1)*H*W]
			for t0 := 0; t0 < tw; t0 += winoChunk {
				nt := min(winoChunk, tw-t0)
				for i := range 2 {
					// padRow reads from one column left: shift by one
					padRow(buf[i][:2*nt], planeRow(plane, 2*ti+i, H, W), 2*t0+1)
				}
				outputGradTiles(dm[k*P+(r-r0)*tw+t0:], K*P, &buf, nt)
			}
		}
	}
}

// outputGradTiles writes A dY Aᵀ of nt tiles (dY the 2×2 blocks at columns
// 2t of the two rows d) to dm[ξ·stride + t].
func outputGradTiles(dm []float32, stride int, d *[2][2 * winoChunk]float32, nt int) {
	dm = dm[:15*stride+nt]
	for t := range nt {
		y00, y01, y10, y11 := d[0][2*t], d[0][2*t+1], d[1][2*t], d[1][2*t+1]
		// rows of A dY: y0, y0+y1, y0−y1, −y1
		var e [4][2]float32
		e[0] = [2]float32{y00, y01}
		e[1] = [2]float32{y00 + y10, y01 + y11}
		e[2] = [2]float32{y00 - y10, y01 - y11}
		e[3] = [2]float32{-y10, -y11}
		for a := range 4 {
			p, q := e[a][0], e[a][1]
			dm[(4*a)*stride+t] = p
			dm[(4*a+1)*stride+t] = p + q
			dm[(4*a+2)*stride+t] = p - q
			dm[(4*a+3)*stride+t] = -q
		}
	}
}

// WinogradInputGrad adds to dx (n × C × H × W) the gradient of the input
// patches, B dV Bᵀ per tile, from dv (16 × C × P) for tile rows [r0, r1).
// Patches overlap; they are added tile by tile in order.
func WinogradInputGrad(dx, dv []float32, g WinogradGeom, r0, r1 int) {
	C, H, W := g.C, g.H, g.W
	th, tw := g.TileRows(), g.TileCols()
	P := (r1 - r0) * tw
	dv = dv[:16*C*P]
	var buf [4][winoSpan]float32
	for r := r0; r < r1; r++ {
		img, ti := r/th, r%th
		for c := range C {
			plane := dx[(img*C+c)*H*W : (img*C+c+1)*H*W]
			for t0 := 0; t0 < tw; t0 += winoChunk {
				nt := min(winoChunk, tw-t0)
				span := 2*nt + 2
				inputGradTiles(&buf, dv[c*P+(r-r0)*tw+t0:], C*P, nt)
				for k := range 4 {
					row := planeRow(plane, 2*ti-1+k, H, W)
					if row == nil {
						continue
					}
					// buf column j is image column 2·t0 − 1 + j
					lo, hi := max(2*t0-1, 0), min(2*t0-1+span, W)
					src := buf[k][lo-(2*t0-1) : hi-(2*t0-1)]
					dst := row[lo:hi]
					for j, s := range src {
						dst[j] += s
					}
				}
			}
		}
	}
}

// inputGradTiles overwrites the four padded rows d (2·nt+2 columns) with the
// sum of the patch gradients B dV Bᵀ of nt tiles (dV[ξ] at dv[ξ·stride + t]),
// tile t at columns 2t…2t+3.
func inputGradTiles(d *[4][winoSpan]float32, dv []float32, stride, nt int) {
	dv = dv[:15*stride+nt]
	for k := range 4 {
		clear(d[k][:2*nt+2])
	}
	for t := range nt {
		var e [4][4]float32 // dV Bᵀ
		for a := range 4 {
			v0, v1, v2, v3 := dv[(4*a)*stride+t], dv[(4*a+1)*stride+t], dv[(4*a+2)*stride+t], dv[(4*a+3)*stride+t]
			e[a] = [4]float32{v0, v1 - v2 + v3, v1 + v2 - v0, -v3}
		}
		r0 := (*[4]float32)(d[0][2*t:])
		r1 := (*[4]float32)(d[1][2*t:])
		r2 := (*[4]float32)(d[2][2*t:])
		r3 := (*[4]float32)(d[3][2*t:])
		for s := range 4 {
			r0[s] += e[0][s]
			r1[s] += e[1][s] - e[2][s] + e[3][s]
			r2[s] += e[1][s] + e[2][s] - e[0][s]
			r3[s] -= e[3][s]
		}
	}
}
