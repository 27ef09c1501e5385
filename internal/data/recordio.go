package data

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

// RecordIOMagic starts every record of an MXNet (dmlc-core) RecordIO file.
const RecordIOMagic = 0xced7230a

// irHeaderSize is the size of MXNet's image-record header IRHeader: flag
// uint32, label float32, id uint64, id2 uint64 (little endian).
const irHeaderSize = 24

// maxRecordBytes bounds one (joined) record, as dmlc-core's 29-bit lengths do.
const maxRecordBytes = 1 << 29

// readRecord reads the logical record at byte off of r (size bytes long):
// its parts (cflag 0 whole; 1 first, 2 middle, 3 last) joined with the magic
// number that the writer cut out between them. It returns the record and
// the offset of the next one. Errors name the byte offset.
func readRecord(r io.ReaderAt, off, size int64) (rec []byte, next int64, err error) {
	var head [8]byte
	for part := 0; ; part++ {
		if off+8 > size {
			return nil, 0, fmt.Errorf("byte %d: truncated record header (file ends at %d)", off, size)
		}
		if _, err := r.ReadAt(head[:], off); err != nil {
			return nil, 0, fmt.Errorf("byte %d: %w", off, noEOF(err))
		}
		if m := binary.LittleEndian.Uint32(head[:4]); m != RecordIOMagic {
			return nil, 0, fmt.Errorf("byte %d: bad magic 0x%08x, want 0x%08x", off, m, uint32(RecordIOMagic))
		}
		lrec := binary.LittleEndian.Uint32(head[4:])
		cflag, n := lrec>>29, int64(lrec&(1<<29-1))
		switch {
		case part == 0 && cflag != 0 && cflag != 1:
			return nil, 0, fmt.Errorf("byte %d: record starts with continuation flag %d", off, cflag)
		case part > 0 && cflag != 2 && cflag != 3:
			return nil, 0, fmt.Errorf("byte %d: split record continues with flag %d, want 2 or 3", off, cflag)
		case off+8+n > size:
			return nil, 0, fmt.Errorf("byte %d: record of %d bytes runs past the end of the file (%d bytes)", off, n, size)
		case int64(len(rec))+n > maxRecordBytes:
			return nil, 0, fmt.Errorf("byte %d: record longer than %d bytes", off, maxRecordBytes)
		}
		start := len(rec)
		rec = append(rec, make([]byte, n)...)
		if _, err := r.ReadAt(rec[start:], off+8); err != nil {
			return nil, 0, fmt.Errorf("byte %d: %w", off+8, noEOF(err))
		}
		off += 8 + (n+3)&^3
		if cflag == 0 || cflag == 3 {
			return rec, min(off, size), nil
		}
		rec = binary.LittleEndian.AppendUint32(rec, RecordIOMagic)
	}
}

// irHeader is MXNet's image-record header: Flag extra labels follow it in
// the record when positive (then Label holds them), else Label is the one
// label.
type irHeader struct {
	Flag    uint32
	Label   []float32
	ID, ID2 uint64
}

// unpackIR splits an image record into its header and payload (the encoded
// image), as mxnet.recordio.unpack does.
func unpackIR(rec []byte) (irHeader, []byte, error) {
	if len(rec) < irHeaderSize {
		return irHeader{}, nil, fmt.Errorf("record of %d bytes is shorter than the %d-byte image header", len(rec), irHeaderSize)
	}
	h := irHeader{
		Flag: binary.LittleEndian.Uint32(rec),
		ID:   binary.LittleEndian.Uint64(rec[8:]),
		ID2:  binary.LittleEndian.Uint64(rec[16:]),
	}
	rest := rec[irHeaderSize:]
	if h.Flag == 0 {
		h.Label = []float32{math.Float32frombits(binary.LittleEndian.Uint32(rec[4:]))}
		return h, rest, nil
	}
	if uint64(h.Flag)*4 > uint64(len(rest)) {
		return irHeader{}, nil, fmt.Errorf("image header announces %d labels, record has room for %d", h.Flag, len(rest)/4)
	}
	h.Label = make([]float32, h.Flag)
	for i := range h.Label {
		h.Label[i] = math.Float32frombits(binary.LittleEndian.Uint32(rest[4*i:]))
	}
	return h, rest[4*h.Flag:], nil
}

