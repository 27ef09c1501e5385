package data

import (
	"encoding/binary"
	"fmt"
	"image"
	"os"
	"unicode/utf8"
)

// The pack format (little endian) holds a dataset already preprocessed to
// the training size, so training reads it through mmap with no decoding:
//
//	offset 0   magic "COCOPACK"
//	       8   version uint32 (2)
//	      12   channels uint32 (1 or 3)
//	      16   size uint32 (images are size×size)
//	      20   classes uint32
//	      24   images uint64
//	      32   data offset uint64 (multiple of 64)
//	      40   crop x, y, w, h int32 and centre crop int32: the preprocessing
//	           the images went through (see Preprocess; zeros for none)
//	      60   identity table: per class a uint16 length and the UTF-8 name
//	           index: per image its label as uint32
//	           zero padding up to the data offset
//	  data     per image channels planes of size×size uint8 pixels
//
// and the file ends right after the last image.
const (
	packMagic      = "COCOPACK"
	packVersion    = 2
	packHeaderSize = 60
	packAlign      = 64
	maxPackSize    = 4096
	maxPackClasses = 1 << 24
)

// packHeader is the parsed fixed header and tables of a pack file.
type packHeader struct {
	channels, size int
	crop           [4]int
	centerCrop     int
	classes        []string
	labels         []int
	images         int
	dataOffset     int64
}

// imageBytes is the number of bytes of one image.
func (h *packHeader) imageBytes() int64 { return int64(h.channels) * int64(h.size) * int64(h.size) }

// parsePackHeader validates the header and tables of a pack file whose
// bytes are b (the whole file); errors name the byte offset.
func parsePackHeader(b []byte) (*packHeader, error) {
	if len(b) < packHeaderSize {
		return nil, fmt.Errorf("byte 0: %d bytes, shorter than the %d-byte header", len(b), packHeaderSize)
	}
	if string(b[:8]) != packMagic {
		return nil, fmt.Errorf("byte 0: magic %q, want %q (not a cocotrain pack file)", b[:8], packMagic)
	}
	le := binary.LittleEndian
	if v := le.Uint32(b[8:]); v != packVersion {
		return nil, fmt.Errorf("byte 8: version %d, this build reads version %d", v, packVersion)
	}
	h := &packHeader{channels: int(le.Uint32(b[12:])), size: int(le.Uint32(b[16:]))}
	classes, images, dataOff := le.Uint32(b[20:]), le.Uint64(b[24:]), le.Uint64(b[32:])
	switch {
	case h.channels != 1 && h.channels != 3:
		return nil, fmt.Errorf("byte 12: channels %d, want 1 or 3", h.channels)
	case h.size < 1 || h.size > maxPackSize:
		return nil, fmt.Errorf("byte 16: size %d outside 1..%d", h.size, maxPackSize)
	case classes < 1 || classes > maxPackClasses:
		return nil, fmt.Errorf("byte 20: %d classes outside 1..%d", classes, maxPackClasses)
	case images < 1 || images > uint64(len(b))/uint64(h.imageBytes()):
		return nil, fmt.Errorf("byte 24: %d images of %d bytes cannot fit in %d bytes", images, h.imageBytes(), len(b))
	case dataOff%packAlign != 0 || dataOff > uint64(len(b)):
		return nil, fmt.Errorf("byte 32: data offset %d not a multiple of %d inside the file", dataOff, packAlign)
	}
	h.images, h.dataOffset = int(images), int64(dataOff)
	for k := range h.crop {
		h.crop[k] = int(int32(le.Uint32(b[40+4*k:])))
	}
	h.centerCrop = int(int32(le.Uint32(b[56:])))
	if h.crop[2] < 0 || h.crop[3] < 0 || h.centerCrop < 0 {
		return nil, fmt.Errorf("byte 40: negative crop %v / centre crop %d", h.crop, h.centerCrop)
	}
	if want := h.dataOffset + int64(h.images)*h.imageBytes(); want != int64(len(b)) {
		return nil, fmt.Errorf("byte %d: file has %d bytes, header announces %d (truncated or padded pack)", len(b), len(b), want)
	}
	off := int64(packHeaderSize)
	h.classes = make([]string, 0, min(int(classes), 1<<16))
	for k := 0; k < int(classes); k++ {
		if off+2 > h.dataOffset {
			return nil, fmt.Errorf("byte %d: identity table runs into the pixel data", off)
		}
		n := int64(le.Uint16(b[off:]))
		if n == 0 || off+2+n > h.dataOffset || !utf8.Valid(b[off+2:off+2+n]) {
			return nil, fmt.Errorf("byte %d: class %d name of %d bytes is empty, too long or not UTF-8", off, k, n)
		}
		h.classes = append(h.classes, string(b[off+2:off+2+n]))
		off += 2 + n
	}
	if off+4*int64(h.images) > h.dataOffset {
		return nil, fmt.Errorf("byte %d: label index of %d images runs into the pixel data at %d", off, h.images, h.dataOffset)
	}
	h.labels = make([]int, h.images)
	for i := range h.labels {
		l := le.Uint32(b[off:])
		if l >= classes {
			return nil, fmt.Errorf("byte %d: image %d label %d ≥ %d classes", off, i, l, classes)
		}
		h.labels[i] = int(l)
		off += 4
	}
	return h, nil
}

