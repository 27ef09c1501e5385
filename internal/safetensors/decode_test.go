package safetensors

import (
	"bytes"
	"encoding/binary"
	"os"
	"strings"
	"testing"
)

// build assembles a file from a header string (padded to 8) and data bytes.
func build(header string, data []byte) []byte {
	for len(header)%8 != 0 {
		header += " "
	}
	b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	return append(append(b, header...), data...)
}

func TestDecodeRejects(t *testing.T) {
	d8 := make([]byte, 8)
	valid := build(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, d8)
	if _, err := Decode(valid); err != nil {
		t.Fatalf("valid file rejected: %v", err)
	}
	for _, tc := range []struct {
		name string
		b    []byte
		want string
	}{
		{"empty", nil, "shorter than the 8-byte header length"},
		{"huge header", binary.LittleEndian.AppendUint64(nil, 1<<40), "exceeds"},
		{"header past end", valid[:20], "runs past the end"},
		{"not an object", build(`[1]`, nil), "does not start with '{'"},
		{"bad json", build(`{"a":`, nil), "header:"},
		{"trailing", build(`{}x`, nil), "trailing bytes"},
		{"bad utf8", build("{\"\xff\":1}", nil), "UTF-8"},
		{"unknown dtype", build(`{"a":{"dtype":"F128","shape":[2],"data_offsets":[0,8]}}`, d8), `unknown dtype "F128"`},
		{"no dtype", build(`{"a":{"shape":[2],"data_offsets":[0,8]}}`, d8), "no dtype"},
		{"no shape", build(`{"a":{"dtype":"F32","data_offsets":[0,8]}}`, d8), "no shape"},
		{"no offsets", build(`{"a":{"dtype":"F32","shape":[2]}}`, d8), "no data_offsets"},
		{"extra field", build(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":1}}`, d8), "unknown field"},
		{"negative dim", build(`{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}`, d8), "invalid shape"},
		{"size mismatch", build(`{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}`, d8), "needs 12"},
		{"reversed offsets", build(`{"a":{"dtype":"U8","shape":[0],"data_offsets":[8,0]}}`, d8), "invalid data_offsets"},
		{"out of bounds", build(`{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}`, d8), "runs past the end of the 8 data bytes"},
		{"gap", build(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, d8), "leaving a gap"},
		{"overlap", build(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, d8), "overlaps"},
		{"uncovered tail", build(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, d8), "4 bytes after the last tensor"},
		{"duplicate", build(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, d8), `duplicate key "a"`},
		{"metadata not strings", build(`{"__metadata__":{"step":1}}`, nil), "__metadata__ must be an object of strings"},
	} {
		_, err := Decode(tc.b)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}

func TestDecodeErrorOffset(t *testing.T) {
	b := build(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, make([]byte, 8))
	_, err := Decode(b)
	fe, ok := err.(*FormatError)
	if !ok || fe.Offset != int64(len(b)-4) {
		t.Errorf("error %#v, want a FormatError at byte %d", err, len(b)-4)
	}
}

// FuzzDecode checks that Decode never panics, and that whatever it accepts
// re-encodes to a file that decodes to the same content.
func FuzzDecode(f *testing.F) {
	ref, err := os.ReadFile("testdata/reference.safetensors")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ref)
	f.Add(encode(f, sample(f)))
	f.Add(build(`{"__metadata__":{"k":"v"}}`, nil))
	f.Add(build(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, make([]byte, 4)))
	f.Add(ref[:len(ref)/2])
	f.Fuzz(func(t *testing.T, b []byte) {
		g, err := Decode(b)
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := Encode(&buf, g); err != nil {
			t.Fatalf("decoded file does not encode: %v", err)
		}
		h, err := Decode(buf.Bytes())
		if err != nil {
			t.Fatalf("re-encoded file does not decode: %v", err)
		}
		equalFiles(t, h, g)
	})
}
