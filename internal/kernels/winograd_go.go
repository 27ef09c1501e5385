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
	name string
	isa  winoISA
}

// winoISA names the loops of an implementation.
type winoISA int

const (
	winoPureGo      winoISA = iota // the pure-Go loops below
	winoAVX512Loops                // winograd_avx512_amd64.s
	winoAVX2Loops                  // winograd_avx2_amd64.s
)

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
