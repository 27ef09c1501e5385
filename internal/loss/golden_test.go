package loss

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/cocotrain/cocotrain/internal/npy"
	"github.com/cocotrain/cocotrain/internal/params"
)

// goldenTol is the allowed error relative to the largest reference magnitude
// of each tensor.
const goldenTol = 1e-5

// TestGoldenAgainstPyTorch compares every head with PyTorch autograd on the
// fixtures written by scripts/gen_loss_fixtures.py: loss, accuracy, the
// gradient with respect to the embeddings and to every trained parameter,
// and the center head's updated centres.
func TestGoldenAgainstPyTorch(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases map[string]json.RawMessage
	if err := json.Unmarshal(raw, &cases); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(cases))
	for name := range cases {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			cfg := DefaultConfig()
			if err := yaml.Unmarshal(cases[name], &cfg); err != nil { // JSON is YAML
				t.Fatal(err)
			}
			load := func(suffix string) *npy.Array {
				t.Helper()
				a, err := npy.ReadFile(filepath.Join("testdata", name+"."+suffix+".npy"))
				if err != nil {
					t.Fatal(err)
				}
				return a
			}
			embArr := load("emb")
			emb, err := embArr.Float32()
			if err != nil {
				t.Fatal(err)
			}
			labels, err := load("labels").Int()
			if err != nil {
				t.Fatal(err)
			}
			d := embArr.Shape[1]
			classes := 0
			for _, y := range labels {
				classes = max(classes, y+1)
			}
			a := params.New()
			h, err := New(cfg, d, classes, a)
			if err != nil {
				t.Fatal(err)
			}
			a.Alloc()
			h.Init(9)
			for _, p := range a.Params {
				v, err := load(p.Name).Float32()
				if err != nil || len(v) != len(p.W) {
					t.Fatalf("%s: %d values (%v), want %d", p.Name, len(v), err, len(p.W))
				}
				copy(p.W, v)
			}
			loss, acc := h.Forward(emb, labels)
			dEmb := make([]float32, len(emb))
			h.Backward(dEmb)

			want := func(suffix string) []float64 {
				t.Helper()
				v, err := load(suffix).Float64()
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			compareGolden(t, "loss", []float64{loss}, want("loss"))
			if w := want("acc")[0]; acc != w {
				t.Errorf("accuracy %g, PyTorch %g", acc, w)
			}
			compareGolden(t, "grad.emb", widen(dEmb), want("grad.emb"))
			for _, p := range a.Params {
				if p.Kind == params.Buffer {
					compareGolden(t, "after."+p.Name, widen(p.W), want("after."+p.Name))
				} else {
					compareGolden(t, "grad."+p.Name, widen(p.G), want("grad."+p.Name))
				}
			}
		})
	}
}

func widen(xs []float32) []float64 {
	out := make([]float64, len(xs))
	for i, v := range xs {
		out[i] = float64(v)
	}
	return out
}

// compareGolden fails unless max|got − want| ≤ goldenTol·max|want|.
func compareGolden(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, PyTorch %d", what, len(got), len(want))
	}
	scale, worst, at := 0.0, 0.0, 0
	for i := range want {
		scale = math.Max(scale, math.Abs(want[i]))
		if e := math.Abs(got[i] - want[i]); e > worst || math.IsNaN(e) {
			worst, at = e, i
		}
	}
	if !(worst <= goldenTol*scale) {
		t.Errorf("%s: max error %.3g at %d (got %g, PyTorch %g) exceeds %g relative to %g",
			what, worst, at, got[at], want[at], goldenTol, scale)
	} else {
		t.Logf("%-28s max rel error %.2g", what, worst/math.Max(scale, math.SmallestNonzeroFloat64))
	}
}
