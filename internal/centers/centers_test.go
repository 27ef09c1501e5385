package centers

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/checkpoint"
	"github.com/cocotrain/cocotrain/internal/npy"
	"github.com/cocotrain/cocotrain/internal/safetensors"
)

var testNames = []string{"Aaron_Eckhart", "Béatrice Dalle", "Comma, Name", `Quote "Q"`}

const testD = 5

// writeCheckpoint writes a checkpoint with raw (non-unit) centroids whose
// row i is (i+1)·(1, 2, …, D) plus a basis bump, and returns its path and
// the expected unit rows.
func writeCheckpoint(t *testing.T, withCentroids bool, classes string) (string, [][]float64) {
	t.Helper()
	f := safetensors.New()
	k := len(testNames)
	raw := make([]float32, k*testD)
	want := make([][]float64, k)
	for i := 0; i < k; i++ {
		var ss float64
		for j := 0; j < testD; j++ {
			v := float32(i+1) * float32(j+1)
			if j == i%testD {
				v += 10
			}
			raw[i*testD+j] = v
			ss += float64(v) * float64(v)
		}
		for j := 0; j < testD; j++ {
			want[i] = append(want[i], float64(raw[i*testD+j])/math.Sqrt(ss))
		}
	}
	if err := f.AddF32("backbone.fc.weight", []int{2, 2}, []float32{1, 2, 3, 4}); err != nil {
		t.Fatal(err)
	}
	if withCentroids {
		if err := f.AddF32("head.centroids", []int{k, testD}, raw); err != nil {
			t.Fatal(err)
		}
	} else {
		if err := f.AddF32("head.weight", []int{k, testD}, raw); err != nil {
			t.Fatal(err)
		}
	}
	if classes != "" {
		f.Metadata[checkpoint.MetaClasses] = classes
	}
	path := filepath.Join(t.TempDir(), "ckpt.safetensors")
	if err := safetensors.WriteFile(path, f); err != nil {
		t.Fatal(err)
	}
	return path, want
}

func namesJSON() string {
	b, _ := json.Marshal(testNames)
	return string(b)
}

// checkRows fails unless got (K rows) matches want and every row is unit.
func checkRows(t *testing.T, what string, got [][]float64, want [][]float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", what, len(got), len(want))
	}
	for i := range want {
		var ss float64
		for j := range want[i] {
			ss += got[i][j] * got[i][j]
			if math.Abs(got[i][j]-want[i][j]) > 1e-6 {
				t.Fatalf("%s: row %d = %v, want %v", what, i, got[i], want[i])
			}
		}
		if math.Abs(ss-1) > 1e-6 {
			t.Errorf("%s: row %d has norm² %g", what, i, ss)
		}
	}
}

