package kernels

import "sync"

// validRange returns the output positions [lo, hi) of one output axis of
// length n whose input index o·s − p + k falls inside [0, size).
func validRange(n, s, p, k, size int) (lo, hi int) {
	// o·s − p + k ≥ 0  ⇔  o ≥ ceil((p − k)/s)
	if d := p - k; d > 0 {
		lo = (d + s - 1) / s
	}
	// o·s − p + k ≤ size − 1  ⇔  o ≤ floor((size − 1 + p − k)/s)
	if d := size - 1 + p - k; d < 0 {
		hi = 0
	} else {
		hi = min(d/s+1, n)
	}
	return min(lo, n), max(hi, min(lo, n))
}

// depthwiseGeneric is DepthwiseConv for any geometry, plane by plane and
// filter row by filter row (stride 1 through the row correlation of vec,
// other strides in scalar loops): the reference of the fast paths.
func depthwiseGeneric(out, in, weight []float32, g ConvGeom) {
	oh, ow := g.OutH(), g.OutW()
	for c := 0; c < g.C; c++ {
		dst := out[c*oh*ow : (c+1)*oh*ow]
		clear(dst)
		plane := in[c*g.H*g.W : (c+1)*g.H*g.W]
		w := weight[c*g.KH*g.KW : (c+1)*g.KH*g.KW]
		for ki := 0; ki < g.KH; ki++ {
			y0, y1 := validRange(oh, g.SH, g.PH, ki, g.H)
			wrow := w[ki*g.KW : (ki+1)*g.KW]
			for y := y0; y < y1; y++ {
				src := plane[(y*g.SH-g.PH+ki)*g.W:][:g.W]
				row := dst[y*ow : (y+1)*ow]
				if g.SW == 1 {
					dwRowForward(row, src, wrow, g.PW)
					continue
				}
				for kj, wv := range wrow {
					x0, x1 := validRange(ow, g.SW, g.PW, kj, g.W)
					ix := x0*g.SW - g.PW + kj
					for x := x0; x < x1; x++ {
						row[x] += wv * src[ix]
						ix += g.SW
					}
				}
			}
		}
	}
}

// dwRowForward adds one filter row w (stride 1, left padding pw) applied to
// the input row src into the output row: row[x] += Σ_j w[j]·src[x−pw+j]
// over the taps inside src. The interior, where every tap is inside, runs
// as one row correlation.
func dwRowForward(row, src, w []float32, pw int) {
	kw := len(w)
	xa := min(pw, len(row))
	xb := max(min(len(row), len(src)-kw+pw+1), xa)
	if xb > xa {
		vec.rowCorr(row[xa:xb], src[xa-pw:], w)
	}
	edge := func(x int) {
		var s float32
		for j, wv := range w {
			if ix := x - pw + j; ix >= 0 && ix < len(src) {
				s += wv * src[ix]
			}
		}
		row[x] += s
	}
	for x := 0; x < xa; x++ {
		edge(x)
	}
	for x := xb; x < len(row); x++ {
		edge(x)
	}
}

// dwRowBackward adds the input-gradient row of one filter row w (stride 1,
// left padding pw): dRow[ix] += Σ_j w[j]·dy[ix+pw−j] over the taps inside
// dy; wFlip is scratch of len(w). The interior is a row correlation with the
// flipped filter.
func dwRowBackward(dRow, dy, w, wFlip []float32, pw int) {
	kw := len(w)
	ia := min(max(kw-1-pw, 0), len(dRow))
	ib := max(min(len(dy)-pw, len(dRow)), ia)
	if ib > ia {
		for j, v := range w {
			wFlip[kw-1-j] = v
		}
		vec.rowCorr(dRow[ia:ib], dy[ia+pw-kw+1:], wFlip)
	}
	edge := func(ix int) {
		var s float32
		for j, wv := range w {
			if ox := ix + pw - j; ox >= 0 && ox < len(dy) {
				s += wv * dy[ox]
			}
		}
		dRow[ix] += s
	}
	for ix := 0; ix < ia; ix++ {
		edge(ix)
	}
	for ix := ib; ix < len(dRow); ix++ {
		edge(ix)
	}
}

// flipPool holds depthwiseBackwardGeneric's flipped-filter scratch (a
// *[]float32), so that callers running it once per plane allocate nothing
// in steady state.
var flipPool = sync.Pool{New: func() any { return new([]float32) }}

// depthwiseBackwardGeneric is DepthwiseConvBackward (accIn) or
// DepthwiseConvBackwardOverwrite for any geometry (the reference of the fast
// paths): filter gradients as sums of row dot products, input gradients
// accumulated row by row as depthwiseGeneric (after clearing dIn unless
// accIn).
func depthwiseBackwardGeneric(dIn, dW, dOut, in, weight []float32, g ConvGeom, accIn bool) {
	if dIn != nil && !accIn {
		clear(dIn[:g.C*g.H*g.W])
	}
	oh, ow := g.OutH(), g.OutW()
	fp := flipPool.Get().(*[]float32)
	defer flipPool.Put(fp)
	if cap(*fp) < g.KW {
		*fp = make([]float32, g.KW)
	}
	wFlip := (*fp)[:g.KW]
	for c := 0; c < g.C; c++ {
		dy := dOut[c*oh*ow : (c+1)*oh*ow]
		plane := in[c*g.H*g.W : (c+1)*g.H*g.W]
		var dplane []float32
		if dIn != nil {
			dplane = dIn[c*g.H*g.W : (c+1)*g.H*g.W]
		}
		w := weight[c*g.KH*g.KW : (c+1)*g.KH*g.KW]
		dw := dW[c*g.KH*g.KW : (c+1)*g.KH*g.KW]
		for ki := 0; ki < g.KH; ki++ {
			y0, y1 := validRange(oh, g.SH, g.PH, ki, g.H)
			for kj := 0; kj < g.KW; kj++ {
				x0, x1 := validRange(ow, g.SW, g.PW, kj, g.W)
				if x0 == x1 {
					continue // the tap never meets the input
				}
				var acc float32
				for y := y0; y < y1; y++ {
					src := plane[(y*g.SH-g.PH+ki)*g.W:]
					row := dy[y*ow : (y+1)*ow]
					ix := x0*g.SW - g.PW + kj
					if g.SW == 1 {
						acc += Dot(row[x0:x1], src[ix:ix+x1-x0])
						continue
					}
					for x := x0; x < x1; x++ {
						acc += row[x] * src[ix]
						ix += g.SW
					}
				}
				dw[ki*g.KW+kj] += acc
			}
			if dplane == nil {
				continue
			}
			wrow := w[ki*g.KW : (ki+1)*g.KW]
			for y := y0; y < y1; y++ {
				dRow := dplane[(y*g.SH-g.PH+ki)*g.W:][:g.W]
				row := dy[y*ow : (y+1)*ow]
				if g.SW == 1 {
					dwRowBackward(dRow, row, wrow, wFlip, g.PW)
					continue
				}
				for kj, wv := range wrow {
					x0, x1 := validRange(ow, g.SW, g.PW, kj, g.W)
					ix := x0*g.SW - g.PW + kj
					for x := x0; x < x1; x++ {
						dRow[ix] += wv * row[x]
						ix += g.SW
					}
				}
			}
		}
	}
}
