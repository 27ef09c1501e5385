package safetensors

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"unicode/utf8"
)

// maxHeaderSize is the largest header accepted, as in the reference
// implementation (100 MB).
const maxHeaderSize = 100_000_000

// FormatError describes why bytes are not a valid safetensors file: File is
// the path (empty for Decode of a byte slice), Offset the byte offset of the
// problem where one applies (-1 otherwise).
type FormatError struct {
	File   string
	Offset int64
	Msg    string
}

// Error returns "safetensors: FILE: byte OFFSET: MSG".
func (e *FormatError) Error() string {
	s := "safetensors: "
	if e.File != "" {
		s += e.File + ": "
	}
	if e.Offset >= 0 {
		s += fmt.Sprintf("byte %d: ", e.Offset)
	}
	return s + e.Msg
}

// ReadFile reads and validates the safetensors file at path; errors name it.
func ReadFile(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	f, err := Decode(b)
	var fe *FormatError
	if errors.As(err, &fe) {
		fe.File = path
	}
	return f, err
}

// Decode parses and fully validates a safetensors file held in b: header
// length against the size, JSON syntax, known dtypes, shape × dtype size
// equal to the offset span, offsets within the data, tensors contiguous and
// covering the data with no overlap or gap, no duplicate names, metadata
// values strings. Tensor data are views into b. Errors are *FormatError.
func Decode(b []byte) (*File, error) {
	bad := func(off int64, format string, args ...any) error {
		return &FormatError{Offset: off, Msg: fmt.Sprintf(format, args...)}
	}
	if len(b) < 8 {
		return nil, bad(-1, "truncated: %d bytes, shorter than the 8-byte header length", len(b))
	}
	n := binary.LittleEndian.Uint64(b)
	if n > maxHeaderSize {
		return nil, bad(0, "header length %d exceeds the %d-byte limit (not a safetensors file?)", n, maxHeaderSize)
	}
	if n+8 > uint64(len(b)) {
		return nil, bad(0, "header length %d runs past the end of the %d-byte file (truncated?)", n, len(b))
	}
	header := b[8 : 8+n]
	if len(header) == 0 || header[0] != '{' {
		return nil, bad(8, "header does not start with '{' (not a safetensors file?)")
	}
	if !utf8.Valid(header) {
		return nil, bad(8, "header is not valid UTF-8")
	}
	return parseHeader(header, b[8+n:])
}

// parseHeader walks the header JSON object and builds the File over data.
func parseHeader(header, data []byte) (*File, error) {
	bad := func(off int64, format string, args ...any) error {
		return &FormatError{Offset: 8 + off, Msg: "header: " + fmt.Sprintf(format, args...)}
	}
	dec := json.NewDecoder(bytes.NewReader(header))
	if _, err := dec.Token(); err != nil { // the '{'
		return nil, bad(dec.InputOffset(), "%v", err)
	}
	f := New()
	var spans []span
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, bad(dec.InputOffset(), "%v", err)
		}
		name := tok.(string) // object keys are always strings
		keyOff := dec.InputOffset()
		if seen[name] {
			return nil, bad(keyOff, "duplicate key %q", name)
		}
		seen[name] = true
		if name == metadataKey {
			if err := dec.Decode(&f.Metadata); err != nil {
				return nil, bad(keyOff, "%s must be an object of strings: %v", metadataKey, err)
			}
			if f.Metadata == nil { // "__metadata__": null
				f.Metadata = map[string]string{}
			}
			continue
		}
		s, err := decodeEntry(dec, name)
		if err != nil {
			return nil, bad(keyOff, "%v", err)
		}
		spans = append(spans, s)
		f.byName[name] = s.t
	}
	if _, err := dec.Token(); err != nil { // the '}'
		return nil, bad(dec.InputOffset(), "%v", err)
	}
	if rest := header[dec.InputOffset():]; len(bytes.TrimRight(rest, " \t\r\n")) != 0 {
		return nil, bad(dec.InputOffset(), "trailing bytes after the JSON object")
	}
	if err := placeData(f, spans, data, int64(8+len(header))); err != nil {
		return nil, err
	}
	return f, nil
}

