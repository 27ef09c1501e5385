// Package safetensors reads and writes the safetensors format
// (https://github.com/huggingface/safetensors): an 8-byte little-endian
// header length N, N bytes of JSON header (padded with spaces to a multiple of
// 8), then the raw little-endian tensor data. The header maps each tensor name
// to {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to
// the start of the data) and may hold a "__metadata__" string→string map.
//
// cocotrain checkpoints are safetensors files: PyTorch, numpy (see
// scripts/read_safetensors.py) and the safetensors library read them.
package safetensors

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
)

// Tensor is one named tensor: its element type, row-major shape and raw
// little-endian bytes (len(Data) == product(Shape) × DType.Size()).
type Tensor struct {
	Name  string
	DType DType
	Shape []int
	Data  []byte
}

// NumElements is the product of the shape (1 for a scalar of shape []).
func (t *Tensor) NumElements() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// File is the in-memory content of a safetensors file: string metadata and
// tensors in file order (offset order after Decode, insertion order before
// Encode, which writes them in the reference implementation's order).
type File struct {
	Metadata map[string]string
	Tensors  []*Tensor
	byName   map[string]*Tensor
}

// New returns an empty File with an empty metadata map.
func New() *File {
	return &File{Metadata: map[string]string{}, byName: map[string]*Tensor{}}
}

// Add appends a tensor. It fails on a duplicate or reserved name, an unknown
// dtype, a negative dimension or a data length that does not match the shape.
func (f *File) Add(t *Tensor) error {
	if f.byName == nil {
		f.byName = map[string]*Tensor{}
	}
	switch {
	case t.Name == "" || t.Name == metadataKey:
		return fmt.Errorf("safetensors: invalid tensor name %q", t.Name)
	case f.byName[t.Name] != nil:
		return fmt.Errorf("safetensors: duplicate tensor name %q", t.Name)
	case t.DType.Size() == 0:
		return fmt.Errorf("safetensors: tensor %q: unknown dtype %q", t.Name, t.DType)
	}
	n, ok := numElements(t.Shape)
	if !ok {
		return fmt.Errorf("safetensors: tensor %q: invalid shape %v", t.Name, t.Shape)
	}
	if len(t.Data) != n*t.DType.Size() {
		return fmt.Errorf("safetensors: tensor %q: %d bytes of data for shape %v %s (want %d)",
			t.Name, len(t.Data), t.Shape, t.DType, n*t.DType.Size())
	}
	f.Tensors = append(f.Tensors, t)
	f.byName[t.Name] = t
	return nil
}

// AddF32 appends a copy of v as an F32 tensor of the given shape.
func (f *File) AddF32(name string, shape []int, v []float32) error {
	b, err := binary.Append(nil, binary.LittleEndian, v)
	if err != nil {
		return fmt.Errorf("safetensors: tensor %q: %w", name, err)
	}
	return f.Add(&Tensor{Name: name, DType: F32, Shape: slices.Clone(shape), Data: b})
}

// AddI64 appends a copy of v as an I64 tensor of the given shape.
func (f *File) AddI64(name string, shape []int, v []int64) error {
	b, err := binary.Append(nil, binary.LittleEndian, v)
	if err != nil {
		return fmt.Errorf("safetensors: tensor %q: %w", name, err)
	}
	return f.Add(&Tensor{Name: name, DType: I64, Shape: slices.Clone(shape), Data: b})
}

// AddU8 appends a copy of v as a U8 tensor of the given shape.
func (f *File) AddU8(name string, shape []int, v []byte) error {
	return f.Add(&Tensor{Name: name, DType: U8, Shape: slices.Clone(shape), Data: slices.Clone(v)})
}

// Tensor returns the tensor with the given name, or nil.
func (f *File) Tensor(name string) *Tensor { return f.byName[name] }

// lookup returns the named tensor if it exists with the wanted dtype.
func (f *File) lookup(name string, dt DType) (*Tensor, error) {
	t := f.byName[name]
	if t == nil {
		return nil, fmt.Errorf("safetensors: no tensor %q", name)
	}
	if t.DType != dt {
		return nil, fmt.Errorf("safetensors: tensor %q is %s, want %s", name, t.DType, dt)
	}
	return t, nil
}

// F32 returns a copy of the F32 tensor's values and its shape.
func (f *File) F32(name string) ([]float32, []int, error) {
	t, err := f.lookup(name, F32)
	if err != nil {
		return nil, nil, err
	}
	v := make([]float32, t.NumElements())
	decodeF32(v, t.Data)
	return v, slices.Clone(t.Shape), nil
}

// CheckF32 reports whether the file holds an F32 tensor of exactly this
// name and shape, so that a loader can check every tensor before copying any.
func (f *File) CheckF32(name string, shape []int) error {
	t, err := f.lookup(name, F32)
	if err != nil {
		return err
	}
	if !slices.Equal(t.Shape, shape) {
		return fmt.Errorf("safetensors: tensor %q has shape %v, want %v", name, t.Shape, shape)
	}
	return nil
}

// CopyF32 copies the F32 tensor into dst after checking that its shape is
// exactly shape (and len(dst) its element count); on error dst is untouched.
func (f *File) CopyF32(name string, dst []float32, shape []int) error {
	if err := f.CheckF32(name, shape); err != nil {
		return err
	}
	t := f.byName[name]
	if len(dst) != t.NumElements() {
		return fmt.Errorf("safetensors: tensor %q has %d elements, destination %d", name, t.NumElements(), len(dst))
	}
	decodeF32(dst, t.Data)
	return nil
}

// decodeF32 fills dst with the little-endian float32 values in b
// (len(b) ≥ 4·len(dst)).
func decodeF32(dst []float32, b []byte) {
	for i := range dst {
		dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
}

// I64 returns a copy of the I64 tensor's values and its shape.
func (f *File) I64(name string) ([]int64, []int, error) {
	t, err := f.lookup(name, I64)
	if err != nil {
		return nil, nil, err
	}
	v := make([]int64, t.NumElements())
	for i := range v {
		v[i] = int64(binary.LittleEndian.Uint64(t.Data[8*i:]))
	}
	return v, slices.Clone(t.Shape), nil
}

// U8 returns a copy of the U8 tensor's bytes and its shape.
func (f *File) U8(name string) ([]byte, []int, error) {
	t, err := f.lookup(name, U8)
	if err != nil {
		return nil, nil, err
	}
	return slices.Clone(t.Data), slices.Clone(t.Shape), nil
}

// maxElements bounds a tensor's element count (2^50), far above any real
// tensor, so that sizes never overflow.
const maxElements = 1 << 50

// numElements is the product of shape, false if a dimension is negative or
// the product overflows.
func numElements(shape []int) (int, bool) {
	n := 1
	for _, d := range shape {
		if d < 0 || (d > 0 && n > maxElements/d) {
			return 0, false
		}
		n *= d
	}
	return n, true
}
