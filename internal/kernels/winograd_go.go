package kernels

import "unsafe"

// winoImpl is one implementation of the inner loops of the Winograd
// transforms (winoTransform), each transform being a column pass (along
// the image rows, between the image and the scratch h) and a row pass
// (across the patch rows, between h and the block matrix), both applying
// the same 1-D transform of the tile size (winoTf). Streams of h are winoQ
// floats apart; v, m, dm and dv are the block's matrices, their n² streams
// `stride` floats apart. The row loops work on cnt ≥ 1 consecutive tiles.
// Every implementation computes the same sums in the same order, so all
// give bit-identical results.
type winoImpl struct {
	name string
	// asm returns the assembly loops for tile size m and tile rows of nt
	// tiles; nil for the pure-Go implementation.
	asm func(m, nt int) *winoAsmLoops
}

// winoAsmLoops are the assembly loops of one tile size and row length, by
// direction (winoDir), on raw pointers: the column loops take (scratch,
// plane) when the direction reads its image, else (plane, scratch), then
// the first column c0, nt ≥ 1 tiles, the plane's width and height, its row
// y0 of patch (or output) row 0 and rows ≥ 1 tile rows; the row loops take
// (block, scratch) when the direction reads its image, else (scratch,
// block), the block's stream stride and n ≥ 1 tiles.
type winoAsmLoops struct {
	cols [4]winoColLoop
	rows [4]winoRowLoop
}

// winoColLoop and winoRowLoop are the signatures of the assembly loops.
type (
	winoColLoop func(x, y unsafe.Pointer, c0, nt, w, hgt, y0, rows int)
	winoRowLoop func(dst, src unsafe.Pointer, stride, n int)
)

// winoLoops are the loops of the transforms of one tile size tf and tile
// rows of nt tiles, chosen once per chunk (loops); asm nil: pure Go.
type winoLoops struct {
	tf  *winoTf
	asm *winoAsmLoops
}

// loops returns k's loops for tile size tf and tile rows of nt tiles.
func (k winoImpl) loops(tf *winoTf, nt int) winoLoops {
	if k.asm == nil {
		return winoLoops{tf: tf}
	}
	return winoLoops{tf: tf, asm: k.asm(tf.m, nt)}
}

// The loops follow the contracts of the pure-Go ones below. With m the
// tile size and n = m+2, the column loops work on `rows` tile rows of one
// H×W image plane: tile row k reads or writes the plane rows y0+m·k+i (i <
// n patch rows on the input side, m on the output side), tile t the
// columns c0+m·t+j, its scratch streams from h[(n·i+s)·winoQ + k·nt];
// columns and rows outside the plane are zeros (reads) or left out
// (writes). The row loops read and write stream n·a+s (a across the patch
// rows, s along them).

// hStreams is the number of scratch streams of direction d: n² on the
// input side, n·m on the output side.
func (l winoLoops) hStreams(d winoDir) int {
	n := l.tf.m + 2
	if d.inputSide() {
		return n * n
	}
	return n * l.tf.m
}

// cols runs the column loop of direction d on the scratch h and the
// plane. The slice bounds of the assembly call cover every float the
// loops touch: lanes off the masks (past nt, outside the row) are never
// accessed.
func (l winoLoops) cols(d winoDir, h, plane []float32, H, W, y0, rows, c0, nt int) {
	if l.asm == nil {
		switch d {
		case winoInput:
			colsInGo(l.tf, h, plane, H, W, y0, rows, c0, nt)
		case winoOutput:
			colsOutGo(l.tf, plane, h, H, W, y0, rows, c0, nt)
		case winoOutputGrad:
			colsOutGradGo(l.tf, h, plane, H, W, y0, rows, c0, nt)
		case winoInputGrad:
			colsInGradGo(l.tf, plane, h, H, W, y0, rows, c0, nt)
		}
		return
	}
	h, plane = h[:(l.hStreams(d)-1)*winoQ+rows*nt], plane[:H*W]
	x, y := unsafe.Pointer(&h[0]), unsafe.Pointer(&plane[0])
	if !d.readsImage() {
		x, y = y, x
	}
	l.asm.cols[d](x, y, c0, nt, W, H, y0, rows)
}

