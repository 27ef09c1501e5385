package data

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Augment is the training augmentation applied to each C×S×S image after
// preprocessing (yaml section data.augment). Every random draw comes from
// the generator passed to Apply, so a seed fixes the result. The zero value
// changes nothing; a key left at zero draws nothing.
type Augment struct {
	// Flip mirrors the image left to right with probability 0.5.
	Flip bool `yaml:"flip"`
	// Shift is the largest translation, as a fraction of the size (0.05 moves
	// up to 5% of the width and of the height, independently).
	Shift float64 `yaml:"shift"`
	// Scale is the largest relative zoom in or out (0.1: factor in 0.9..1.1).
	Scale float64 `yaml:"scale"`
	// Aspect, when above 1, is the largest width/height ratio of the crop
	// the zoom reads, as RandomResizedCrop's ratio: r is log-uniform in
	// 1/Aspect..Aspect and x is zoomed by zoom/√r, y by zoom·√r.
	Aspect float64 `yaml:"aspect"`
	// Brightness multiplies all values by a factor in 1±Brightness.
	Brightness float64 `yaml:"brightness"`
	// Contrast scales each value's distance to the image mean by a factor in
	// 1±Contrast.
	Contrast float64 `yaml:"contrast"`
	// Saturation scales each colour pixel's distance to its luma by a
	// factor in 1±Saturation (RGB only).
	Saturation float64 `yaml:"saturation"`
	// Hue rotates each colour pixel's chroma (the I, Q plane of YIQ) by an
	// angle in ±Hue turns (RGB only).
	Hue float64 `yaml:"hue"`
	// Grey replaces a colour image by its luma with this probability.
	Grey float64 `yaml:"grey"`
	// Blur is the probability of a Gaussian blur whose sigma, in pixels of
	// the network input, is uniform in 0.1..BlurSigma.
	Blur      float64 `yaml:"blur"`
	BlurSigma float64 `yaml:"blur_sigma"`
	// Erase is the probability of random erasing: a rectangle of
	// EraseArea[0]..EraseArea[1] of the image, aspect log-uniform in
	// 0.3..3.3, set to 0 (the mid grey of the normalised range) in every
	// channel.
	Erase     float64    `yaml:"erase"`
	EraseArea [2]float64 `yaml:"erase_area"`
}

// Validate reports settings outside their meaningful ranges.
func (a Augment) Validate() error {
	switch {
	case a.Shift < 0 || a.Shift > 0.5:
		return fmt.Errorf("augment: shift %v outside 0..0.5", a.Shift)
	case a.Scale < 0 || a.Scale >= 1:
		return fmt.Errorf("augment: scale %v outside 0..1", a.Scale)
	case a.Aspect != 0 && (a.Aspect < 1 || a.Aspect > 2):
		return fmt.Errorf("augment: aspect %v is neither 0 (off) nor in 1..2", a.Aspect)
	case a.Brightness < 0 || a.Brightness >= 1:
		return fmt.Errorf("augment: brightness %v outside 0..1", a.Brightness)
	case a.Contrast < 0 || a.Contrast >= 1:
		return fmt.Errorf("augment: contrast %v outside 0..1", a.Contrast)
	case a.Saturation < 0 || a.Saturation > 1:
		return fmt.Errorf("augment: saturation %v outside 0..1", a.Saturation)
	case a.Hue < 0 || a.Hue > 0.5:
		return fmt.Errorf("augment: hue %v outside 0..0.5 (turns)", a.Hue)
	case a.Grey < 0 || a.Grey > 1:
		return fmt.Errorf("augment: grey %v outside 0..1", a.Grey)
	case a.Blur < 0 || a.Blur > 1:
		return fmt.Errorf("augment: blur %v outside 0..1 (a probability)", a.Blur)
	case a.BlurSigma != 0 && (a.BlurSigma < 0.1 || a.BlurSigma > 8):
		return fmt.Errorf("augment: blur_sigma %v outside 0.1..8 pixels", a.BlurSigma)
	case a.Blur > 0 && a.BlurSigma == 0:
		return fmt.Errorf("augment: blur %v needs blur_sigma, the largest sigma in pixels (0.1..8, e.g. 1.5)", a.Blur)
	case a.Erase < 0 || a.Erase > 1:
		return fmt.Errorf("augment: erase %v outside 0..1 (a probability)", a.Erase)
	case a.EraseArea[0] < 0 || a.EraseArea[0] > a.EraseArea[1] || a.EraseArea[1] >= 1:
		return fmt.Errorf("augment: erase_area %v is not [min, max] with 0 ≤ min ≤ max < 1", a.EraseArea)
	case a.Erase > 0 && a.EraseArea[1] == 0:
		return fmt.Errorf("augment: erase %v needs erase_area, the [min, max] fraction of the image (e.g. [0.02, 0.33])", a.Erase)
	}
	return nil
}

