package data

import (
	"context"
	"fmt"
	"image"
	"runtime"
	"sync"
)

// PixelCache is a PixelSource holding every image of another Source decoded
// (or rendered) once, as channels planes of size×size bytes. The built-in
// synthetic faces go through it so that each one is drawn once per run, not
// once per epoch; the loader reads its pixels without decoding.
type PixelCache struct {
	src            Source
	channels, size int
	pix            []uint8 // Len × channels × size × size
}

// NewPixelCache decodes every image of src into memory at size×size with
// the given channels (data.Preprocess without a crop), on all cores. Errors
// name the image.
func NewPixelCache(ctx context.Context, src Source, size, channels int) (*PixelCache, error) {
	pp := Preprocess{Size: size, Channels: channels}
	if err := pp.Validate(); err != nil {
		return nil, err
	}
	c := &PixelCache{src: src, channels: channels, size: size, pix: make([]uint8, src.Len()*pp.Len())}
	workers := runtime.GOMAXPROCS(0)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < src.Len() && ctx.Err() == nil; i += workers {
				img, err := src.Image(i)
				if err == nil {
					err = pp.Pixels(c.pix[i*pp.Len():(i+1)*pp.Len()], img)
				}
				if err != nil {
					errs[w] = fmt.Errorf("%s: %w", src.Name(i), err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Len is the number of images.
func (c *PixelCache) Len() int { return c.src.Len() }

// Classes returns the identity names of the wrapped source.
func (c *PixelCache) Classes() []string { return c.src.Classes() }

// Label returns the identity of image i.
func (c *PixelCache) Label(i int) int { return c.src.Label(i) }

// Name identifies image i as the wrapped source does.
func (c *PixelCache) Name(i int) string { return c.src.Name(i) }

// PixelShape returns the channels and size of the cached images.
func (c *PixelCache) PixelShape() (channels, size int) { return c.channels, c.size }

// Pixels returns image i in place: channels planes of size×size bytes.
func (c *PixelCache) Pixels(i int) []uint8 {
	n := c.channels * c.size * c.size
	return c.pix[i*n : (i+1)*n]
}

// Image returns image i as an *image.Gray (one channel) or an opaque
// *image.RGBA (three).
func (c *PixelCache) Image(i int) (image.Image, error) {
	if i < 0 || i >= c.Len() {
		return nil, fmt.Errorf("image %d out of range 0..%d", i, c.Len()-1)
	}
	p, s := c.Pixels(i), c.size
	if c.channels == 1 {
		g := image.NewGray(image.Rect(0, 0, s, s))
		copy(g.Pix, p)
		return g, nil
	}
	rgba := image.NewRGBA(image.Rect(0, 0, s, s))
	for j := 0; j < s*s; j++ {
		rgba.Pix[4*j], rgba.Pix[4*j+1], rgba.Pix[4*j+2], rgba.Pix[4*j+3] = p[j], p[s*s+j], p[2*s*s+j], 255
	}
	return rgba, nil
}