// rows runs the row loop of direction d between the block matrix blk
// (streams stride apart) and the scratch h, on cnt tiles.
func (l winoLoops) rows(d winoDir, blk []float32, stride int, h []float32, cnt int) {
	if l.asm == nil {
		switch d {
		case winoInput:
			rowsInGo(l.tf, blk, stride, h, cnt)
		case winoOutput:
			rowsOutGo(l.tf, h, blk, stride, cnt)
		case winoOutputGrad:
			rowsOutGradGo(l.tf, blk, stride, h, cnt)
		case winoInputGrad:
			rowsInGradGo(l.tf, h, blk, stride, cnt)
		}
		return
	}
	n := l.tf.m + 2
	blk, h = blk[:(n*n-1)*stride+cnt], h[:(l.hStreams(d)-1)*winoQ+cnt]
	dst, src := unsafe.Pointer(&blk[0]), unsafe.Pointer(&h[0])
	if !d.readsImage() {
		dst, src = src, dst
	}
	l.asm.rows[d](dst, src, stride, cnt)
}

// wino is the implementation the transforms use: the first of winoImpls().
var wino = winoImpls()[0]

// winoGo is the pure-Go implementation, the reference of the others.
var winoGo = winoImpl{name: "go"}

// winoTf is the tile size m of F(m×m, 3×3), n = m+2 the patch size: the
// pure-Go loops below run its loops in winograd_go2.go or winograd_go4.go.
type winoTf struct{ m int }

var winoTf2, winoTf4 = winoTf{2}, winoTf{4}

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
	for k := range rows {
		for i := range n {
			row, hi := planeRow(plane, y0+m*k+i, H, W), h[n*i*winoQ+k*nt:]
			if m == 4 {
				colsInRow4(hi, row, c0, nt)
			} else {
				colsInRow2(hi, row, c0, nt)
			}
		}
	}
}

// colsOutGo: row y0+m·k+i, columns c0+m·t+j (those inside the plane) =
// (e A)[j] of e = h[n·i+0…n−1][k·nt+t].
func colsOutGo(tf *winoTf, plane, h []float32, H, W, y0, rows, c0, nt int) {
	m, n := tf.m, tf.m+2
	for k := range rows {
		for i := range m {
			row := planeRow(plane, y0+m*k+i, H, W)
			if row == nil {
				continue
			}
			if hi := h[n*i*winoQ+k*nt:]; m == 4 {
				colsOutRow4(row, hi, c0, nt)
			} else {
				colsOutRow2(row, hi, c0, nt)
			}
		}
	}
}

// colsOutGradGo: h[n·i+b][k·nt+t] = (dY A)[b] of the m values dY of row
// y0+m·k+i, columns c0+m·t+j.
func colsOutGradGo(tf *winoTf, h, plane []float32, H, W, y0, rows, c0, nt int) {
	m, n := tf.m, tf.m+2
	for k := range rows {
		for i := range m {
			row, hi := planeRow(plane, y0+m*k+i, H, W), h[n*i*winoQ+k*nt:]
			if m == 4 {
				colsOutGradRow4(hi, row, c0, nt)
			} else {
				colsOutGradRow2(hi, row, c0, nt)
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
	for k := range rows {
		for i := range n {
			row := planeRow(plane, y0+m*k+i, H, W)
			if row == nil {
				continue
			}
			if hi := h[n*i*winoQ+k*nt:]; m == 4 {
				colsInGradRow4(row, hi, c0, nt)
			} else {
				colsInGradRow2(row, hi, c0, nt)
			}
		}
	}
}

// rowsInGo: v[n·a+s][q] = (Bᵀ h[n·i+s][q] over i)[a].
func rowsInGo(tf *winoTf, v []float32, stride int, h []float32, cnt int) {
	if tf.m == 4 {
		rowsIn4(v, stride, h, cnt)
	} else {
		rowsIn2(v, stride, h, cnt)
	}
}

// rowsOutGo: h[n·i+s][q] = (Aᵀ m[n·a+s][q] over a)[i], i < m.
func rowsOutGo(tf *winoTf, h, mm []float32, stride, cnt int) {
	if tf.m == 4 {
		rowsOut4(h, mm, stride, cnt)
	} else {
		rowsOut2(h, mm, stride, cnt)
	}
}

// rowsOutGradGo: dm[n·a+b][q] = (A h[n·i+b][q] over i < m)[a].
func rowsOutGradGo(tf *winoTf, dm []float32, stride int, h []float32, cnt int) {
	if tf.m == 4 {
		rowsOutGrad4(dm, stride, h, cnt)
	} else {
		rowsOutGrad2(dm, stride, h, cnt)
	}
}

// rowsInGradGo: h[n·i+b][q] = (B dv[n·a+b][q] over a)[i].
func rowsInGradGo(tf *winoTf, h, dv []float32, stride, cnt int) {
	if tf.m == 4 {
		rowsInGrad4(h, dv, stride, cnt)
	} else {
		rowsInGrad2(h, dv, stride, cnt)
	}
}
