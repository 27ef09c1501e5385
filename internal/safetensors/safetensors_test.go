package safetensors

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sample builds a small file with every typed accessor's dtype.
func sample(t testing.TB) *File {
	f := New()
	f.Metadata["step"] = "7"
	f.Metadata["config"] = "model:\n  arch: tiny\n"
	must(t, f.AddF32("b.weight", []int{2, 3}, []float32{1, -2, 3.5, float32(math.Inf(1)), 0, -0}))
	must(t, f.AddF32("a.bias", []int{3}, []float32{0.25, 1e-30, -7}))
	must(t, f.AddI64("rng", []int{2}, []int64{-1, math.MaxInt64}))
	must(t, f.AddU8("bytes", []int{1, 2}, []byte{0, 255}))
	must(t, f.AddF32("scalar", nil, []float32{42}))
	return f
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func encode(t testing.TB, f *File) []byte {
	var buf bytes.Buffer
	must(t, Encode(&buf, f))
	return buf.Bytes()
}

// equalFiles compares metadata and tensors by name.
func equalFiles(t testing.TB, got, want *File) {
	t.Helper()
	if len(got.Metadata) != len(want.Metadata) {
		t.Fatalf("metadata %v, want %v", got.Metadata, want.Metadata)
	}
	for k, v := range want.Metadata {
		if got.Metadata[k] != v {
			t.Fatalf("metadata[%q] = %q, want %q", k, got.Metadata[k], v)
		}
	}
	if len(got.Tensors) != len(want.Tensors) {
		t.Fatalf("%d tensors, want %d", len(got.Tensors), len(want.Tensors))
	}
	for _, w := range want.Tensors {
		g := got.Tensor(w.Name)
		if g == nil || g.DType != w.DType || !slices.Equal(g.Shape, w.Shape) || !bytes.Equal(g.Data, w.Data) {
			t.Fatalf("tensor %q: got %+v, want %+v", w.Name, g, w)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	f := sample(t)
	b := encode(t, f)
	n := binary.LittleEndian.Uint64(b)
	if n%8 != 0 {
		t.Errorf("header length %d is not a multiple of 8", n)
	}
	g, err := Decode(b)
	must(t, err)
	equalFiles(t, g, f)
	// The reference order: I64 first, then F32 by name, then U8.
	var names []string
	for _, x := range g.Tensors {
		names = append(names, x.Name)
	}
	if want := []string{"rng", "a.bias", "b.weight", "scalar", "bytes"}; !slices.Equal(names, want) {
		t.Errorf("file order %v, want %v", names, want)
	}
	v, shape, err := g.F32("b.weight")
	must(t, err)
	if !slices.Equal(shape, []int{2, 3}) || v[2] != 3.5 || !math.IsInf(float64(v[3]), 1) || math.Signbit(float64(v[5])) {
		t.Errorf("b.weight = %v %v", v, shape)
	}
	r, _, err := g.I64("rng")
	must(t, err)
	if r[0] != -1 || r[1] != math.MaxInt64 {
		t.Errorf("rng = %v", r)
	}
	u, _, err := g.U8("bytes")
	must(t, err)
	if !bytes.Equal(u, []byte{0, 255}) {
		t.Errorf("bytes = %v", u)
	}
	if !bytes.Equal(encode(t, g), b) {
		t.Error("re-encoding a decoded file changed its bytes")
	}
}

func TestAccessorErrors(t *testing.T) {
	f := sample(t)
	dst := make([]float32, 6)
	for _, tc := range []struct {
		err  error
		want string
	}{
		{f.CopyF32("b.weight", dst, []int{3, 2}), "has shape [2 3], want [3 2]"},
		{f.CopyF32("missing", dst, []int{6}), `no tensor "missing"`},
		{f.CopyF32("rng", dst, []int{2}), "is I64, want F32"},
		{f.CopyF32("b.weight", dst[:5], []int{2, 3}), "destination 5"},
		{f.AddF32("a.bias", []int{1}, []float32{1}), "duplicate"},
		{f.AddF32("x", []int{2}, []float32{1}), "want 8"},
		{f.AddF32("__metadata__", []int{1}, []float32{1}), "invalid tensor name"},
		{f.Add(&Tensor{Name: "y", DType: "F128", Shape: []int{}}), "unknown dtype"},
		{f.Add(&Tensor{Name: "z", DType: F32, Shape: []int{-1}}), "invalid shape"},
	} {
		if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
			t.Errorf("error %v, want it to contain %q", tc.err, tc.want)
		}
	}
	f.Tensors = append(f.Tensors, f.Tensors[0]) // bypassing Add
	if err := Encode(new(bytes.Buffer), f); err == nil || !strings.Contains(err.Error(), "duplicate") {
		t.Errorf("Encode of a duplicate name: error %v", err)
	}
	f.Tensors = f.Tensors[:len(f.Tensors)-1]
	if slices.ContainsFunc(dst, func(x float32) bool { return x != 0 }) {
		t.Error("a failed CopyF32 wrote into dst")
	}
	must(t, f.CopyF32("b.weight", dst, []int{2, 3}))
	if dst[0] != 1 || dst[2] != 3.5 {
		t.Errorf("CopyF32 = %v", dst)
	}
}

// TestReferenceFixture decodes a file written by hand from the specification
// with Python json + numpy (scripts/make_safetensors_fixture.py).
func TestReferenceFixture(t *testing.T) {
	f, err := ReadFile("testdata/reference.safetensors")
	must(t, err)
	if f.Metadata["step"] != "42" || f.Metadata["classes"] != `["alice", "bob"]` || f.Metadata["note"] != `héllo "quoted"` {
		t.Errorf("metadata %q", f.Metadata)
	}
	w, shape, err := f.F32("backbone.conv1.weight")
	must(t, err)
	if !slices.Equal(shape, []int{2, 1, 3, 3}) {
		t.Errorf("conv1 shape %v", shape)
	}
	for i, x := range w {
		if x != float32(i)/8-1 {
			t.Fatalf("conv1[%d] = %v, want %v", i, x, float32(i)/8-1)
		}
	}
	c, _, err := f.F32("head.centroids")
	must(t, err)
	if want := []float32{1e-38, -3.5, math.Pi, 65504}; !slices.Equal(c, want) {
		t.Errorf("centroids %v, want %v", c, want)
	}
	s, shape, err := f.I64("optim.step")
	must(t, err)
	if len(shape) != 0 || s[0] != -1234567890123 {
		t.Errorf("optim.step %v shape %v", s, shape)
	}
	l, _, err := f.I64("labels")
	must(t, err)
	if !slices.Equal(l, []int64{0, 1, 1 << 40}) {
		t.Errorf("labels %v", l)
	}
	m, shape, err := f.U8("mask")
	must(t, err)
	if !slices.Equal(shape, []int{1, 3}) || !bytes.Equal(m, []byte{0, 255, 7}) {
		t.Errorf("mask %v %v", m, shape)
	}
	if h := f.Tensor("half"); h == nil || h.DType != F16 || !bytes.Equal(h.Data, []byte{0x00, 0x3c, 0x00, 0xc0}) {
		t.Errorf("half %+v", h)
	}
	e, shape, err := f.F32("empty")
	must(t, err)
	if len(e) != 0 || !slices.Equal(shape, []int{0, 3}) {
		t.Errorf("empty %v %v", e, shape)
	}
	// Our encoder lays the data out exactly as the reference does.
	raw, err := os.ReadFile("testdata/reference.safetensors")
	must(t, err)
	ours := encode(t, f)
	dataOf := func(b []byte) []byte { return b[8+binary.LittleEndian.Uint64(b):] }
	if !bytes.Equal(dataOf(ours), dataOf(raw)) {
		t.Error("data section differs from the reference layout")
	}
}

func TestWriteReadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ck.safetensors")
	f := sample(t)
	must(t, WriteFile(path, f))
	g, err := ReadFile(path)
	must(t, err)
	equalFiles(t, g, f)
	st, err := os.Stat(path)
	must(t, err)
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
}
