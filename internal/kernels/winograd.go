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
// as 16 matrices ξ = 4a+b of rows × P (ξ stride rows·P). Each transform
// runs in chunks of at most winoQ tiles: a column pass between the image
// planes and a scratch on the stack, then a row pass between the scratch and
// the block (see winoImpl).

// WinogradGeom is a 3×3, stride-1, pad-1 convolution of C input channels to
// K output channels on H×W images (the output is H×W too).
type WinogradGeom struct{ C, K, H, W int }

// TileRows is the number of 2×2 output tile rows of one image, ⌈H/2⌉.
func (g WinogradGeom) TileRows() int { return (g.H + 1) / 2 }

// TileCols is the number of 2×2 output tiles in a tile row, ⌈W/2⌉.
func (g WinogradGeom) TileCols() int { return (g.W + 1) / 2 }

// winoQ is the number of tiles a transform handles at a time (whole tile
// rows, or a part of a row longer than winoQ): its scratch of 16 streams of
// winoQ floats lives on the stack.
const winoQ = 128

// winoScratch is a transform's scratch: 16 streams h of winoQ tiles (the
// half-transformed tiles).
type winoScratch struct{ h [16 * winoQ]float32 }

// winoChunks is the number of chunks of the tile rows [r0, r1) (see
// winoChunk).
func winoChunks(g WinogradGeom, r0, r1 int) int {
	tw := g.TileCols()
	rc := max(1, winoQ/tw)
	return (r1 - r0 + rc - 1) / rc * ((tw + winoQ - 1) / winoQ)
}

// winoChunk returns chunk ci of the tile rows [r0, r1): tile rows
// [ra, rb), tiles t0 … t0+nt−1 of each (whole rows when a row has at most
// winoQ tiles), which are the (rb−ra)·nt consecutive tiles of the block
// from q0.
func winoChunk(g WinogradGeom, r0, r1, ci int) (ra, rb, t0, nt, q0 int) {
	tw := g.TileCols()
	rc := max(1, winoQ/tw)
	segs := (tw + winoQ - 1) / winoQ
	ra, t0 = r0+ci/segs*rc, ci%segs*winoQ
	return ra, min(ra+rc, r1), t0, min(winoQ, tw-t0), (ra-r0)*tw + t0
}

// WinogradFilter computes the transformed filters u (16 × K × C), u[ξ][k][c]
// = (G w_kc Gᵀ)[ξ], of w (K × C × 3 × 3), for the output channels k in
// [k0, k1) (each (k, c) on its own, so any split gives the same u).
func WinogradFilter(u, w []float32, g WinogradGeom, k0, k1 int) {
	K, C := g.K, g.C
	u = u[:16*K*C]
	w = w[:K*C*9]
	for kc := k0 * C; kc < k1*C; kc++ {
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

// WinogradFilterGrad adds to dw (K × C × 3 × 3) the gradient of the
// filters from that of the transformed ones, du (16 × K × C):
// dw_kc += Gᵀ du_kc G, for the output channels k in [k0, k1).
func WinogradFilterGrad(dw, du []float32, g WinogradGeom, k0, k1 int) {
	K, C := g.K, g.C
	du = du[:16*K*C]
	dw = dw[:K*C*9]
	for kc := k0 * C; kc < k1*C; kc++ {
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
			f[s] += t0 + 0.5*(t1+t2)
			f[3+s] += 0.5 * (t1 - t2)
			f[6+s] += 0.5*(t1+t2) + t3
		}
	}
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
	var s winoScratch
	for ci := range winoChunks(g, r0, r1) {
		ra, rb, t0, nt, q0 := winoChunk(g, r0, r1, ci)
		for c := range C {
			for r := ra; r < rb; {
				img, ti := r/th, r%th
				e := min(rb, (img+1)*th) // the tile rows of this image
				wino.colsIn(s.h[(r-ra)*nt:], x[(img*C+c)*H*W:(img*C+c+1)*H*W], H, W, 2*ti-1, e-r, 2*t0-1, nt)
				r = e
			}
			wino.rowsIn(v[c*P+q0:], C*P, s.h[:], (rb-ra)*nt)
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
	var s winoScratch
	for ci := range winoChunks(g, r0, r1) {
		ra, rb, t0, nt, q0 := winoChunk(g, r0, r1, ci)
		for k := range K {
			wino.rowsOut(s.h[:], m[k*P+q0:], K*P, (rb-ra)*nt)
			for r := ra; r < rb; {
				img, ti := r/th, r%th
				e := min(rb, (img+1)*th)
				wino.colsOut(y[(img*K+k)*H*W:(img*K+k+1)*H*W], s.h[(r-ra)*nt:], H, W, 2*ti, e-r, 2*t0, nt)
				r = e
			}
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
	var s winoScratch
	for ci := range winoChunks(g, r0, r1) {
		ra, rb, t0, nt, q0 := winoChunk(g, r0, r1, ci)
		for k := range K {
			for r := ra; r < rb; {
				img, ti := r/th, r%th
				e := min(rb, (img+1)*th)
				wino.colsOutGrad(s.h[(r-ra)*nt:], dy[(img*K+k)*H*W:(img*K+k+1)*H*W], H, W, 2*ti, e-r, 2*t0, nt)
				r = e
			}
			wino.rowsOutGrad(dm[k*P+q0:], K*P, s.h[:], (rb-ra)*nt)
		}
	}
}

// WinogradInputGrad adds to dx (n × C × H × W) the gradient of the input
// patches, B dV Bᵀ per tile, from dv (16 × C × P) for tile rows [r0, r1).
// Patches overlap; the sums are added in a fixed order.
func WinogradInputGrad(dx, dv []float32, g WinogradGeom, r0, r1 int) {
	C, H, W := g.C, g.H, g.W
	th, tw := g.TileRows(), g.TileCols()
	P := (r1 - r0) * tw
	dv = dv[:16*C*P]
	var s winoScratch
	for ci := range winoChunks(g, r0, r1) {
		ra, rb, t0, nt, q0 := winoChunk(g, r0, r1, ci)
		for c := range C {
			wino.rowsInGrad(s.h[:], dv[c*P+q0:], C*P, (rb-ra)*nt)
			for r := ra; r < rb; {
				img, ti := r/th, r%th
				e := min(rb, (img+1)*th)
				wino.colsInGrad(dx[(img*C+c)*H*W:(img*C+c+1)*H*W], s.h[(r-ra)*nt:], H, W, 2*ti-1, e-r, 2*t0-1, nt)
				r = e
			}
		}
	}
}
