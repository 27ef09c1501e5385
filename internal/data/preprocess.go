package data

import (
	"fmt"
	"image"
	"image/color"

	"golang.org/x/image/draw"
)

// Preprocess turns a decoded image into the network's input: crop, resize
// (bilinear) to Size×Size, convert to Channels (1 = grey, 3 = RGB) and
// normalise each value v in 0..255 to (v/255 − 0.5)/0.5. Training,
// verification and embedding all go through it, so their numbers agree.
type Preprocess struct {
	Size     int // output height and width
	Channels int // 1 or 3
	// Crop, when its width and height are positive, is the [x, y, w, h]
	// rectangle cut out first (in source pixels).
	Crop [4]int
	// CenterCrop, when positive (and Crop unset), cuts a centred
	// CenterCrop×CenterCrop square first.
	CenterCrop int
}

// Len is the number of float32 values Apply writes: Channels·Size·Size.
func (p Preprocess) Len() int { return p.Channels * p.Size * p.Size }

// Validate reports a configuration that cannot work.
func (p Preprocess) Validate() error {
	if p.Size <= 0 {
		return fmt.Errorf("preprocess: size %d must be positive", p.Size)
	}
	if p.Channels != 1 && p.Channels != 3 {
		return fmt.Errorf("preprocess: channels %d must be 1 or 3", p.Channels)
	}
	if p.Crop[2] < 0 || p.Crop[3] < 0 || p.CenterCrop < 0 {
		return fmt.Errorf("preprocess: negative crop size")
	}
	return nil
}

// cropRect returns the region of b that Apply reads.
func (p Preprocess) cropRect(b image.Rectangle) image.Rectangle {
	switch {
	case p.Crop[2] > 0 && p.Crop[3] > 0:
		r := image.Rect(p.Crop[0], p.Crop[1], p.Crop[0]+p.Crop[2], p.Crop[1]+p.Crop[3]).Add(b.Min)
		return r.Intersect(b)
	case p.CenterCrop > 0:
		w, h := min(p.CenterCrop, b.Dx()), min(p.CenterCrop, b.Dy())
		x0, y0 := b.Min.X+(b.Dx()-w)/2, b.Min.Y+(b.Dy()-h)/2
		return image.Rect(x0, y0, x0+w, y0+h)
	}
	return b
}

// Apply writes img as a Channels×Size×Size tensor into dst (len ≥ p.Len()).
// It returns an error when the crop leaves nothing of the image.
func (p Preprocess) Apply(dst []float32, img image.Image) error {
	r := p.cropRect(img.Bounds())
	if r.Empty() {
		return fmt.Errorf("preprocess: crop %v leaves nothing of a %v image", p.Crop, img.Bounds().Size())
	}
	s := p.Size
	n := s * s
	if p.Channels == 1 {
		g := image.NewGray(image.Rect(0, 0, s, s))
		draw.BiLinear.Scale(g, g.Rect, toGray(img), r, draw.Src, nil)
		for i, v := range g.Pix {
			dst[i] = float32(v)/127.5 - 1
		}
		return nil
	}
	m := image.NewRGBA(image.Rect(0, 0, s, s))
	draw.BiLinear.Scale(m, m.Rect, img, r, draw.Src, nil)
	for i := 0; i < n; i++ {
		dst[i] = float32(m.Pix[4*i])/127.5 - 1
		dst[n+i] = float32(m.Pix[4*i+1])/127.5 - 1
		dst[2*n+i] = float32(m.Pix[4*i+2])/127.5 - 1
	}
	return nil
}

// toGray converts img to an 8-bit grey image (ITU-R 601 luma, as
// color.GrayModel does); a grey image is returned as it is.
func toGray(img image.Image) image.Image {
	if g, ok := img.(*image.Gray); ok {
		return g
	}
	b := img.Bounds()
	g := image.NewGray(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			g.Set(x, y, color.GrayModel.Convert(img.At(x, y)))
		}
	}
	return g
}

// FlipHorizontal mirrors a C×H×W tensor left to right in place.
func FlipHorizontal(t []float32, c, h, w int) {
	for row := 0; row < c*h; row++ {
		r := t[row*w : (row+1)*w]
		for i, j := 0, w-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
	}
}