// Enabled reports whether Apply changes anything.
func (a Augment) Enabled() bool {
	return a.Flip || a.Shift > 0 || a.Scale > 0 || a.Aspect > 1 || a.Brightness > 0 || a.Contrast > 0 ||
		a.Saturation > 0 || a.Hue > 0 || a.Grey > 0 || a.Blur > 0 || a.Erase > 0
}

// uniform returns a value in [-m, m) (and draws nothing when m is 0).
func uniform(rng *rand.Rand, m float64) float64 {
	if m == 0 {
		return 0
	}
	return (2*rng.Float64() - 1) * m
}

// Apply writes the augmented, normalised (v/255 − 0.5)/0.5 version of src,
// c planes of s×s 8-bit values, into dst (c·s·s values). In order:
// geometry (a zoom about the centre, different in x and y with aspect,
// resampled bilinearly, or without zoom a shift by whole pixels; both
// replicate the edge; then the mirror), contrast about the image mean
// (estimated from every 4th value) and brightness, saturation and hue, grey
// (which takes the luma of the image before saturation and hue), blur,
// erasing.
//
// The draws are, in this order: flip, zoom, shift x, shift y, brightness,
// contrast, grey (colour images), then aspect, saturation and hue (colour
// images), blur, erasing; each only when its key is set. So a config that
// leaves the later keys at zero draws and produces exactly what it did
// before they existed.
func (a Augment) Apply(dst []float32, src []uint8, c, s int, rng *rand.Rand) {
	n := s * s
	dst, src = dst[:c*n], src[:c*n]
	flip := a.Flip && rng.IntN(2) == 1
	zoom := 1 + uniform(rng, a.Scale)
	dx, dy := uniform(rng, a.Shift)*float64(s), uniform(rng, a.Shift)*float64(s)
	bright := 1 + uniform(rng, a.Brightness)
	contrast := 1 + uniform(rng, a.Contrast)
	grey := c == 3 && a.Grey > 0 && rng.Float64() < a.Grey
	zx, zy := zoom, zoom
	if a.Aspect > 1 {
		r := math.Sqrt(math.Exp(uniform(rng, math.Log(a.Aspect))))
		zx, zy = zoom/r, zoom*r
	}
	sat, hue := 1.0, 0.0
	if c == 3 {
		sat, hue = 1+uniform(rng, a.Saturation), uniform(rng, a.Hue)
	}
	sigma := 0.0
	if a.Blur > 0 && rng.Float64() < a.Blur {
		sigma = 0.1 + rng.Float64()*(a.BlurSigma-0.1)
	}
	var erase eraseBox
	if a.Erase > 0 && rng.Float64() < a.Erase {
		erase = drawErase(rng, s, a.EraseArea)
	}

	// v ↦ clamp(((v − mean)·contrast + mean)·brightness), normalised, as a
	// table (the inner conversion keeps the product from fusing into an FMA).
	var mean float64
	if contrast != 1 {
		var sum, k int
		for i := 0; i < len(src); i += 4 { // every 4th value estimates the mean
			sum += int(src[i])
			k++
		}
		mean = float64(sum) / float64(k)
	}
	lut := normTable
	if contrast != 1 || bright != 1 {
		for v := range lut {
			x := min(max((float64((float64(v)-mean)*contrast)+mean)*bright, 0), 255)
			lut[v] = float32(x/127.5 - 1)
		}
	}
	if zx == 1 && zy == 1 {
		shiftCopy(dst, src, c, s, int(math.Round(dx)), int(math.Round(dy)), flip, &lut)
	} else {
		resample(dst, src, c, s, zx, zy, dx, dy, flip, &lut)
	}
	switch {
	case grey:
		toGrey(dst, n)
	case sat != 1 || hue != 0:
		jitterColour(dst, n, colourMatrix(sat, hue))
	}
	if sigma > 0 {
		gaussianBlur(dst, c, s, sigma)
	}
	erase.apply(dst, c, s)
}

