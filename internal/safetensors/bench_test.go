package safetensors

import (
	"bytes"
	"testing"
)

// bigFile is a 16 MB checkpoint-like file: 4M float32 in 64 tensors.
func bigFile(b *testing.B) *File {
	f := New()
	v := make([]float32, 1<<16)
	for i := range 64 {
		must(b, f.AddF32("backbone.layer"+string(rune('a'+i%26))+string(rune('a'+i/26))+".weight", []int{256, 256}, v))
	}
	return f
}

// BenchmarkEncode measures Encode throughput (MB/s of file written).
func BenchmarkEncode(b *testing.B) {
	f := bigFile(b)
	var buf bytes.Buffer
	must(b, Encode(&buf, f))
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		buf.Reset()
		must(b, Encode(&buf, f))
	}
}

// BenchmarkDecode measures Decode plus F32 conversion of every tensor
// (MB/s of file read).
func BenchmarkDecode(b *testing.B) {
	raw := encode(b, bigFile(b))
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		g, err := Decode(raw)
		must(b, err)
		for _, t := range g.Tensors {
			_, _, err := g.F32(t.Name)
			must(b, err)
		}
	}
}