// appendPackHeader encodes h (labels included) and pads it to its data
// offset, which must leave room for it.
func appendPackHeader(dst []byte, h *packHeader) []byte {
	le := binary.LittleEndian
	dst = append(dst, packMagic...)
	dst = le.AppendUint32(dst, packVersion)
	dst = le.AppendUint32(dst, uint32(h.channels))
	dst = le.AppendUint32(dst, uint32(h.size))
	dst = le.AppendUint32(dst, uint32(len(h.classes)))
	dst = le.AppendUint64(dst, uint64(h.images))
	dst = le.AppendUint64(dst, uint64(h.dataOffset))
	for _, v := range h.crop {
		dst = le.AppendUint32(dst, uint32(int32(v)))
	}
	dst = le.AppendUint32(dst, uint32(int32(h.centerCrop)))
	for _, c := range h.classes {
		dst = le.AppendUint16(dst, uint16(len(c)))
		dst = append(dst, c...)
	}
	for _, l := range h.labels {
		dst = le.AppendUint32(dst, uint32(l))
	}
	return append(dst, make([]byte, h.dataOffset-int64(len(dst)))...)
}

// packDataOffset is the data offset for these classes and at most images
// images: header and tables rounded up to packAlign.
func packDataOffset(classes []string, images int) int64 {
	n := int64(packHeaderSize + 4*images)
	for _, c := range classes {
		n += 2 + int64(len(c))
	}
	return (n + packAlign - 1) / packAlign * packAlign
}

// Pack is a Source over a cocotrain pack file, memory-mapped: images are
// read in place, already at their training size (see PixelSource).
type Pack struct {
	path  string
	data  []byte
	unmap func() error
	h     *packHeader
}

// OpenPack maps the pack file at path and validates its header.
func OpenPack(path string) (*Pack, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	data, unmap, err := mapFile(f, st.Size())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	h, err := parsePackHeader(data)
	if err != nil {
		unmap()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Pack{path: path, data: data, unmap: unmap, h: h}, nil
}

// Close unmaps the file; the Pack and the pixels it returned are unusable after.
func (p *Pack) Close() error { return p.unmap() }

// Len is the number of images.
func (p *Pack) Len() int { return p.h.images }

// Classes returns the identity names.
func (p *Pack) Classes() []string { return p.h.classes }

// Label returns the identity of image i.
func (p *Pack) Label(i int) int { return p.h.labels[i] }

// Name returns "path#i".
func (p *Pack) Name(i int) string { return fmt.Sprintf("%s#%d", p.path, i) }

// PixelShape returns the channels and size of the stored images.
func (p *Pack) PixelShape() (channels, size int) { return p.h.channels, p.h.size }

// Preprocessed returns the preprocessing the stored images went through.
func (p *Pack) Preprocessed() Preprocess {
	return Preprocess{Size: p.h.size, Channels: p.h.channels, Crop: p.h.crop, CenterCrop: p.h.centerCrop}
}

// Pixels returns image i in place: channels planes of size×size bytes.
func (p *Pack) Pixels(i int) []uint8 {
	n := p.h.imageBytes()
	off := p.h.dataOffset + int64(i)*n
	return p.data[off : off+n : off+n]
}

// Image returns image i as an *image.Gray (one channel) or *image.RGBA.
func (p *Pack) Image(i int) (image.Image, error) {
	pix, s := p.Pixels(i), p.h.size
	if p.h.channels == 1 {
		g := image.NewGray(image.Rect(0, 0, s, s))
		copy(g.Pix, pix)
		return g, nil
	}
	m := image.NewRGBA(image.Rect(0, 0, s, s))
	n := s * s
	for j := 0; j < n; j++ {
		m.Pix[4*j], m.Pix[4*j+1], m.Pix[4*j+2], m.Pix[4*j+3] = pix[j], pix[n+j], pix[2*n+j], 255
	}
	return m, nil
}
