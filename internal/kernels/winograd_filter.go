package kernels

// The per-tile-size loops of WinogradFilter and WinogradFilterGrad
// (winograd.go), on runs of winoFilterRun filters.

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
