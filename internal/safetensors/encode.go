package safetensors

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
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

// WriteFile writes f to path atomically: into a temporary file in the same
// directory, flushed and fsynced, then renamed over path, and the directory
// fsynced. On any failure the previous file at path is untouched and the
// temporary file is removed.
func WriteFile(path string, f *File) error {
	return writeAtomic(path, func(w io.Writer) error { return Encode(w, f) })
}

// writeAtomic runs write into a temporary file beside path and renames it
// over path once it is complete and on disk.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("safetensors: write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = fmt.Errorf("safetensors: write %s: %w", path, err)
		}
	}()
	bw := bufio.NewWriterSize(tmp, 1<<20)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir fsyncs a directory so that a rename in it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