// shiftCopy writes into dst the c planes of src (s×s) moved by (dx, dy)
// whole pixels with the edge replicated, mirrored when flip, each value
// mapped through lut.
func shiftCopy(dst []float32, src []uint8, c, s, dx, dy int, flip bool, lut *[256]float32) {
	dx, dy = min(max(dx, 1-s), s-1), min(max(dy, 1-s), s-1)
	n := s * s
	for ch := 0; ch < c; ch++ {
		for y := 0; y < s; y++ {
			row := src[ch*n+min(max(y-dy, 0), s-1)*s:][:s]
			out := dst[ch*n+y*s:][:s]
			// out[x] = row[x − dx]: the inner part is a contiguous run.
			lo, hi := max(dx, 0), min(s+dx, s)
			for i, v := range row[lo-dx : hi-dx] {
				out[lo+i] = lut[v]
			}
			for x := 0; x < lo; x++ {
				out[x] = lut[row[0]]
			}
			for x := hi; x < s; x++ {
				out[x] = lut[row[s-1]]
			}
			if flip {
				slices.Reverse(out)
			}
		}
	}
}

// resample writes into dst the c planes of src (s×s), each value mapped
// through lut, zoomed by zx horizontally and zy vertically about the centre
// and moved by (dx, dy) pixels, mirrored when flip: output pixel x reads
// source x' = (x + ½ − s/2)/zx + s/2 − ½ − dx bilinearly (each source row
// resampled horizontally once, then pairs of rows vertically), coordinates
// clamped to the edge. The float32 conversions keep a compiler from fusing
// the interpolations into FMAs, so every GOARCH computes the same values.
func resample(dst []float32, src []uint8, c, s int, zx, zy, dx, dy float64, flip bool, lut *[256]float32) {
	x0, x1, wx := taps(s, zx, dx)
	y0, y1, wy := taps(s, zy, dy)
	if flip {
		slices.Reverse(x0)
		slices.Reverse(x1)
		slices.Reverse(wx)
	}
	n := s * s
	rows := make([]float32, 2*s) // horizontally resampled source rows y0, y1
	for ch := 0; ch < c; ch++ {
		plane, out := src[ch*n:(ch+1)*n], dst[ch*n:(ch+1)*n]
		have := [2]int{-1, -1} // source row held in rows[0:s], rows[s:2s]
		// hrow returns source row y resampled horizontally, computing it into
		// the slot that does not hold row keep.
		hrow := func(y, keep int) []float32 {
			for k, h := range have {
				if h == y {
					return rows[k*s : (k+1)*s]
				}
			}
			k := 0
			if have[0] == keep {
				k = 1
			}
			have[k] = y
			row, t := plane[y*s:][:s], rows[k*s:(k+1)*s]
			for x := range t {
				a, b := lut[row[x0[x]]], lut[row[x1[x]]]
				t[x] = a + float32(wx[x]*(b-a))
			}
			return t
		}
		for y := 0; y < s; y++ {
			r0 := hrow(y0[y], -1)
			r1 := hrow(y1[y], y0[y])
			o, f := out[y*s:][:s], wy[y]
			for x := range o {
				o[x] = r0[x] + float32(f*(r1[x]-r0[x]))
			}
		}
	}
}

// taps returns, for each of s output coordinates, the two source
// coordinates and the weight of the second (see resample).
func taps(s int, zoom, d float64) (i0, i1 []int, w []float32) {
	i0, i1, w = make([]int, s), make([]int, s), make([]float32, s)
	h := float64(s) / 2
	for x := 0; x < s; x++ {
		v := (float64(x)+0.5-h)/zoom + h - 0.5 - d
		v = min(max(v, 0), float64(s-1))
		f := math.Floor(v)
		i0[x] = int(f)
		i1[x] = min(i0[x]+1, s-1)
		w[x] = float32(v - f)
	}
	return i0, i1, w
}
