package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/kernels"
)

func TestParseShape(t *testing.T) {
	s, err := ParseShape("64x3136x576")
	if err != nil || s != (Shape{64, 3136, 576}) {
		t.Fatalf("ParseShape = %v, %v", s, err)
	}
	for _, bad := range []string{"", "64x3136", "1x2x3x4", "0x1x1", "ax1x1", "-1x2x3"} {
		if _, err := ParseShape(bad); err == nil {
			t.Errorf("ParseShape(%q) accepted", bad)
		}
	}
}

// TestRunGemmJSON runs a tiny measurement and checks the JSON rows: one per
// shape and thread count, with the documented keys and positive rates.
func TestRunGemmJSON(t *testing.T) {
	var out bytes.Buffer
	cfg := GemmConfig{Shapes: []Shape{{33, 47, 29}, {16, 16, 16}}, Threads: 2, Rounds: 1, JSON: true}
	if err := RunGemm(context.Background(), cfg, &out); err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil {
		t.Fatalf("%v in %s", err, out.String())
	}
	if len(rows) != 4 {
		t.Fatalf("%d rows, want 4", len(rows))
	}
	for i, row := range rows {
		if row["kernels"] != kernels.Path() {
			t.Errorf("row %d: kernels %v, want %q", i, row["kernels"], kernels.Path())
		}
		r := map[string]float64{}
		for _, key := range []string{"m", "n", "k", "threads", "ours_gflops", "gonum_gflops", "peak_gflops"} {
			v, ok := row[key].(float64)
			if !ok {
				t.Fatalf("row %d has no number %q: %v", i, key, row)
			}
			r[key] = v
		}
		if r["ours_gflops"] <= 0 || r["gonum_gflops"] <= 0 || r["peak_gflops"] <= 0 {
			t.Errorf("row %d: non-positive rate %v", i, r)
		}
		if want := []float64{1, 2}[i/2]; r["threads"] != want {
			t.Errorf("row %d: threads %v, want %v", i, r["threads"], want)
		}
	}
}

func TestRunGemmTableAndCancel(t *testing.T) {
	var out bytes.Buffer
	cfg := GemmConfig{Shapes: []Shape{{8, 9, 10}}, Threads: 1, Rounds: 1}
	if err := RunGemm(context.Background(), cfg, &out); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(out.String()), "\n"); len(lines) != 3 || !strings.Contains(lines[0], kernels.Path()+" kernels") || !strings.Contains(lines[2], "8x9x10") {
		t.Fatalf("table:\n%s", out.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := RunGemm(ctx, cfg, &out); err != context.Canceled {
		t.Fatalf("cancelled run: err = %v", err)
	}
}
