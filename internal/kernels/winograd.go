package kernels

import "fmt"

// Winograd F(m×m, 3×3) (Lavin & Gray 2015), m = 2 or 4, for 3×3,
// stride-1, pad-1 convolutions: the output is cut into m×m tiles; tile
// (ti, tj) reads the n×n input patch d (n = m+2) at rows m·ti−1 … m·ti+m,
// columns m·tj−1 … m·tj+m (zero outside the image) and is
//
//	Y = Aᵀ [ Σ_c (G g_kc Gᵀ) ⊙ (Bᵀ d_c B) ] A
//
// with, for m = 2, Bᵀ = [[1,0,−1,0],[0,1,1,0],[0,−1,1,0],[0,1,0,−1]],
// G = [[1,0,0],[½,½,½],[½,−½,½],[0,0,1]], Aᵀ = [[1,1,1,0],[0,1,−1,−1]],
// and for m = 4 (points 0, ±1, ±2, ∞)
//
//	Bᵀ = [[4,0,−5,0,1,0],[0,−4,−4,1,1,0],[0,4,−4,−1,1,0],
//	      [0,−2,−1,2,1,0],[0,2,−1,−2,1,0],[0,4,0,−5,0,1]],
//	G  = [[¼,0,0],[−⅙,−⅙,−⅙],[−⅙,⅙,−⅙],[1/24,1/12,⅙],[1/24,−1/12,⅙],[0,0,1]],
//	Aᵀ = [[1,1,1,1,1,0],[0,1,−1,2,−2,0],[0,1,1,4,4,0],[0,1,−1,8,−8,1]].
//
// For each of the T = n² positions ξ of the transformed tile the sum over
// channels is a GEMM: M[ξ] (K×P) = U[ξ] (K×C) · V[ξ] (C×P) over P tiles.
//
// The transforms below work on whole tile rows of a batch of images,
// numbered across the images: tile row r is row r mod TileRows() of image
// r / TileRows(). A transformed block of tile rows [r0, r1) holds
// P = (r1−r0)·TileCols() tiles, tile q = (r−r0)·TileCols() + tj, laid out
// as T matrices ξ = n·a+b of rows × P (ξ stride rows·P). Each transform
// runs in chunks of at most winoQ tiles: a column pass between the image
// planes and a scratch, then a row pass between the scratch and the block,
// or the other way round (see winoTransform and winoImpl).

// WinogradGeom is a 3×3, stride-1, pad-1 convolution of C input channels to
// K output channels on H×W images (the output is H×W too), computed in
// M×M output tiles, M = 2 or 4.
type WinogradGeom struct{ C, K, H, W, M int }

// TileRows is the number of M×M output tile rows of one image, ⌈H/M⌉.
func (g WinogradGeom) TileRows() int { return (g.H + g.M - 1) / g.M }

// TileCols is the number of M×M output tiles in a tile row, ⌈W/M⌉.
func (g WinogradGeom) TileCols() int { return (g.W + g.M - 1) / g.M }

// Positions is the number T = (M+2)² of positions ξ of a transformed tile,
// i.e. of GEMMs.
func (g WinogradGeom) Positions() int { return (g.M + 2) * (g.M + 2) }

// tf returns the 1-D transforms of the geometry's tile size.
func (g WinogradGeom) tf() *winoTf {
	switch g.M {
	case 2:
		return &winoTf2
	case 4:
		return &winoTf4
	}
	panic(fmt.Sprintf("kernels: Winograd tile size %d, want 2 or 4", g.M))
}

// winoQ is the number of tiles a transform handles at a time (whole tile
// rows, or a part of a row longer than winoQ): the size of its scratch's
// n² streams.
const winoQ = 128

// winoScratch is a transform's scratch: n² ≤ 36 streams h of winoQ tiles
// (the half-transformed tiles).
type winoScratch struct{ h [36 * winoQ]float32 }

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

// winoFilterRun is the number of consecutive (k, c) the filter transforms
// take at a time: they go through a buffer of T × winoFilterRun on the
// stack, so that the T streams of u or du (K·C floats apart: their cache
// sets alias) are read or written a whole cache line at a time.
const winoFilterRun = 16

// WinogradFilter computes the transformed filters u (T × K × C), u[ξ][k][c]
// = (G w_kc Gᵀ)[ξ], of w (K × C × 3 × 3), for the output channels k in
// [k0, k1) (each (k, c) on its own, so any split gives the same u).
func WinogradFilter(u, w []float32, g WinogradGeom, k0, k1 int) {
	g.tf() // checks M
	K, C, n := g.K, g.C, g.M+2
	u = u[:g.Positions()*K*C]
	w = w[:K*C*9]
	var buf [36][winoFilterRun]float32
	for r0 := k0 * C; r0 < k1*C; r0 += winoFilterRun {
		cnt := min(winoFilterRun, k1*C-r0)
		if g.M == 4 {
			filterRun4(&buf, w[r0*9:], cnt)
		} else {
			filterRun2(&buf, w[r0*9:], cnt)
		}
		for xi := range n * n {
			copy(u[xi*K*C+r0:xi*K*C+r0+cnt], buf[xi][:cnt])
		}
	}
}

