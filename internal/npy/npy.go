// Package npy reads and writes NumPy .npy files (format versions 1.0, 2.0
// and 3.0 on read, 1.0 or 2.0 on write): little-endian, C-order arrays of
// float32, float64, int32, int64 or bool with any shape.
package npy

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/cocotrain/cocotrain/internal/fileio"
)

// Array is an n-dimensional array in C (row-major) order. Data is one of
// []float32, []float64, []int32, []int64 or []bool, with as many elements as
// the product of Shape (1 for a 0-d array).
type Array struct {
	Shape []int
	Data  any
}

// magic starts every .npy file.
const magic = "\x93NUMPY"

// maxElements bounds the element count a header may declare.
const maxElements = 1 << 40

// dtypes maps the supported descr strings to their element size.
var dtypes = map[string]int{"<f4": 4, "<f8": 8, "<i4": 4, "<i8": 8, "|b1": 1}

// descrOf returns the descr string and length of a supported Data slice.
func descrOf(data any) (string, int, error) {
	switch v := data.(type) {
	case []float32:
		return "<f4", len(v), nil
	case []float64:
		return "<f8", len(v), nil
	case []int32:
		return "<i4", len(v), nil
	case []int64:
		return "<i8", len(v), nil
	case []bool:
		return "|b1", len(v), nil
	}
	return "", 0, fmt.Errorf("unsupported data type %T", data)
}

// count is the number of elements of shape (1 for the empty shape).
func count(shape []int) (int, error) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, fmt.Errorf("negative dimension in shape %v", shape)
		}
		if d != 0 && n > maxElements/d {
			return 0, fmt.Errorf("shape %v has too many elements", shape)
		}
		n *= d
	}
	return n, nil
}

// Write writes a as an .npy file to w: version 1.0 unless the header needs
// the 4-byte length of 2.0; the header is padded so the data starts at a
// multiple of 64 bytes.
func Write(w io.Writer, a *Array) error {
	descr, n, err := descrOf(a.Data)
	if err != nil {
		return err
	}
	want, err := count(a.Shape)
	if err != nil {
		return err
	}
	if n != want {
		return fmt.Errorf("npy: %d elements for shape %v", n, a.Shape)
	}
	dims := make([]string, len(a.Shape))
	for i, d := range a.Shape {
		dims[i] = fmt.Sprint(d)
	}
	shape := strings.Join(dims, ", ")
	if len(a.Shape) == 1 {
		shape += ","
	}
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, shape)
	version, lenBytes := byte(1), 2
	if len(magic)+2+2+len(dict)+1 > math.MaxUint16 {
		version, lenBytes = 2, 4
	}
	pre := len(magic) + 2 + lenBytes
	hlen := len(dict) + 1
	hlen += (64 - (pre+hlen)%64) % 64
	var buf bytes.Buffer
	buf.WriteString(magic)
	buf.Write([]byte{version, 0})
	if lenBytes == 2 {
		buf.Write(binary.LittleEndian.AppendUint16(nil, uint16(hlen)))
	} else {
		buf.Write(binary.LittleEndian.AppendUint32(nil, uint32(hlen)))
	}
	buf.WriteString(dict)
	buf.WriteString(strings.Repeat(" ", hlen-len(dict)-1))
	buf.WriteByte('\n')
	if _, err := w.Write(buf.Bytes()); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	if err := binary.Write(bw, binary.LittleEndian, a.Data); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteFile writes a to path (atomically: fileio.WriteFile).
func WriteFile(path string, a *Array) error {
	return fileio.WriteFile(path, func(w io.Writer) error { return Write(w, a) })
}

// Read reads one .npy array from r; name (a file name) prefixes errors,
// which give the byte offset of the problem.
func Read(r io.Reader, name string) (*Array, error) {
	a, err := read(r)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return a, nil
}

// ReadFile reads the .npy file at path.
func ReadFile(path string) (*Array, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return Read(bufio.NewReader(f), filepath.Clean(path))
}

