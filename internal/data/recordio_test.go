package data

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeRecord writes one logical record as dmlc-core's RecordIOWriter
// does: wherever the magic number appears at a 4-aligned position the
// record is split there (the magic itself is dropped, the reader puts it
// back), parts flagged 1 (first), 2 (middle), 3 (last) or 0 (whole); the
// record is padded to 4 bytes.
func writeRecord(w *bytes.Buffer, rec []byte) {
	var magic [4]byte
	binary.LittleEndian.PutUint32(magic[:], RecordIOMagic)
	head := func(cflag uint32, n int) {
		binary.Write(w, binary.LittleEndian, [2]uint32{RecordIOMagic, cflag<<29 | uint32(n)})
	}
	dptr := 0
	for i := 0; i+4 <= len(rec); i += 4 {
		if bytes.Equal(rec[i:i+4], magic[:]) {
			flag := uint32(2)
			if dptr == 0 {
				flag = 1
			}
			head(flag, i-dptr)
			w.Write(rec[dptr:i])
			dptr = i + 4
		}
	}
	flag := uint32(0)
	if dptr != 0 {
		flag = 3
	}
	head(flag, len(rec)-dptr)
	w.Write(rec[dptr:])
	w.Write(make([]byte, (4-len(rec)%4)%4))
}

// packIR builds an image record as mxnet.recordio.pack does: with one
// label, flag 0 and the label in the header; with several, flag = their
// count and the labels after the header.
func packIR(labels []float32, id, id2 uint64, payload []byte) []byte {
	var b []byte
	le := binary.LittleEndian
	if len(labels) == 1 {
		b = le.AppendUint32(b, 0)
		b = le.AppendUint32(b, math.Float32bits(labels[0]))
	} else {
		b = le.AppendUint32(b, uint32(len(labels)))
		b = le.AppendUint32(b, 0)
	}
	b = le.AppendUint64(b, id)
	b = le.AppendUint64(b, id2)
	if len(labels) > 1 {
		for _, l := range labels {
			b = le.AppendUint32(b, math.Float32bits(l))
		}
	}
	return append(b, payload...)
}

