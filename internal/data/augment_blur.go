package data

import "math"

// gaussianBlur convolves each of the c s×s planes of t with a Gaussian of
// standard deviation sigma pixels, truncated at radius ⌈3σ⌉ and normalised
// to sum 1: separably (rows, then columns), the edge replicated.
func gaussianBlur(t []float32, c, s int, sigma float64) {
	r := int(math.Ceil(3 * sigma))
	k := make([]float32, r+1) // k[j] weighs the taps at distance j
	var sum float64
	w := make([]float64, r+1)
	for j := range w {
		w[j] = math.Exp(-float64(j*j) / (2 * sigma * sigma))
		sum += w[j]
		if j > 0 {
			sum += w[j]
		}
	}
	for j := range k {
		k[j] = float32(w[j] / sum)
	}
	n := s * s
	buf := make([]float32, s+2*r+n)
	pad := buf[:s+2*r] // one row with r replicated values each side
	tmp := buf[s+2*r:] // the plane blurred along rows
	for ch := 0; ch < c; ch++ {
		plane := t[ch*n : (ch+1)*n]
		for y := 0; y < s; y++ {
			row := plane[y*s:][:s]
			copy(pad[r:], row)
			for i := 0; i < r; i++ {
				pad[i], pad[r+s+i] = row[0], row[s-1]
			}
			out := tmp[y*s:][:s]
			mid := pad[r:][:s]
			for x := range out {
				out[x] = k[0] * mid[x]
			}
			for j := 1; j <= r; j++ {
				a, b, kj := pad[r-j:][:s], pad[r+j:][:s], k[j]
				for x := range out {
					out[x] += kj * (a[x] + b[x])
				}
			}
		}
		for y := 0; y < s; y++ {
			out := plane[y*s:][:s]
			mid := tmp[y*s:][:s]
			for x := range out {
				out[x] = k[0] * mid[x]
			}
			for j := 1; j <= r; j++ {
				a := tmp[max(y-j, 0)*s:][:s]
				b := tmp[min(y+j, s-1)*s:][:s]
				kj := k[j]
				for x := range out {
					out[x] += kj * (a[x] + b[x])
				}
			}
		}
	}
}
