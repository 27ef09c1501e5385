package safetensors

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"slices"
)

// metadataKey is the reserved header key of the string→string metadata map.
const metadataKey = "__metadata__"

// Encode writes f to w in the layout of the reference implementation:
// tensors ordered by descending dtype (widest first) then name, the header
// JSON with "__metadata__" first, padded with spaces to a multiple of 8 bytes.
func Encode(w io.Writer, f *File) error {
	order := slices.Clone(f.Tensors)
	slices.SortStableFunc(order, func(a, b *Tensor) int {
		return cmp.Or(cmp.Compare(dtypeRank[b.DType], dtypeRank[a.DType]), cmp.Compare(a.Name, b.Name))
	})
	header, err := encodeHeader(f.Metadata, order)
	if err != nil {
		return err
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(header)))
	if _, err := w.Write(n[:]); err != nil {
		return err
	}
	if _, err := w.Write(header); err != nil {
		return err
	}
	for _, t := range order {
		if _, err := w.Write(t.Data); err != nil {
			return err
		}
	}
	return nil
}

// encodeHeader returns the padded JSON header for the tensors in order.
func encodeHeader(meta map[string]string, order []*Tensor) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	if len(meta) > 0 {
		m, err := json.Marshal(meta) // keys sorted: the output is deterministic
		if err != nil {
			return nil, err
		}
		buf.WriteString(`"` + metadataKey + `":`)
		buf.Write(m)
	}
	offset := 0
	seen := map[string]bool{}
	for i, t := range order {
		if seen[t.Name] || t.Name == "" || t.Name == metadataKey {
			return nil, fmt.Errorf("safetensors: duplicate or invalid tensor name %q", t.Name)
		}
		seen[t.Name] = true
		if n, ok := numElements(t.Shape); !ok || t.DType.Size() == 0 || len(t.Data) != n*t.DType.Size() {
			return nil, fmt.Errorf("safetensors: tensor %q: inconsistent dtype %q, shape %v and %d data bytes",
				t.Name, t.DType, t.Shape, len(t.Data))
		}
		if i > 0 || len(meta) > 0 {
			buf.WriteByte(',')
		}
		name, err := json.Marshal(t.Name)
		if err != nil {
			return nil, err
		}
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		entry, err := json.Marshal(headerEntry{DType: string(t.DType), Shape: shape, Offsets: [2]int{offset, offset + len(t.Data)}})
		if err != nil {
			return nil, err
		}
		buf.Write(name)
		buf.WriteByte(':')
		buf.Write(entry)
		offset += len(t.Data)
	}
	buf.WriteByte('}')
	for buf.Len()%8 != 0 {
		buf.WriteByte(' ')
	}
	return buf.Bytes(), nil
}

// headerEntry is one tensor's description in the JSON header.
type headerEntry struct {
	DType   string `json:"dtype"`
	Shape   []int  `json:"shape"`
	Offsets [2]int `json:"data_offsets"`
}