func read(r io.Reader) (*Array, error) {
	pre := make([]byte, len(magic)+2)
	if _, err := io.ReadFull(r, pre); err != nil {
		return nil, fmt.Errorf("byte 0: not an .npy file (too short)")
	}
	if string(pre[:len(magic)]) != magic {
		return nil, fmt.Errorf("byte 0: not an .npy file (bad magic)")
	}
	major := pre[len(magic)]
	lenBytes := 4
	switch major {
	case 1:
		lenBytes = 2
	case 2, 3:
	default:
		return nil, fmt.Errorf("byte %d: unsupported .npy format version %d.%d", len(magic), major, pre[len(magic)+1])
	}
	lb := make([]byte, lenBytes)
	if _, err := io.ReadFull(r, lb); err != nil {
		return nil, fmt.Errorf("byte %d: truncated header length", len(pre))
	}
	var hlen int
	if lenBytes == 2 {
		hlen = int(binary.LittleEndian.Uint16(lb))
	} else {
		hlen = int(binary.LittleEndian.Uint32(lb))
	}
	start := len(pre) + lenBytes
	if hlen > 1<<20 {
		return nil, fmt.Errorf("byte %d: header length %d is implausibly large", len(pre), hlen)
	}
	hb := make([]byte, hlen)
	if n, err := io.ReadFull(r, hb); err != nil {
		return nil, fmt.Errorf("byte %d: truncated header (%d of %d bytes)", start+n, n, hlen)
	}
	h, err := parseHeader(string(hb), start)
	if err != nil {
		return nil, err
	}
	size, ok := dtypes[h.descr]
	if !ok {
		return nil, fmt.Errorf("byte %d: unsupported dtype %q (want one of <f4 <f8 <i4 <i8 |b1)", start, h.descr)
	}
	if h.fortran {
		return nil, fmt.Errorf("byte %d: Fortran-order arrays are not supported", start)
	}
	n, err := count(h.shape)
	if err != nil {
		return nil, fmt.Errorf("byte %d: %w", start, err)
	}
	dataAt := start + hlen
	raw, err := io.ReadAll(io.LimitReader(r, int64(n)*int64(size)+1))
	if err != nil {
		return nil, fmt.Errorf("byte %d: %w", dataAt+len(raw), err)
	}
	if len(raw) < n*size {
		return nil, fmt.Errorf("byte %d: truncated data: %d of %d bytes for shape %v %s", dataAt+len(raw), len(raw), n*size, h.shape, h.descr)
	}
	if len(raw) > n*size {
		return nil, fmt.Errorf("byte %d: trailing bytes after the data", dataAt+n*size)
	}
	a := &Array{Shape: h.shape}
	switch h.descr {
	case "<f4":
		a.Data = make([]float32, n)
	case "<f8":
		a.Data = make([]float64, n)
	case "<i4":
		a.Data = make([]int32, n)
	case "<i8":
		a.Data = make([]int64, n)
	case "|b1":
		for i, b := range raw {
			if b > 1 {
				return nil, fmt.Errorf("byte %d: bool value %d", dataAt+i, b)
			}
		}
		a.Data = make([]bool, n)
	}
	if err := binary.Read(bytes.NewReader(raw), binary.LittleEndian, a.Data); err != nil {
		return nil, fmt.Errorf("byte %d: %w", dataAt, err)
	}
	return a, nil
}

// ErrType is returned by the typed accessors when Data has another type.
var ErrType = errors.New("npy: array has another element type")

// Float32 returns the data of a float32 array, or ErrType.
func (a *Array) Float32() ([]float32, error) {
	if v, ok := a.Data.([]float32); ok {
		return v, nil
	}
	return nil, fmt.Errorf("%w: %T, want []float32", ErrType, a.Data)
}

// Float64 returns the data of a float32 or float64 array as float64, or
// ErrType for the integer and bool types.
func (a *Array) Float64() ([]float64, error) {
	switch v := a.Data.(type) {
	case []float64:
		return v, nil
	case []float32:
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = float64(x)
		}
		return out, nil
	}
	return nil, fmt.Errorf("%w: %T, want floating point", ErrType, a.Data)
}

// Int returns the data of an int32 or int64 array as int, or ErrType.
func (a *Array) Int() ([]int, error) {
	switch v := a.Data.(type) {
	case []int64:
		return toInts(v), nil
	case []int32:
		return toInts(v), nil
	}
	return nil, fmt.Errorf("%w: %T, want integer", ErrType, a.Data)
}

// toInts converts v to a new []int.
func toInts[T int32 | int64](v []T) []int {
	out := make([]int, len(v))
	for i, x := range v {
		out[i] = int(x)
	}
	return out
}
