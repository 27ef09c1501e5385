package synth

import "math"

// shapeKind selects a shape's signed-distance function.
type shapeKind uint8

const (
	ellipseShape shapeKind = iota // a (bent) ellipse
	eggShape                      // an ellipse narrowing below its centre (a face)
	ringShape                     // the outline of an ellipse, half-thickness t
	boxShape                      // a rectangle with corners rounded by t
	belowShape                    // the region below the parabola y = bend·x²
	aboveShape                    // the region above the parabola y = bend·x²
)

// shape is a 2-D region described by an approximate signed distance
// (negative inside) in face units, in a frame centred at (cx, cy) and
// rotated by the angle whose cosine and sine are cos, sin.
type shape struct {
	kind     shapeKind
	cx, cy   float64
	rx, ry   float64 // radii (half-sizes for a box)
	cos, sin float64
	// bend moves points at local x = ±rx down by bend (a smile is
	// negative); for the parabola kinds y = bend·x².
	bend float64
	// t is the ring half-thickness, the box corner radius, or the egg's
	// narrowing at the bottom (0..1).
	t float64
}

// rotated returns s turned by angle a (radians).
func (s shape) rotated(a float64) shape {
	s.sin, s.cos = math.Sincos(a)
	return s
}

// newShape returns an unrotated shape.
func newShape(kind shapeKind, cx, cy, rx, ry float64) shape {
	return shape{kind: kind, cx: cx, cy: cy, rx: rx, ry: ry, cos: 1}
}

// dist returns the approximate signed distance from (x, y) to the shape's
// edge: negative inside, accurate near the edge (where coverage is decided).
func (s *shape) dist(x, y float64) float64 {
	dx, dy := x-s.cx, y-s.cy
	qx := s.cos*dx + s.sin*dy
	qy := -s.sin*dx + s.cos*dy
	switch s.kind {
	case boxShape:
		ax, ay := math.Abs(qx)-s.rx+s.t, math.Abs(qy)-s.ry+s.t
		return math.Hypot(math.Max(ax, 0), math.Max(ay, 0)) + math.Min(math.Max(ax, ay), 0) - s.t
	case belowShape, aboveShape:
		d := (s.bend*qx*qx - qy) / math.Sqrt(1+4*s.bend*s.bend*qx*qx)
		if s.kind == aboveShape {
			return -d
		}
		return d
	}
	rx, ry := s.rx, s.ry
	if s.kind == eggShape && qy > 0 {
		rx *= 1 - s.t*math.Min(qy/ry, 1)
	}
	if s.bend != 0 {
		n := qx / rx
		qy -= s.bend * n * n
	}
	return ellipseDist(qx, qy, rx, ry, s.kind == ringShape, s.t)
}

// ellipseDist is the first-order distance k(k−1)/|∇k| to the ellipse with
// radii rx, ry, where k = ‖(x/rx, y/ry)‖; for a ring, the distance to its
// outline minus the half-thickness t.
func ellipseDist(x, y, rx, ry float64, ring bool, t float64) float64 {
	ux, uy := x/rx, y/ry
	k := math.Sqrt(ux*ux + uy*uy)
	gx, gy := ux/rx, uy/ry
	g := math.Sqrt(gx*gx + gy*gy)
	var d float64
	if g < 1e-12 {
		d = -math.Min(rx, ry)
	} else {
		d = k * (k - 1) / g
	}
	if ring {
		return math.Abs(d) - t
	}
	return d
}

// bounds returns a box (x0, y0, x1, y1) holding the shape's inside, grown by
// margin; the parabola kinds are unbounded.
func (s *shape) bounds(margin float64) (x0, y0, x1, y1 float64) {
	switch s.kind {
	case belowShape, aboveShape:
		return math.Inf(-1), math.Inf(-1), math.Inf(1), math.Inf(1)
	}
	r := math.Hypot(s.rx, s.ry) + math.Abs(s.bend) + s.t + margin
	return s.cx - r, s.cy - r, s.cx + r, s.cy + r
}