func pngBytes(t testing.TB, seed int) []byte {
	m := image.NewGray(image.Rect(0, 0, 5, 4))
	for i := range m.Pix {
		m.Pix[i] = uint8(seed*31 + i*7)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// insightfaceRec builds a train.rec/.idx pair: header record 0 with
// (a, b), images 1..a−1, identity records a..b−1 with their image ranges.
// Image 2 carries the magic number in both id fields, so it is split in
// three parts. It returns the .rec path.
func insightfaceRec(t *testing.T, dir string, perID []int, withIdx bool) string {
	var rec bytes.Buffer
	var idx strings.Builder
	put := func(key int, r []byte) {
		fmt.Fprintf(&idx, "%d\t%d\n", key, rec.Len())
		writeRecord(&rec, r)
	}
	images := 0
	for _, n := range perID {
		images += n
	}
	a := images + 1
	b := a + len(perID)
	put(0, packIR([]float32{float32(a), float32(b)}, 0, 0, nil))
	key := 1
	for id, n := range perID {
		for j := 0; j < n; j++ {
			id1, id2 := uint64(key), uint64(0)
			if key == 2 {
				id1, id2 = RecordIOMagic, RecordIOMagic|7<<32
			}
			put(key, packIR([]float32{float32(id)}, id1, id2, pngBytes(t, key)))
			key++
		}
	}
	start := 1
	for id, n := range perID {
		put(a+id, packIR([]float32{float32(start), float32(start + n)}, uint64(a+id), 0, nil))
		start += n
	}
	path := filepath.Join(dir, "train.rec")
	if err := os.WriteFile(path, rec.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if withIdx {
		if err := os.WriteFile(filepath.Join(dir, "train.idx"), []byte(idx.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

func TestRecordIOInsightface(t *testing.T) {
	perID := []int{2, 3, 1}
	for _, withIdx := range []bool{true, false} {
		path := insightfaceRec(t, t.TempDir(), perID, withIdx)
		src, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		r := src.(*RecordIO)
		if r.Len() != 6 || strings.Join(r.Classes(), ",") != "0,1,2" {
			t.Fatalf("idx %v: %d images, classes %v", withIdx, r.Len(), r.Classes())
		}
		wantLabels := []int{0, 0, 1, 1, 1, 2}
		for i := 0; i < r.Len(); i++ {
			if r.Label(i) != wantLabels[i] {
				t.Fatalf("image %d label %d want %d", i, r.Label(i), wantLabels[i])
			}
			img, err := r.Image(i)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := png.Decode(bytes.NewReader(pngBytes(t, i+1)))
			if !bytes.Equal(img.(*image.Gray).Pix, want.(*image.Gray).Pix) {
				t.Fatalf("image %d pixels differ", i)
			}
			h, _, err := r.read(r.offsets[i])
			if err != nil {
				t.Fatal(err)
			}
			if i == 1 && (h.ID != RecordIOMagic || h.ID2 != RecordIOMagic|7<<32) {
				t.Fatalf("split record header ids %#x %#x", h.ID, h.ID2)
			}
		}
		r.Close()
	}
}

func TestRecordIOSplitParts(t *testing.T) {
	var magic [4]byte
	binary.LittleEndian.PutUint32(magic[:], RecordIOMagic)
	rec := slices.Concat([]byte("abcd"), magic[:], magic[:], []byte("xyz1"), magic[:], []byte("q"))
	var buf bytes.Buffer
	writeRecord(&buf, rec)
	flags := []uint32{}
	for off := 0; off < buf.Len(); {
		l := binary.LittleEndian.Uint32(buf.Bytes()[off+4:])
		flags = append(flags, l>>29)
		off += 8 + int(l&(1<<29-1)+3)&^3
	}
	if fmt.Sprint(flags) != "[1 2 2 3]" {
		t.Fatalf("parts flagged %v, want [1 2 2 3]", flags)
	}
	got, next, err := readRecord(bytes.NewReader(buf.Bytes()), 0, int64(buf.Len()))
	if err != nil || !bytes.Equal(got, rec) || next != int64(buf.Len()) {
		t.Fatalf("joined %q (next %d, %v), want %q", got, next, err, rec)
	}
}

func TestRecordIOPlainLabels(t *testing.T) {
	// No header record: every record is an image labelled in its header;
	// labels 7 and 3 become classes "3" and "7"; a multi-label record uses
	// its first label.
	var rec bytes.Buffer
	for i, lab := range [][]float32{{7}, {3}, {7, 0.5}} {
		writeRecord(&rec, packIR(lab, uint64(i), 0, pngBytes(t, i)))
	}
	path := filepath.Join(t.TempDir(), "plain.rec")
	os.WriteFile(path, rec.Bytes(), 0o644)
	r, err := OpenRecordIO(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if strings.Join(r.Classes(), ",") != "3,7" || r.Label(0) != 1 || r.Label(1) != 0 || r.Label(2) != 1 {
		t.Fatalf("classes %v labels %d %d %d", r.Classes(), r.Label(0), r.Label(1), r.Label(2))
	}
	if _, err := r.Image(2); err != nil {
		t.Fatal(err)
	}
}

func TestRecordIOErrorsNameTheOffset(t *testing.T) {
	var good bytes.Buffer
	writeRecord(&good, packIR([]float32{1}, 0, 0, pngBytes(t, 0)))
	writeRecord(&good, packIR([]float32{1}, 1, 0, pngBytes(t, 1)))
	n := good.Len()
	second := int64(n / 2) // both records have the same length
	cases := map[string][]byte{
		"byte 0: bad magic":                                     append([]byte{1, 2, 3, 4}, good.Bytes()[4:]...),
		fmt.Sprintf("byte %d: record of", second):               good.Bytes()[:n-8],
		fmt.Sprintf("byte %d: truncated record header", second): good.Bytes()[:second+4],
		"starts with continuation flag": func() []byte {
			b := bytes.Clone(good.Bytes())
			b[7] |= 3 << 5
			return b
		}(),
	}
	for want, data := range cases {
		path := filepath.Join(t.TempDir(), "bad.rec")
		os.WriteFile(path, data, 0o644)
		_, err := OpenRecordIO(path)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
			t.Errorf("error %v, want %q and the path", err, want)
		}
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "train.rec")
	os.WriteFile(path, good.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "train.idx"), []byte("0\t0\n1\tx\n"), 0o644)
	if _, err := OpenRecordIO(path); err == nil || !strings.Contains(err.Error(), "train.idx:2") {
		t.Errorf("bad index line: %v", err)
	}
}

func FuzzRecordIO(f *testing.F) {
	var seed bytes.Buffer
	writeRecord(&seed, packIR([]float32{3, 5}, 0, 0, nil))
	writeRecord(&seed, packIR([]float32{0}, RecordIOMagic, 0, []byte("abcdefg")))
	writeRecord(&seed, packIR([]float32{1, 3}, 0, 0, nil))
	f.Add(seed.Bytes())
	f.Add(seed.Bytes()[:20])
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		for off := int64(0); off < int64(len(data)); {
			rec, next, err := readRecord(r, off, int64(len(data)))
			if err != nil {
				return
			}
			if next <= off || next > int64(len(data)) {
				t.Fatalf("record at %d: next offset %d", off, next)
			}
			if h, payload, err := unpackIR(rec); err == nil && len(payload)+irHeaderSize+4*int(h.Flag) != len(rec) {
				t.Fatalf("header flag %d with payload %d of record %d", h.Flag, len(payload), len(rec))
			}
			off = next
		}
	})
}

// FuzzRecordIndex feeds readRecordIndex arbitrary .idx text: it either
// fails with an error naming the file, or returns non-negative keys at
// offsets inside the .rec.
func FuzzRecordIndex(f *testing.F) {
	f.Add([]byte("0\t0\n1\t24\n2\t96\n"), int64(200))
	f.Add([]byte("0 0\n\n3\t8\n"), int64(9))
	f.Add([]byte("0\t0\n0\t8\n"), int64(16))
	f.Fuzz(func(t *testing.T, idx []byte, recSize int64) {
		keys, err := readRecordIndex(bytes.NewReader(idx), "train.idx", recSize)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "train.idx") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		for k, off := range keys {
			if k < 0 || off < 0 || off >= recSize {
				t.Fatalf("key %d at offset %d of a %d-byte .rec", k, off, recSize)
			}
		}
	})
}
