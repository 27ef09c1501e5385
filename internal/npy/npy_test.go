package npy

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// numpyFixtures are the arrays scripts/gen_loss_fixtures.py saves with NumPy.
func numpyFixtures() map[string]*Array {
	f4 := []float32{-1, -0.5, 0, 0.5, 1, 1.5}
	i8 := make([]int64, 7)
	for i := range i8 {
		i8[i] = int64(i-3) * 1000000007
	}
	i4 := make([]int32, 8)
	for i := range i4 {
		i4[i] = int32(i - 4)
	}
	return map[string]*Array{
		"f4_2x3":    {Shape: []int{2, 3}, Data: f4},
		"f4_2x3_v2": {Shape: []int{2, 3}, Data: f4},
		"f8_scalar": {Shape: []int{}, Data: []float64{math.Pi}},
		"i8_vec":    {Shape: []int{7}, Data: i8},
		"i4_2x2x2":  {Shape: []int{2, 2, 2}, Data: i4},
		"b1_2x2":    {Shape: []int{2, 2}, Data: []bool{true, false, false, true}},
		"f4_0x3":    {Shape: []int{0, 3}, Data: []float32{}},
	}
}

func TestReadNumPyFiles(t *testing.T) {
	for name, want := range numpyFixtures() {
		got, err := ReadFile(filepath.Join("testdata", name+".npy"))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Shape, want.Shape) || !reflect.DeepEqual(got.Data, want.Data) {
			t.Errorf("%s: got %v %v, want %v %v", name, got.Shape, got.Data, want.Shape, want.Data)
		}
	}
}

// TestWriteMatchesNumPy: our writer produces NumPy's bytes exactly (for the
// version 1.0 files NumPy writes by default).
func TestWriteMatchesNumPy(t *testing.T) {
	for name, a := range numpyFixtures() {
		if strings.HasSuffix(name, "_v2") {
			continue
		}
		want, err := os.ReadFile(filepath.Join("testdata", name+".npy"))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := Write(&buf, a); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("%s: wrote\n%q\nNumPy wrote\n%q", name, buf.Bytes(), want)
		}
	}
}

func TestRoundTripVersion2Header(t *testing.T) {
	shape := make([]int, 30000) // a header longer than 65535 bytes needs version 2.0
	for i := range shape {
		shape[i] = 1
	}
	shape[0] = 2
	a := &Array{Shape: shape, Data: []float64{1.5, -2}}
	path := filepath.Join(t.TempDir(), "big.npy")
	if err := WriteFile(path, a); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	if raw[6] != 2 || (len(raw)-16)%64 != 0 {
		t.Fatalf("version %d, length %d", raw[6], len(raw))
	}
	got, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, a) {
		t.Fatal("version 2.0 round trip differs")
	}
}

func TestWriteErrors(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, &Array{Shape: []int{2, 2}, Data: []float32{1, 2, 3}}); err == nil {
		t.Error("element count mismatch accepted")
	}
	if err := Write(&buf, &Array{Shape: []int{2}, Data: []uint16{1, 2}}); err == nil {
		t.Error("unsupported type accepted")
	}
	if err := WriteFile(filepath.Join(t.TempDir(), "no", "such", "dir.npy"), &Array{Shape: []int{1}, Data: []float32{1}}); err == nil {
		t.Error("bad path accepted")
	}
}

