package align

import (
	"image"
	"image/color"
	"image/draw"
	"math"
)

// Warp returns the w×h image whose pixel (x, y) is src sampled bilinearly at
// m⁻¹(x, y), where m maps source coordinates (relative to src.Bounds().Min)
// to output coordinates, pixel centres at integers. Neighbours outside src count as black, so the border
// fades to black over one pixel, as cv2.warpAffine with BORDER_CONSTANT 0 and
// scikit-image's warp(order=1, mode="constant") do. The result is an
// *image.Gray when src is grey (image.Gray or image.Gray16) and an *image.RGBA
// (opaque) otherwise; values are rounded to the nearest level.
func Warp(src image.Image, m Similarity, w, h int) (image.Image, error) {
	inv, err := m.Invert()
	if err != nil {
		return nil, err
	}
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	grey := false
	switch src.(type) {
	case *image.Gray, *image.Gray16:
		grey = true
	}
	ch := 3
	if grey {
		ch = 1
	}
	// Planar float copy of the source: one decode of every pixel.
	planes := make([]float32, ch*sw*sh)
	if g, ok := src.(*image.Gray); ok {
		for y := 0; y < sh; y++ {
			row := g.Pix[y*g.Stride:]
			for x := 0; x < sw; x++ {
				planes[y*sw+x] = float32(row[x])
			}
		}
	} else {
		rgba := image.NewRGBA(image.Rect(0, 0, sw, sh))
		draw.Draw(rgba, rgba.Bounds(), src, b.Min, draw.Src)
		for y := 0; y < sh; y++ {
			for x := 0; x < sw; x++ {
				p := rgba.Pix[y*rgba.Stride+4*x:]
				if grey {
					planes[y*sw+x] = float32(color.GrayModel.Convert(color.RGBA{p[0], p[1], p[2], p[3]}).(color.Gray).Y)
					continue
				}
				for c := 0; c < 3; c++ {
					planes[c*sw*sh+y*sw+x] = float32(p[c])
				}
			}
		}
	}
	at := func(c, x, y int) float64 {
		if x < 0 || y < 0 || x >= sw || y >= sh {
			return 0
		}
		return float64(planes[c*sw*sh+y*sw+x])
	}
	var out image.Image
	var pix []uint8
	var stride, step int
	if grey {
		g := image.NewGray(image.Rect(0, 0, w, h))
		out, pix, stride, step = g, g.Pix, g.Stride, 1
	} else {
		r := image.NewRGBA(image.Rect(0, 0, w, h))
		out, pix, stride, step = r, r.Pix, r.Stride, 4
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			s := inv.Apply(Point{float64(x), float64(y)})
			o := pix[y*stride+step*x:]
			if !grey {
				o[3] = 255
			}
			if s.X <= -1 || s.Y <= -1 || s.X >= float64(sw) || s.Y >= float64(sh) {
				continue // every neighbour is outside: black
			}
			x0, y0 := math.Floor(s.X), math.Floor(s.Y)
			fx, fy := s.X-x0, s.Y-y0
			ix, iy := int(x0), int(y0)
			for c := 0; c < ch; c++ {
				top := (1-fx)*at(c, ix, iy) + fx*at(c, ix+1, iy)
				bot := (1-fx)*at(c, ix, iy+1) + fx*at(c, ix+1, iy+1)
				v := (1-fy)*top + fy*bot
				o[c] = uint8(min(255, math.Round(v)))
			}
		}
	}
	return out, nil
}

// Face aligns one face: the five landmarks (in pixels from src's top-left
// corner, src.Bounds().Min) are mapped onto t and the t.W×t.H crop is returned with
// the transform used.
func Face(src image.Image, landmarks [5]Point, t Template) (image.Image, Similarity, error) {
	m, err := t.Transform(landmarks)
	if err != nil {
		return nil, m, err
	}
	img, err := Warp(src, m, t.W, t.H)
	return img, m, err
}
