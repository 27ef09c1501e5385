package data

import (
	"math"

	"gonum.org/v1/gonum/mat"
)

// toGrey replaces the 3 planes of n pixels in t by their luma (ITU-R 601
// weights). The float32 conversions keep the sum from being fused into FMAs,
// so every GOARCH computes the same values.
func toGrey(t []float32, n int) {
	r, g, b := t[:n], t[n:2*n], t[2*n:3*n]
	for i := range r {
		y := float32(0.299*r[i]) + float32(0.587*g[i]) + float32(0.114*b[i])
		r[i], g[i], b[i] = y, y, y
	}
}

// yiq is the NTSC RGB → YIQ matrix: Y is the luma, I and Q the chroma.
var yiq = mat.NewDense(3, 3, []float64{
	0.299, 0.587, 0.114,
	0.595716, -0.274453, -0.321263,
	0.211456, -0.522591, 0.311135,
})

// yiqInv is the inverse of yiq, computed rather than rounded from a table
// so that colourMatrix(1, 0) is the identity to float64 precision.
var yiqInv = func() *mat.Dense {
	var inv mat.Dense
	if err := inv.Inverse(yiq); err != nil {
		panic(err)
	}
	return &inv
}()

// colourMatrix returns the RGB matrix that scales the chroma by sat and
// rotates it by hue turns: yiqInv · diag(1, sat·R(2π·hue)) · yiq. It keeps
// the luma and maps grey to itself, so it commutes with the normalisation
// v ↦ v/127.5 − 1 and applies to normalised values directly.
func colourMatrix(sat, hue float64) (out [3][3]float32) {
	sin, cos := math.Sincos(2 * math.Pi * hue)
	mid := mat.NewDense(3, 3, []float64{
		1, 0, 0,
		0, sat * cos, -sat * sin,
		0, sat * sin, sat * cos,
	})
	var m mat.Dense
	m.Product(yiqInv, mid, yiq)
	for i := range out {
		for j := range out[i] {
			out[i][j] = float32(m.At(i, j))
		}
	}
	return out
}

// jitterColour maps each of the n RGB pixels of t (3 planes, normalised to
// −1..1) through m and clamps the result to −1..1.
func jitterColour(t []float32, n int, m [3][3]float32) {
	r, g, b := t[:n], t[n:2*n], t[2*n:3*n]
	g, b = g[:len(r)], b[:len(r)]
	m00, m01, m02 := m[0][0], m[0][1], m[0][2]
	m10, m11, m12 := m[1][0], m[1][1], m[1][2]
	m20, m21, m22 := m[2][0], m[2][1], m[2][2]
	for i, x := range r {
		y, z := g[i], b[i]
		r[i] = clamp1(m00*x + m01*y + m02*z)
		g[i] = clamp1(m10*x + m11*y + m12*z)
		b[i] = clamp1(m20*x + m21*y + m22*z)
	}
}

// clamp1 limits v to −1..1 (the builtin min and max order NaNs and signed
// zeros, which these values do not need, at the cost of branches).
func clamp1(v float32) float32 {
	if v > 1 {
		return 1
	}
	if v < -1 {
		return -1
	}
	return v
}
