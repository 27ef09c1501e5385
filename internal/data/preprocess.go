package data

import (
	"fmt"
	"image"
	"image/color"

	stddraw "image/draw"

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

// Fits reports whether the crop lies inside an image of the given size: a
// crop rectangle must lie wholly inside it, a centre crop be no larger.
func (p Preprocess) Fits(size image.Point) error {
	switch {
	case p.Crop[2] > 0 && p.Crop[3] > 0:
		r := image.Rect(p.Crop[0], p.Crop[1], p.Crop[0]+p.Crop[2], p.Crop[1]+p.Crop[3])
		if !r.In(image.Rectangle{Max: size}) {
			return fmt.Errorf("preprocess: crop [%d, %d, %d, %d] reaches outside the %d×%d image", p.Crop[0], p.Crop[1], p.Crop[2], p.Crop[3], size.X, size.Y)
		}
	case p.CenterCrop > 0:
		if p.CenterCrop > size.X || p.CenterCrop > size.Y {
			return fmt.Errorf("preprocess: centre crop %d is larger than the %d×%d image", p.CenterCrop, size.X, size.Y)
		}
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

// Apply writes img as a Channels×Size×Size tensor into dst (len ≥ p.Len()),
// normalised to −1..1. It returns an error when the crop leaves nothing of
// the image or reaches outside it (Fits).
func (p Preprocess) Apply(dst []float32, img image.Image) error {
	pix := make([]uint8, p.Len())
	if err := p.Pixels(pix, img); err != nil {
		return err
	}
	Normalize(dst, pix)
	return nil
}

// Normalize maps 8-bit values v to (v/255 − 0.5)/0.5 in dst[:len(src)].
func Normalize(dst []float32, src []uint8) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = normTable[v]
	}
}

// normTable[v] is (v/255 − 0.5)/0.5.
var normTable = func() (t [256]float32) {
	for v := range t {
		t[v] = float32(v)/127.5 - 1
	}
	return t
}()

// Pixels writes img as Channels planes of Size×Size 8-bit values (the
// layout of a pack file) into dst (len ≥ p.Len()): crop, bilinear resize
// (golang.org/x/image/draw) and channel conversion, without normalising.
// Grey from colour is ITU-R 601 luma, as color.GrayModel computes it.
func (p Preprocess) Pixels(dst []uint8, img image.Image) error {
	if err := p.Fits(img.Bounds().Size()); err != nil {
		return err
	}
	r := p.cropRect(img.Bounds())
	if r.Dx() != p.Size || r.Dy() != p.Size {
		m := image.NewRGBA(image.Rect(0, 0, p.Size, p.Size))
		draw.BiLinear.Scale(m, m.Rect, img, r, draw.Src, nil)
		img, r = m, m.Rect
	}
	planes(dst[:p.Len()], img, r, p.Channels)
	return nil
}

// planes copies the w×h region r of img into channels planes of dst.
func planes(dst []uint8, img image.Image, r image.Rectangle, channels int) {
	w, n := r.Dx(), r.Dx()*r.Dy()
	switch m := img.(type) {
	case *image.Gray:
		for y := r.Min.Y; y < r.Max.Y; y++ {
			row := m.Pix[m.PixOffset(r.Min.X, y):][:w]
			for c := 0; c < channels; c++ {
				copy(dst[c*n+(y-r.Min.Y)*w:], row)
			}
		}
	case *image.RGBA:
		for y := r.Min.Y; y < r.Max.Y; y++ {
			row := m.Pix[m.PixOffset(r.Min.X, y):][:4*w]
			o := (y - r.Min.Y) * w
			for x := 0; x < w; x++ {
				setRGB(dst, o+x, n, channels, row[4*x], row[4*x+1], row[4*x+2])
			}
		}
	case *image.YCbCr: // the standard library's fast YCbCr → RGBA conversion
		rgba := image.NewRGBA(image.Rect(0, 0, w, r.Dy()))
		stddraw.Draw(rgba, rgba.Rect, m, r.Min, stddraw.Src)
		planes(dst, rgba, rgba.Rect, channels)
	default:
		for y := r.Min.Y; y < r.Max.Y; y++ {
			o := (y - r.Min.Y) * w
			for x := r.Min.X; x < r.Max.X; x++ {
				c := img.At(x, y)
				if channels == 1 {
					dst[o+x-r.Min.X] = color.GrayModel.Convert(c).(color.Gray).Y
					continue
				}
				cr, cg, cb, _ := c.RGBA()
				setRGB(dst, o+x-r.Min.X, n, 3, uint8(cr>>8), uint8(cg>>8), uint8(cb>>8))
			}
		}
	}
}

// setRGB stores one pixel at offset i of planes of n values: as three
// planes, or as its luma for one channel.
func setRGB(dst []uint8, i, n, channels int, r, g, b uint8) {
	if channels == 1 {
		dst[i] = luma(r, g, b)
		return
	}
	dst[i], dst[n+i], dst[2*n+i] = r, g, b
}

// luma is the ITU-R 601 grey value of an 8-bit RGB colour, with
// color.GrayModel's coefficients.
func luma(r, g, b uint8) uint8 {
	return uint8((19595*uint32(r) + 38470*uint32(g) + 7471*uint32(b) + 1<<15) >> 16)
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