// RecordIO is a Source over an insightface training set in MXNet RecordIO:
// train.rec, indexed by train.idx ("key\toffset" lines) or scanned in
// order when there is no .idx. When record 0 carries two labels
// (a, b), it is insightface's header: records 1..a−1 are images, records
// a..b−1 identities whose labels (s, e) give the identity's image range
// [s, e). Otherwise every record is an image labelled by its header label.
// Class names are the identity numbers.
type RecordIO struct {
	path    string
	f       *os.File
	size    int64
	offsets []int64
	labels  []int
	classes []string
}

// OpenRecordIO opens path (a .rec file) and its index path minus ".rec"
// plus ".idx" when that exists.
func OpenRecordIO(path string) (*RecordIO, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r, err := newRecordIO(f, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

func newRecordIO(f *os.File, path string) (*RecordIO, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	r := &RecordIO{path: path, f: f, size: st.Size()}
	idxPath := strings.TrimSuffix(path, ".rec") + ".idx"
	var keys map[int]int64
	if idx, err := os.Open(idxPath); err == nil {
		keys, err = readRecordIndex(idx, idxPath, r.size)
		idx.Close()
		if err != nil {
			return nil, err
		}
	} else if errors.Is(err, os.ErrNotExist) {
		if keys, err = r.scan(); err != nil {
			return nil, err
		}
	} else {
		return nil, err
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s: no records", path)
	}
	sorted := make([]int, 0, len(keys))
	for k := range keys {
		sorted = append(sorted, k)
	}
	sort.Ints(sorted)
	first, err := r.record(keys[sorted[0]])
	if err != nil {
		return nil, err
	}
	if sorted[0] == 0 && len(first.Label) >= 2 {
		err = r.fromHeader(keys, first)
	} else {
		err = r.fromLabels(keys, sorted)
	}
	if err != nil {
		return nil, err
	}
	if len(r.offsets) == 0 {
		return nil, fmt.Errorf("%s: no image records", path)
	}
	return r, nil
}

// readRecordIndex parses an MXNet .idx file: one "key\toffset" per line.
func readRecordIndex(rd io.Reader, name string, recSize int64) (map[int]int64, error) {
	keys := map[int]int64{}
	sc := bufio.NewScanner(rd)
	for line := 1; sc.Scan(); line++ {
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if len(f) != 2 {
			return nil, fmt.Errorf("%s:%d: expected \"key<TAB>offset\", got %q", name, line, sc.Text())
		}
		k, err1 := strconv.Atoi(f[0])
		off, err2 := strconv.ParseInt(f[1], 10, 64)
		if err1 != nil || err2 != nil || k < 0 || off < 0 || off >= recSize {
			return nil, fmt.Errorf("%s:%d: bad key or offset %q (the .rec has %d bytes)", name, line, sc.Text(), recSize)
		}
		if _, dup := keys[k]; dup {
			return nil, fmt.Errorf("%s:%d: key %d listed twice", name, line, k)
		}
		keys[k] = off
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return keys, nil
}

// scan walks the records in file order, numbering them 0, 1, 2...
func (r *RecordIO) scan() (map[int]int64, error) {
	keys := map[int]int64{}
	for off := int64(0); off < r.size; {
		_, next, err := readRecord(r.f, off, r.size)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", r.path, err)
		}
		keys[len(keys)] = off
		off = next
	}
	return keys, nil
}

// record reads and unpacks the header of the record at off.
func (r *RecordIO) record(off int64) (irHeader, error) {
	h, _, err := r.read(off)
	return h, err
}

// read reads the record at off and splits it into header and payload.
func (r *RecordIO) read(off int64) (irHeader, []byte, error) {
	rec, _, err := readRecord(r.f, off, r.size)
	if err != nil {
		return irHeader{}, nil, fmt.Errorf("%s: %w", r.path, err)
	}
	h, payload, err := unpackIR(rec)
	if err != nil {
		return irHeader{}, nil, fmt.Errorf("%s: byte %d: %w", r.path, off, err)
	}
	return h, payload, nil
}

// fromHeader lists images by insightface's identity records.
func (r *RecordIO) fromHeader(keys map[int]int64, h0 irHeader) error {
	a, b := int(h0.Label[0]), int(h0.Label[1])
	if a < 1 || b < a || float32(a) != h0.Label[0] || float32(b) != h0.Label[1] {
		return fmt.Errorf("%s: header record 0 has identity range %v, want integers 1 ≤ a ≤ b", r.path, h0.Label[:2])
	}
	for id := a; id < b; id++ {
		off, ok := keys[id]
		if !ok {
			return fmt.Errorf("%s: identity record %d (of header range [%d, %d)) missing from the index", r.path, id, a, b)
		}
		h, err := r.record(off)
		if err != nil {
			return err
		}
		s, e := int(h.Label[0]), 0
		if len(h.Label) >= 2 {
			e = int(h.Label[1])
		}
		if len(h.Label) < 2 || s < 1 || e < s || e > a {
			return fmt.Errorf("%s: byte %d: identity record %d has image range %v, want [s, e) within [1, %d)", r.path, off, id, h.Label, a)
		}
		label := len(r.classes)
		r.classes = append(r.classes, strconv.Itoa(id-a))
		for k := s; k < e; k++ {
			off, ok := keys[k]
			if !ok {
				return fmt.Errorf("%s: image record %d of identity %d missing from the index", r.path, k, id-a)
			}
			r.offsets = append(r.offsets, off)
			r.labels = append(r.labels, label)
		}
	}
	return nil
}

// fromLabels lists every record as an image labelled by its header.
func (r *RecordIO) fromLabels(keys map[int]int64, sorted []int) error {
	raw := make([]int, 0, len(sorted))
	ids := map[int]bool{}
	for _, k := range sorted {
		h, err := r.record(keys[k])
		if err != nil {
			return err
		}
		v := h.Label[0]
		if v < 0 || v != float32(int(v)) {
			return fmt.Errorf("%s: byte %d: label %v is not an identity number", r.path, keys[k], v)
		}
		raw = append(raw, int(v))
		ids[int(v)] = true
		r.offsets = append(r.offsets, keys[k])
	}
	order := make([]int, 0, len(ids))
	for id := range ids {
		order = append(order, id)
	}
	sort.Ints(order)
	dense := map[int]int{}
	for i, id := range order {
		dense[id] = i
		r.classes = append(r.classes, strconv.Itoa(id))
	}
	for _, v := range raw {
		r.labels = append(r.labels, dense[v])
	}
	return nil
}

// Len is the number of image records.
func (r *RecordIO) Len() int { return len(r.offsets) }

// Classes returns the identity names (identity numbers).
func (r *RecordIO) Classes() []string { return r.classes }

// Label returns the identity of image i.
func (r *RecordIO) Label(i int) int { return r.labels[i] }

// Name returns "path@offset" for image i.
func (r *RecordIO) Name(i int) string { return fmt.Sprintf("%s@%d", r.path, r.offsets[i]) }

// Image reads and decodes image record i.
func (r *RecordIO) Image(i int) (image.Image, error) {
	_, payload, err := r.read(r.offsets[i])
	if err != nil {
		return nil, err
	}
	return decodeBytes(payload, r.Name(i))
}

// Close closes the .rec file.
func (r *RecordIO) Close() error { return r.f.Close() }