func TestExportNPY(t *testing.T) {
	ckpt, want := writeCheckpoint(t, true, namesJSON())
	out := filepath.Join(t.TempDir(), "centers.npy")
	c, files, err := Run(Options{Checkpoint: ckpt, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if c.K != len(testNames) || c.D != testD || len(files) != 2 || files[1] != out+".names.txt" {
		t.Fatalf("K %d D %d files %v", c.K, c.D, files)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	hdr := string(raw[:128])
	if !strings.HasPrefix(hdr, "\x93NUMPY\x01\x00") || !strings.Contains(hdr, "'descr': '<f4'") || !strings.Contains(hdr, "'shape': (4, 5)") {
		t.Fatalf("header %q", hdr)
	}
	a, err := npy.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.Float32()
	if err != nil || len(a.Shape) != 2 || a.Shape[0] != c.K || a.Shape[1] != c.D {
		t.Fatalf("shape %v, %v", a.Shape, err)
	}
	rows := make([][]float64, c.K)
	for i := range rows {
		for j := 0; j < c.D; j++ {
			rows[i] = append(rows[i], float64(v[i*c.D+j]))
		}
	}
	checkRows(t, "npy", rows, want)
	names, err := os.ReadFile(files[1])
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Split(strings.TrimSuffix(string(names), "\n"), "\n"); strings.Join(got, "|") != strings.Join(testNames, "|") {
		t.Errorf("names %q, want %q", got, testNames)
	}
}

func TestExportCSV(t *testing.T) {
	ckpt, want := writeCheckpoint(t, true, namesJSON())
	out := filepath.Join(t.TempDir(), "centers.CSV")
	if _, _, err := Run(Options{Checkpoint: ckpt, Out: out}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+len(testNames) || recs[0][0] != "name" || recs[0][testD] != "c4" {
		t.Fatalf("records %q", recs)
	}
	rows := make([][]float64, len(testNames))
	for i, rec := range recs[1:] {
		if rec[0] != testNames[i] || len(rec) != 1+testD {
			t.Fatalf("row %d: %q", i, rec)
		}
		for _, s := range rec[1:] {
			x, err := strconv.ParseFloat(s, 32)
			if err != nil {
				t.Fatal(err)
			}
			rows[i] = append(rows[i], x)
		}
	}
	checkRows(t, "csv", rows, want)
}

func TestExportJSON(t *testing.T) {
	ckpt, want := writeCheckpoint(t, true, namesJSON())
	out := filepath.Join(t.TempDir(), "centers.json")
	if _, _, err := Run(Options{Checkpoint: ckpt, Out: out}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	var got []struct {
		Index    int       `json:"index"`
		Name     string    `json:"name"`
		Centroid []float64 `json:"centroid"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	rows := make([][]float64, len(got))
	for i, e := range got {
		if e.Index != i || e.Name != testNames[i] {
			t.Fatalf("entry %d: index %d name %q", i, e.Index, e.Name)
		}
		rows[i] = e.Centroid
	}
	checkRows(t, "json", rows, want)
}

func TestExportErrors(t *testing.T) {
	dir := t.TempDir()
	noCentroids, _ := writeCheckpoint(t, false, namesJSON())
	noClasses, _ := writeCheckpoint(t, true, "")
	badClasses, _ := writeCheckpoint(t, true, `{"a": 1}`)
	fewClasses, _ := writeCheckpoint(t, true, `["a", "b"]`)
	good, _ := writeCheckpoint(t, true, namesJSON())
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{Checkpoint: noCentroids, Out: filepath.Join(dir, "a.npy")}, "has no class centroids"},
		{Options{Checkpoint: noCentroids, Out: filepath.Join(dir, "a.npy")}, "only head.weight"},
		{Options{Checkpoint: noClasses, Out: filepath.Join(dir, "a.npy")}, `no "classes" metadata`},
		{Options{Checkpoint: badClasses, Out: filepath.Join(dir, "a.npy")}, "not a JSON array"},
		{Options{Checkpoint: fewClasses, Out: filepath.Join(dir, "a.npy")}, "names 2 classes"},
		{Options{Checkpoint: filepath.Join(dir, "missing.safetensors"), Out: filepath.Join(dir, "a.npy")}, "missing.safetensors"},
		{Options{Checkpoint: good, Out: filepath.Join(dir, "a.txt")}, "unsupported output format"},
		{Options{Checkpoint: good, Out: filepath.Join(dir, "a.npy"), Format: "xml"}, "unsupported output format"},
	} {
		_, _, err := Run(tc.opts)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want it to contain %q", tc.opts, err, tc.want)
		}
	}
	_, _, err := Run(Options{Checkpoint: good, Out: filepath.Join(dir, "centers.bin")})
	if !errors.Is(err, ErrFormat) {
		t.Errorf("bad extension: %v is not ErrFormat", err)
	}
	c := &Centers{Names: []string{"a\nb"}, K: 1, D: 1, Data: []float32{1}}
	if _, err := c.Write(filepath.Join(dir, "nl.npy")); err == nil || !strings.Contains(err.Error(), "line break") {
		t.Errorf("name with newline: %v", err)
	}
}