// rawEntry is a tensor's header entry as read, before validation.
type rawEntry struct {
	DType   *DType    `json:"dtype"`
	Shape   []int     `json:"shape"`
	Offsets *[2]int64 `json:"data_offsets"`
}

// span is a tensor read from the header with its data offsets [begin, end).
type span struct {
	t          *Tensor
	begin, end int64
}

// decodeEntry reads one tensor entry and checks it on its own; placeData
// points the tensor at its bytes once all entries are known.
func decodeEntry(dec *json.Decoder, name string) (span, error) {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return span{}, fmt.Errorf("tensor %q: %v", name, err)
	}
	var e rawEntry
	strict := json.NewDecoder(bytes.NewReader(raw))
	strict.DisallowUnknownFields()
	if err := strict.Decode(&e); err != nil {
		return span{}, fmt.Errorf("tensor %q: %v", name, err)
	}
	switch {
	case e.DType == nil:
		return span{}, fmt.Errorf("tensor %q: no dtype", name)
	case e.DType.Size() == 0:
		return span{}, fmt.Errorf("tensor %q: unknown dtype %q", name, *e.DType)
	case e.Shape == nil:
		return span{}, fmt.Errorf("tensor %q: no shape", name)
	case e.Offsets == nil:
		return span{}, fmt.Errorf("tensor %q: no data_offsets", name)
	}
	count, ok := numElements(e.Shape)
	if !ok {
		return span{}, fmt.Errorf("tensor %q: invalid shape %v", name, e.Shape)
	}
	begin, end := e.Offsets[0], e.Offsets[1]
	if begin < 0 || end < begin {
		return span{}, fmt.Errorf("tensor %q: invalid data_offsets [%d, %d]", name, begin, end)
	}
	if want := int64(count) * int64(e.DType.Size()); end-begin != want {
		return span{}, fmt.Errorf("tensor %q: data_offsets [%d, %d] span %d bytes, shape %v of %s needs %d",
			name, begin, end, end-begin, e.Shape, *e.DType, want)
	}
	return span{&Tensor{Name: name, DType: *e.DType, Shape: e.Shape}, begin, end}, nil
}

// placeData checks that the tensors tile data exactly (sorted by offset:
// starting at 0, each beginning where the previous ended, the last ending at
// the end of the file), then points each tensor at its bytes and sets
// f.Tensors in offset order. dataStart is data's offset in the file.
func placeData(f *File, spans []span, data []byte, dataStart int64) error {
	slices.SortStableFunc(spans, func(a, b span) int {
		return cmp.Or(cmp.Compare(a.begin, b.begin), cmp.Compare(a.end, b.end))
	})
	pos := int64(0)
	for _, s := range spans {
		t := s.t
		switch {
		case s.begin > pos:
			return &FormatError{Offset: dataStart + pos, Msg: fmt.Sprintf(
				"tensor %q starts at data offset %d, leaving a gap after offset %d", t.Name, s.begin, pos)}
		case s.begin < pos:
			return &FormatError{Offset: dataStart + s.begin, Msg: fmt.Sprintf(
				"tensor %q at data offsets [%d, %d] overlaps the previous tensor (ending at %d)",
				t.Name, s.begin, s.end, pos)}
		case s.end > int64(len(data)):
			return &FormatError{Offset: dataStart + s.begin, Msg: fmt.Sprintf(
				"tensor %q at data offsets [%d, %d] runs past the end of the %d data bytes (truncated?)",
				t.Name, s.begin, s.end, len(data))}
		}
		t.Data = data[s.begin:s.end:s.end]
		f.Tensors = append(f.Tensors, t)
		pos = s.end
	}
	if pos != int64(len(data)) {
		return &FormatError{Offset: dataStart + pos, Msg: fmt.Sprintf(
			"%d bytes after the last tensor (data is %d bytes, tensors cover %d)", int64(len(data))-pos, len(data), pos)}
	}
	return nil
}
