package data

import (
	"math"
	"math/rand/v2"
)

// eraseBox is the rectangle (columns x..x+w, rows y..y+h) that random
// erasing sets to 0; the zero value erases nothing.
type eraseBox struct{ x, y, w, h int }

// drawErase draws the rectangle as torchvision's RandomErasing does: up to
// 10 tries of an area uniform in area[0]..area[1] of the s×s image and a
// height/width ratio log-uniform in 0.3..3.3, keeping the first whose sides
// are shorter than s, at a uniform position. When no try fits it erases
// nothing.
func drawErase(rng *rand.Rand, s int, area [2]float64) eraseBox {
	lo, hi := math.Log(0.3), math.Log(3.3)
	for range 10 {
		a := float64(s*s) * (area[0] + rng.Float64()*(area[1]-area[0]))
		r := math.Exp(lo + rng.Float64()*(hi-lo))
		h, w := int(math.Round(math.Sqrt(a*r))), int(math.Round(math.Sqrt(a/r)))
		if h < s && w < s {
			y := rng.IntN(s - h + 1)
			return eraseBox{x: rng.IntN(s - w + 1), y: y, w: w, h: h}
		}
	}
	return eraseBox{}
}

// apply sets the box to 0 in each of the c s×s planes of t.
func (e eraseBox) apply(t []float32, c, s int) {
	for ch := 0; ch < c; ch++ {
		for y := e.y; y < e.y+e.h; y++ {
			clear(t[ch*s*s+y*s+e.x:][:e.w])
		}
	}
}
