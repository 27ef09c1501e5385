package data

import (
	"fmt"
	"image"
	"image/color"
)

// testSource is an in-memory Source of small generated colour images:
// n images of w×h pixels, label i%classes; image bad (if ≥ 0) fails.
type testSource struct {
	n, classes, w, h int
	bad              int
}

func (s testSource) Len() int { return s.n }
func (s testSource) Classes() []string {
	c := make([]string, s.classes)
	for i := range c {
		c[i] = fmt.Sprintf("id%02d", i)
	}
	return c
}
func (s testSource) Label(i int) int   { return i % s.classes }
func (s testSource) Name(i int) string { return fmt.Sprintf("mem#%d", i) }
func (s testSource) Image(i int) (image.Image, error) {
	if i == s.bad {
		return nil, fmt.Errorf("%s: decoding image: corrupt", s.Name(i))
	}
	m := image.NewRGBA(image.Rect(0, 0, s.w, s.h))
	for y := 0; y < s.h; y++ {
		for x := 0; x < s.w; x++ {
			m.Set(x, y, color.RGBA{uint8(x*7 + i*13), uint8(y*5 + i), uint8((x + y) * 3), 255})
		}
	}
	return m, nil
}
