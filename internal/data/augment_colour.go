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

// colourParts splits colourMatrix(sat, hue) = parts[0] + sat·cos(2π·hue)·
// parts[1] + sat·sin(2π·hue)·parts[2]: with T = yiq and T⁻¹ its inverse
// (computed, so that colourMatrix(1, 0) is the identity to float64
// precision), the luma part T⁻¹[:,0]·T[0,:], the chroma part
// T⁻¹[:,1]·T[1,:] + T⁻¹[:,2]·T[2,:] and its quarter turn
// T⁻¹[:,2]·T[1,:] − T⁻¹[:,1]·T[2,:].
var colourParts = func() (p [3][3][3]float64) {
	var inv mat.Dense
	if err := inv.Inverse(yiq); err != nil {
		panic(err)
	}
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			p[0][i][j] = inv.At(i, 0) * yiq.At(0, j)
			p[1][i][j] = inv.At(i, 1)*yiq.At(1, j) + inv.At(i, 2)*yiq.At(2, j)
			p[2][i][j] = inv.At(i, 2)*yiq.At(1, j) - inv.At(i, 1)*yiq.At(2, j)
		}
	}
	return p
}()

// colourMatrix returns the RGB matrix that scales the chroma by sat and
// rotates it by hue turns: T⁻¹ · diag(1, sat·R(2π·hue)) · T with T = yiq.
// It keeps the luma and maps grey to itself, so it commutes with the
// normalisation v ↦ v/127.5 − 1 and applies to normalised values directly.
func colourMatrix(sat, hue float64) (m [3][3]float32) {
	sin, cos := math.Sincos(2 * math.Pi * hue)
	p := &colourParts
	for i := range m {
		for j := range m[i] {
			m[i][j] = float32(p[0][i][j] + sat*cos*p[1][i][j] + sat*sin*p[2][i][j])
		}
	}
	return m
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