// WinogradFilterGrad adds to dw (K × C × 3 × 3) the gradient of the
// filters from that of the transformed ones, du (T × K × C):
// dw_kc += Gᵀ du_kc G, for the output channels k in [k0, k1).
func WinogradFilterGrad(dw, du []float32, g WinogradGeom, k0, k1 int) {
	g.tf() // checks M
	K, C, n := g.K, g.C, g.M+2
	du = du[:g.Positions()*K*C]
	dw = dw[:K*C*9]
	var buf [36][winoFilterRun]float32
	for r0 := k0 * C; r0 < k1*C; r0 += winoFilterRun {
		cnt := min(winoFilterRun, k1*C-r0)
		for xi := range n * n {
			copy(buf[xi][:cnt], du[xi*K*C+r0:xi*K*C+r0+cnt])
		}
		if g.M == 4 {
			filterGradRun4(dw[r0*9:], &buf, cnt)
		} else {
			filterGradRun2(dw[r0*9:], &buf, cnt)
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

// winoDir is one of the four transforms: which image tensor it reads or
// writes (the input side x, dx: C channels, patches of n rows and columns
// from m·ti−1, m·tj−1; the output side y, dy: K channels, tiles of m from
// m·ti, m·tj) and whether the column pass reads the image into the scratch,
// then the row pass writes the block, or the other way round.
type winoDir int

const (
	winoInput      winoDir = iota // v = Bᵀ d B from x (WinogradInput)
	winoOutput                    // y = Aᵀ M A from m (WinogradOutput)
	winoOutputGrad                // dm = A dY Aᵀ from dy (WinogradOutputGrad)
	winoInputGrad                 // dx += B dV Bᵀ from dv (WinogradInputGrad)
)

// inputSide says whether the direction's image is the convolution's input.
func (d winoDir) inputSide() bool { return d == winoInput || d == winoInputGrad }

// readsImage says whether the direction reads its image (and writes the
// block), rather than the other way round.
func (d winoDir) readsImage() bool { return d == winoInput || d == winoOutputGrad }

// winoScratches recycles the transforms' scratches (18 KB each): the loops
// are called through a table (winoLoops), so a scratch on the stack would
// escape to the heap on every call.
var winoScratches freeList[winoScratch]

// winoTransform runs the transform d between the block blk (T × chans × P)
// of tile rows [r0, r1) and the image tensor img (n × chans × H × W), chans
// being C on the input side and K on the output side, chunk by chunk (see
// winoChunk), channel by channel: the column pass between the image planes
// of the chunk's tile rows and the scratch, the row pass between the
// scratch and the block, in the order of the data flow.
func winoTransform(d winoDir, blk, img []float32, g WinogradGeom, r0, r1 int) {
	chans, off := g.K, 0
	if d.inputSide() {
		chans, off = g.C, -1
	}
	H, W := g.H, g.W
	th, tw, m, tf := g.TileRows(), g.TileCols(), g.M, g.tf()
	P := (r1 - r0) * tw
	blk = blk[:g.Positions()*chans*P]
	s := winoScratches.get()
	defer winoScratches.put(s)
	for ci := range winoChunks(g, r0, r1) {
		ra, rb, t0, nt, q0 := winoChunk(g, r0, r1, ci)
		loops := wino.loops(tf, nt)
		cnt := (rb - ra) * nt
		for c := range chans {
			b := blk[c*P+q0:]
			if !d.readsImage() {
				loops.rows(d, b, chans*P, s.h[:], cnt)
			}
			for r := ra; r < rb; {
				im, ti := r/th, r%th
				e := min(rb, (im+1)*th) // the tile rows of this image
				plane := img[(im*chans+c)*H*W : (im*chans+c+1)*H*W]
				loops.cols(d, s.h[(r-ra)*nt:], plane, H, W, m*ti+off, e-r, m*t0+off, nt)
				r = e
			}
			if d.readsImage() {
				loops.rows(d, b, chans*P, s.h[:], cnt)
			}
		}
	}
}

// WinogradInput computes the transformed input tiles v (T × C × P),
// v[ξ][c][q] = (Bᵀ d B)[ξ] of the patch of tile q in channel c, for tile rows
// [r0, r1) of x (n × C × H × W).
func WinogradInput(v, x []float32, g WinogradGeom, r0, r1 int) {
	winoTransform(winoInput, v, x, g, r0, r1)
}

// WinogradOutput writes the output tiles Aᵀ M A of tile rows [r0, r1) into
// y (n × K × H × W) from m (T × K × P); a last tile past H or W is
// clipped.
func WinogradOutput(y, mm []float32, g WinogradGeom, r0, r1 int) {
	winoTransform(winoOutput, mm, y, g, r0, r1)
}

// WinogradOutputGrad computes dm (T × K × P), the gradient of the
// transformed products, dM = A dY Aᵀ per tile, from dy (n × K × H × W) for
// tile rows [r0, r1).
func WinogradOutputGrad(dm, dy []float32, g WinogradGeom, r0, r1 int) {
	winoTransform(winoOutputGrad, dm, dy, g, r0, r1)
}

// WinogradInputGrad adds to dx (n × C × H × W) the gradient of the input
// patches, B dV Bᵀ per tile, from dv (T × C × P) for tile rows [r0, r1).
// Patches overlap; the sums are added in a fixed order.
func WinogradInputGrad(dx, dv []float32, g WinogradGeom, r0, r1 int) {
	winoTransform(winoInputGrad, dv, dx, g, r0, r1)
}
