// Package align warps face images to a reference set of five landmarks (eyes,
// nose tip, mouth corners) with a least-squares similarity transform, as
// insightface's face_align.norm_crop does with scikit-image, so that the same
// alignment serves training and evaluation. It also reads landmark files.
package align

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Point is an image position (x right, y down) in pixels; pixel (i, j) of an
// image has its centre at (i, j), as in OpenCV and scikit-image.
type Point struct{ X, Y float64 }

// Similarity is a 2×3 affine matrix [[a, −b, tx], [b, a, ty]] mapping a source
// point (x, y) to (M[0]x + M[1]y + M[2], M[3]x + M[4]y + M[5]): rotation,
// uniform scale and translation (scikit-image's SimilarityTransform.params,
// top two rows).
type Similarity [6]float64

// Apply maps p by m.
func (m Similarity) Apply(p Point) Point {
	return Point{m[0]*p.X + m[1]*p.Y + m[2], m[3]*p.X + m[4]*p.Y + m[5]}
}

// Invert returns the inverse transform; it fails when m is singular.
func (m Similarity) Invert() (Similarity, error) {
	det := m[0]*m[4] - m[1]*m[3]
	if det == 0 || math.IsNaN(det) || math.IsInf(det, 0) {
		return Similarity{}, errors.New("align: singular transform")
	}
	a, b, c, d := m[4]/det, -m[1]/det, -m[3]/det, m[0]/det
	return Similarity{a, b, -(a*m[2] + b*m[5]), c, d, -(c*m[2] + d*m[5])}, nil
}

// Compose returns the transform that applies n, then m.
func (m Similarity) Compose(n Similarity) Similarity {
	return Similarity{
		m[0]*n[0] + m[1]*n[3], m[0]*n[1] + m[1]*n[4], m[0]*n[2] + m[1]*n[5] + m[2],
		m[3]*n[0] + m[4]*n[3], m[3]*n[1] + m[4]*n[4], m[3]*n[2] + m[4]*n[5] + m[5],
	}
}

// Estimate returns the similarity that maps src onto dst with the least sum
// of squared distances: Umeyama's method ("Least-squares estimation of
// transformation parameters between two point patterns", 1991), computed as
// scikit-image's _umeyama (SimilarityTransform.estimate) does, with the SVD
// of the 2×2 cross-covariance, the reflection correction and the degenerate
// rank-1 case. src and dst have the same length, at least 2; src must not be
// all one point.
func Estimate(src, dst []Point) (Similarity, error) {
	n := len(src)
	if n != len(dst) || n < 2 {
		return Similarity{}, fmt.Errorf("align: need the same number (≥ 2) of source and destination points, got %d and %d", len(src), len(dst))
	}
	var sm, dm Point
	for i := range src {
		sm.X += src[i].X
		sm.Y += src[i].Y
		dm.X += dst[i].X
		dm.Y += dst[i].Y
	}
	sm.X, sm.Y, dm.X, dm.Y = sm.X/float64(n), sm.Y/float64(n), dm.X/float64(n), dm.Y/float64(n)
	// A = dst_demeanᵀ · src_demean / n; the variance of the source.
	var a [4]float64
	srcVar := 0.0
	for i := range src {
		sx, sy := src[i].X-sm.X, src[i].Y-sm.Y
		dx, dy := dst[i].X-dm.X, dst[i].Y-dm.Y
		a[0] += dx * sx
		a[1] += dx * sy
		a[2] += dy * sx
		a[3] += dy * sy
		srcVar += sx*sx + sy*sy
	}
	for i := range a {
		a[i] /= float64(n)
	}
	srcVar /= float64(n)
	if srcVar == 0 || math.IsNaN(srcVar) || math.IsInf(srcVar, 0) {
		return Similarity{}, errors.New("align: the source points coincide or are not finite")
	}
	A := mat.NewDense(2, 2, a[:])
	var svd mat.SVD
	if !svd.Factorize(A, mat.SVDFull) {
		return Similarity{}, errors.New("align: SVD failed")
	}
	var u, v mat.Dense
	svd.UTo(&u)
	svd.VTo(&v) // A = U·diag(S)·Vᵀ; numpy's V is our Vᵀ
	s := svd.Values(nil)
	d := [2]float64{1, 1}
	if mat.Det(A) < 0 {
		d[1] = -1
	}
	rank := 0
	tol := s[0] * 2 * 2.220446049250313e-16 // numpy's matrix_rank: S.max() · max(M, N) · eps
	for _, x := range s {
		if x > tol {
			rank++
		}
	}
	if rank == 0 {
		return Similarity{}, errors.New("align: the points are degenerate (zero cross-covariance)")
	}
	rot := func(d [2]float64) *mat.Dense {
		var r mat.Dense
		r.Mul(&u, mat.NewDiagDense(2, d[:]))
		r.Mul(&r, v.T())
		return &r
	}
	var r *mat.Dense
	if rank == 1 && mat.Det(&u)*mat.Det(&v) <= 0 {
		r = rot([2]float64{d[0], -1})
	} else if rank == 1 {
		r = rot([2]float64{1, 1})
	} else {
		r = rot(d)
	}
	scale := (s[0]*d[0] + s[1]*d[1]) / srcVar
	r00, r01, r10, r11 := r.At(0, 0), r.At(0, 1), r.At(1, 0), r.At(1, 1)
	tx := dm.X - scale*(r00*sm.X+r01*sm.Y)
	ty := dm.Y - scale*(r10*sm.X+r11*sm.Y)
	return Similarity{scale * r00, scale * r01, tx, scale * r10, scale * r11, ty}, nil
}