func TestReadErrorsNameFileAndOffset(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "f4_2x3.npy"))
	if err != nil {
		t.Fatal(err)
	}
	replace := func(old, new string) []byte { return bytes.Replace(good, []byte(old), []byte(new), 1) }
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "byte 0: not an .npy file"},
		{"magic", append([]byte("\x93NUMPZ"), good[6:]...), "bad magic"},
		{"version", append(append([]byte{}, good[:6]...), append([]byte{9, 0}, good[8:]...)...), "version 9.0"},
		{"big-endian", replace("'<f4'", "'>f4'"), "unsupported dtype \">f4\""},
		{"fortran", replace("False", "True "), "Fortran"},
		{"shape", replace("(2, 3)", "(2; 3)"), "byte 62: header: want ',' or ')'"},
		{"key", replace("'shape'", "'shapE'"), "unexpected key"},
		{"truncated data", good[:len(good)-1], "truncated data"},
		{"trailing", append(append([]byte{}, good...), 0), "trailing bytes"},
		{"truncated header", good[:40], "truncated header"},
	} {
		_, err := Read(bytes.NewReader(tc.data), "x.npy")
		if err == nil || !strings.HasPrefix(err.Error(), "x.npy: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
	if _, err := ReadFile(filepath.Join(t.TempDir(), "missing.npy")); err == nil || !strings.Contains(err.Error(), "missing.npy") {
		t.Errorf("missing file: %v", err)
	}
}

func TestParseHeader(t *testing.T) {
	for _, tc := range []struct {
		in    string
		shape []int
		ok    bool
	}{
		{"{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }", []int{3, 4}, true},
		{`{"shape": (), "descr": "<f8", "fortran_order": False}`, []int{}, true},
		{"{'descr': '<f4', 'fortran_order': False, 'shape': (5,)}  ", []int{5}, true},
		{"{'descr': '<f4', 'fortran_order': False, 'shape': (5)}", nil, false},
		{"{'descr': '<f4', 'fortran_order': False}", nil, false},
		{"{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': ()}", nil, false},
		{"{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", nil, false},
		{"{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", nil, false},
		{"{'descr': '<f4', 'fortran_order': Maybe, 'shape': ()}", nil, false},
		{"{'descr': '<f4', 'fortran_order': False, 'shape': ()} x", nil, false},
		{"{'descr': '<f\\4', 'fortran_order': False, 'shape': ()}", nil, false},
	} {
		h, err := parseHeader(tc.in, 10)
		if (err == nil) != tc.ok || (tc.ok && !reflect.DeepEqual(h.shape, tc.shape)) {
			t.Errorf("%q: %+v, %v", tc.in, h, err)
		}
	}
}

// FuzzParseHeader: the header parser never panics, and what it accepts has
// non-negative dimensions.
func FuzzParseHeader(f *testing.F) {
	f.Add("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }")
	f.Add(`{"shape": (), "descr": "|b1", "fortran_order": True}`)
	f.Add("{'descr': '<i8', 'fortran_order': False, 'shape': (7,), }")
	f.Add("{'shape': (1, 2, 3, 4, 5,)")
	f.Fuzz(func(t *testing.T, s string) {
		h, err := parseHeader(s, 10)
		if err != nil {
			return
		}
		for _, d := range h.shape {
			if d < 0 || d > maxElements {
				t.Fatalf("accepted dimension %d", d)
			}
		}
	})
}

// FuzzRead: reading arbitrary bytes never panics, and an accepted array has
// as many elements as its shape says and writes back to an equal array.
func FuzzRead(f *testing.F) {
	for name := range numpyFixtures() {
		b, err := os.ReadFile(filepath.Join("testdata", name+".npy"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := Read(bytes.NewReader(b), "fuzz.npy")
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, a); err != nil {
			t.Fatalf("cannot write back what was read: %v", err)
		}
		back, err := Read(&buf, "back.npy")
		if err != nil || !reflect.DeepEqual(back.Shape, a.Shape) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// TestConversions checks the typed accessors: Float32, Float64 and Int on
// the element types they accept, and ErrType on the others.
func TestConversions(t *testing.T) {
	i32 := &Array{Shape: []int{3}, Data: []int32{-2, 0, 7}}
	i64 := &Array{Shape: []int{3}, Data: []int64{-2, 0, 7}}
	f32 := &Array{Shape: []int{2}, Data: []float32{0.5, -1}}
	for _, a := range []*Array{i32, i64} {
		if got, err := a.Int(); err != nil || !slices.Equal(got, []int{-2, 0, 7}) {
			t.Errorf("Int of %T: %v, %v", a.Data, got, err)
		}
		if _, err := a.Float64(); !errors.Is(err, ErrType) {
			t.Errorf("Float64 of %T: %v, want ErrType", a.Data, err)
		}
	}
	if got, err := f32.Float64(); err != nil || !slices.Equal(got, []float64{0.5, -1}) {
		t.Errorf("Float64 of []float32: %v, %v", got, err)
	}
	if _, err := f32.Int(); !errors.Is(err, ErrType) {
		t.Errorf("Int of []float32: %v, want ErrType", err)
	}
	if _, err := i32.Float32(); !errors.Is(err, ErrType) {
		t.Errorf("Float32 of []int32: %v, want ErrType", err)
	}
}
