package data

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"io"
)

// The netpbm grey-map format (PGM): "P5" is binary, "P2" is ASCII. Both are
// registered with the image package, so image.Decode reads them.
func init() {
	image.RegisterFormat("pgm", "P5", DecodePGM, DecodePGMConfig)
	image.RegisterFormat("pgm", "P2", DecodePGM, DecodePGMConfig)
}

// maxPGMPixels bounds the width×height a PGM header may announce, so a
// corrupt header cannot make the decoder allocate gigabytes.
const maxPGMPixels = 1 << 28

// pgmHeader is the parsed header of a PGM file.
type pgmHeader struct {
	binary        bool
	width, height int
	maxval        int
}

// readPGMHeader reads "P5|P2 <w> <h> <maxval>" with '#' comments, and the
// single whitespace byte that ends the header.
func readPGMHeader(r *bufio.Reader) (pgmHeader, error) {
	var h pgmHeader
	magic := make([]byte, 2)
	if _, err := io.ReadFull(r, magic); err != nil {
		return h, fmt.Errorf("pgm: reading magic: %w", err)
	}
	switch string(magic) {
	case "P5":
		h.binary = true
	case "P2":
	default:
		return h, fmt.Errorf("pgm: magic %q, want P5 or P2", magic)
	}
	var fields [3]int
	for i := range fields {
		n, err := pgmInt(r)
		if err != nil {
			return h, fmt.Errorf("pgm: header field %d: %w", i+1, err)
		}
		fields[i] = n
	}
	h.width, h.height, h.maxval = fields[0], fields[1], fields[2]
	if h.width <= 0 || h.height <= 0 || h.width > maxPGMPixels/h.height {
		return h, fmt.Errorf("pgm: bad size %d×%d", h.width, h.height)
	}
	if h.maxval <= 0 || h.maxval > 65535 {
		return h, fmt.Errorf("pgm: maxval %d outside 1..65535", h.maxval)
	}
	// Exactly one whitespace byte separates the header from binary pixels.
	c, err := r.ReadByte()
	if err != nil {
		return h, fmt.Errorf("pgm: header ends early: %w", err)
	}
	if !pgmSpace(c) {
		return h, fmt.Errorf("pgm: byte %q after maxval, want whitespace", c)
	}
	return h, nil
}

func pgmSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// pgmInt reads one decimal header or ASCII-raster number, skipping
// whitespace and '#' comments before it; it stops at (and unreads) the byte
// after the digits.
func pgmInt(r *bufio.Reader) (int, error) {
	c, err := r.ReadByte()
	for err == nil && (pgmSpace(c) || c == '#') {
		if c == '#' {
			for err == nil && c != '\n' && c != '\r' {
				c, err = r.ReadByte()
			}
			continue
		}
		c, err = r.ReadByte()
	}
	if err != nil {
		return 0, fmt.Errorf("expected a number: %w", noEOF(err))
	}
	n, digits := 0, 0
	for err == nil && c >= '0' && c <= '9' {
		if n > 1<<30 {
			return 0, fmt.Errorf("number too large")
		}
		n = n*10 + int(c-'0')
		digits++
		c, err = r.ReadByte()
	}
	if digits == 0 {
		return 0, fmt.Errorf("expected a number, found %q", c)
	}
	if err == nil {
		r.UnreadByte()
	}
	return n, nil
}

// noEOF turns io.EOF into io.ErrUnexpectedEOF: inside a file, an end is a
// truncation.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// DecodePGMConfig reads the size of a PGM image.
func DecodePGMConfig(r io.Reader) (image.Config, error) {
	h, err := readPGMHeader(bufio.NewReader(r))
	if err != nil {
		return image.Config{}, err
	}
	model := color.GrayModel
	if h.maxval > 255 {
		model = color.Gray16Model
	}
	return image.Config{ColorModel: model, Width: h.width, Height: h.height}, nil
}

// DecodePGM decodes a P5 (binary) or P2 (ASCII) PGM image: an *image.Gray
// when maxval ≤ 255, an *image.Gray16 otherwise; values are rescaled from
// 0..maxval to the full range.
func DecodePGM(r io.Reader) (image.Image, error) {
	br := bufio.NewReader(r)
	h, err := readPGMHeader(br)
	if err != nil {
		return nil, err
	}
	n := h.width * h.height
	var vals []uint16 // grows as pixels arrive: a lying header allocates nothing
	switch {
	case !h.binary:
		for i := 0; i < n; i++ {
			v, err := pgmInt(br)
			if err != nil {
				return nil, fmt.Errorf("pgm: pixel %d of %d: %w", i, n, err)
			}
			if v > h.maxval {
				return nil, fmt.Errorf("pgm: pixel %d value %d above maxval %d", i, v, h.maxval)
			}
			vals = append(vals, uint16(v))
		}
	default:
		bpp := 1
		if h.maxval > 255 {
			bpp = 2
		}
		buf, err := io.ReadAll(io.LimitReader(br, int64(bpp*n)))
		if err != nil {
			return nil, fmt.Errorf("pgm: %w", err)
		}
		if len(buf) < bpp*n {
			return nil, fmt.Errorf("pgm: %d×%d image truncated: %d of %d pixel bytes", h.width, h.height, len(buf), bpp*n)
		}
		if bpp == 1 && h.maxval == 255 {
			return &image.Gray{Pix: buf, Stride: h.width, Rect: image.Rect(0, 0, h.width, h.height)}, nil
		}
		vals = make([]uint16, n)
		for i := range vals {
			v := uint16(buf[i])
			if bpp == 2 {
				v = uint16(buf[2*i])<<8 | uint16(buf[2*i+1])
			}
			if int(v) > h.maxval {
				return nil, fmt.Errorf("pgm: pixel %d value %d above maxval %d", i, v, h.maxval)
			}
			vals[i] = v
		}
	}
	rect := image.Rect(0, 0, h.width, h.height)
	if h.maxval > 255 {
		g := image.NewGray16(rect)
		for i, v := range vals {
			s := uint16(int(v) * 65535 / h.maxval)
			g.Pix[2*i], g.Pix[2*i+1] = uint8(s>>8), uint8(s)
		}
		return g, nil
	}
	g := image.NewGray(rect)
	for i, v := range vals {
		g.Pix[i] = uint8((int(v)*255 + h.maxval/2) / h.maxval)
	}
	return g, nil
}
