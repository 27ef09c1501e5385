package kernels

// packAGo copies the rows [i0, i0+rows) and steps [p0, p0+kc) of op(A) into
// dst as one micro-panel: kc groups of mr consecutive values (row i0+r at
// position r), zero-padded when rows < mr.
func packAGo(dst []float32, transA bool, a []float32, lda, i0, rows, p0, kc, mr int) {
	dst = dst[:kc*mr]
	if transA {
		// op(A)[i][p] = a[p·lda + i]: each step is a contiguous run.
		for p := 0; p < kc; p++ {
			d := dst[p*mr : (p+1)*mr]
			n := copy(d, a[(p0+p)*lda+i0:][:rows])
			clear(d[n:])
		}
		return
	}
	if rows < mr {
		clear(dst)
	}
	for r := 0; r < rows; r++ {
		src := a[(i0+r)*lda+p0:][:kc]
		for p, v := range src {
			dst[p*mr+r] = v
		}
	}
}

// packBGo copies the steps [p0, p0+kc) and columns [j0, j0+cols) of op(B) into
// dst as consecutive micro-panels of nr columns (each kc groups of nr
// values), the last one zero-padded.
func packBGo(dst []float32, transB bool, b []float32, ldb, p0, kc, j0, cols, nr int) {
	panels := (cols + nr - 1) / nr
	dst = dst[:panels*kc*nr]
	if !transB {
		// op(B)[p][j] = b[p·ldb + j]: read each row of B once, left to right.
		for p := 0; p < kc; p++ {
			row := b[(p0+p)*ldb+j0:][:cols]
			for q := 0; q < panels; q++ {
				d := dst[(q*kc+p)*nr : (q*kc+p+1)*nr]
				n := copy(d, row[q*nr:min((q+1)*nr, cols)])
				clear(d[n:])
			}
		}
		return
	}
	// op(B)[p][j] = b[j·ldb + p]: column j of the panel is a contiguous run.
	for q := 0; q < panels; q++ {
		panel := dst[q*kc*nr : (q+1)*kc*nr]
		width := min(nr, cols-q*nr)
		if width < nr {
			clear(panel)
		}
		for jj := 0; jj < width; jj++ {
			src := b[(j0+q*nr+jj)*ldb+p0:][:kc]
			for p, v := range src {
				panel[p*nr+jj] = v
			}
		}
	}
}
