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

// pgmReader reads a PGM file byte by byte and counts the bytes read, so
// that errors name the byte offset.
type pgmReader struct {
	r   *bufio.Reader
	off int64
}

func newPGMReader(r io.Reader) *pgmReader { return &pgmReader{r: bufio.NewReader(r)} }

func (p *pgmReader) ReadByte() (byte, error) {
	c, err := p.r.ReadByte()
	if err == nil {
		p.off++
	}
	return c, err
}

// unreadByte puts back the byte of the last successful ReadByte.
func (p *pgmReader) unreadByte() {
	p.r.UnreadByte()
	p.off--
}

// readPGMHeader reads "P5|P2 <w> <h> <maxval>" with '#' comments, and the
// single whitespace byte that ends the header.
func readPGMHeader(r *pgmReader) (pgmHeader, error) {
	var h pgmHeader
	magic := make([]byte, 2)
	if _, err := io.ReadFull(r.r, magic); err != nil {
		return h, fmt.Errorf("pgm: byte 0: reading magic: %w", err)
	}
	r.off = 2
	switch string(magic) {
	case "P5":
		h.binary = true
	case "P2":
	default:
		return h, fmt.Errorf("pgm: byte 0: magic %q, want P5 or P2", magic)
	}
	var fields [3]int
	for i := range fields {
		n, _, err := pgmInt(r)
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
		return h, fmt.Errorf("pgm: byte %d: header ends early: %w", r.off, noEOF(err))
	}
	if !pgmSpace(c) {
		return h, fmt.Errorf("pgm: byte %d: %q after maxval, want whitespace", r.off-1, c)
	}
	return h, nil
}

func pgmSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

// pgmInt reads one decimal header or ASCII-raster number, skipping
// whitespace and '#' comments before it; it stops at (and unreads) the byte
// after the digits. It returns the number and the offset of its first digit;
// errors name the offending byte's offset.
func pgmInt(r *pgmReader) (int, int64, error) {
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
		return 0, r.off, fmt.Errorf("byte %d: expected a number: %w", r.off, noEOF(err))
	}
	at := r.off - 1
	n, digits := 0, 0
	for err == nil && c >= '0' && c <= '9' {
		if n > 1<<30 {
			return 0, at, fmt.Errorf("byte %d: number too large", at)
		}
		n = n*10 + int(c-'0')
		digits++
		c, err = r.ReadByte()
	}
	if digits == 0 {
		return 0, at, fmt.Errorf("byte %d: expected a number, found %q", at, c)
	}
	if err == nil {
		r.unreadByte()
	}
	return n, at, nil
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
	h, err := readPGMHeader(newPGMReader(r))
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
	br := newPGMReader(r)
	h, err := readPGMHeader(br)
	if err != nil {
		return nil, err
	}
	n := h.width * h.height
	var vals []uint16 // grows as pixels arrive: a lying header allocates nothing
	switch {
	case !h.binary:
		for i := 0; i < n; i++ {
			v, at, err := pgmInt(br)
			if err != nil {
				return nil, fmt.Errorf("pgm: pixel %d of %d: %w", i, n, err)
			}
			if v > h.maxval {
				return nil, fmt.Errorf("pgm: byte %d: pixel %d value %d above maxval %d", at, i, v, h.maxval)
			}
			vals = append(vals, uint16(v))
		}
	default:
		bpp := 1
		if h.maxval > 255 {
			bpp = 2
		}
		start := br.off
		buf, err := io.ReadAll(io.LimitReader(br.r, int64(bpp*n)))
		if err != nil {
			return nil, fmt.Errorf("pgm: byte %d: %w", start+int64(len(buf)), err)
		}
		if len(buf) < bpp*n {
			return nil, fmt.Errorf("pgm: byte %d: %d×%d image truncated: %d of %d pixel bytes", start+int64(len(buf)), h.width, h.height, len(buf), bpp*n)
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
				return nil, fmt.Errorf("pgm: byte %d: pixel %d value %d above maxval %d", start+int64(bpp*i), i, v, h.maxval)
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
