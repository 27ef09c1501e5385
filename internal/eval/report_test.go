package eval

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
)

// fixtureReport scores the committed 10-fold insightface fixture.
func fixtureReport(t *testing.T) *Report {
	t.Helper()
	fx := loadFixture(t, "testdata/insightface_lfw10.json")
	r, err := NewReport("fixture", fx.Dist, fx.Dist, fx.Same, fx.Folds)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestReportJSONKeys: the JSON object has exactly the documented keys, and
// its values are the report's.
func TestReportJSONKeys(t *testing.T) {
	r := fixtureReport(t)
	raw, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"accuracy_mean", "accuracy_noflip_mean", "accuracy_std", "auc", "eer", "folds", "pairs", "tar_at_far", "threshold_cos", "threshold_l2", "val_at_far_1e3"}
	if !slices.Equal(keys, want) {
		t.Fatalf("JSON keys %v, want %v", keys, want)
	}
	tar := m["tar_at_far"].(map[string]any)
	if len(tar) != 3 || tar["1e-2"] != r.TAR[0] || tar["1e-3"] != r.TAR[1] || tar["1e-4"] != r.TAR[2] {
		t.Errorf("tar_at_far %v, want %v keyed 1e-2, 1e-3, 1e-4", tar, r.TAR)
	}
	if m["accuracy_mean"] != r.AccuracyMean || m["pairs"] != 6000.0 || m["folds"] != 10.0 || m["val_at_far_1e3"] != r.VAL {
		t.Errorf("JSON %s disagrees with the report", raw)
	}
	if m["threshold_cos"] != 1-r.ThresholdL2/2 {
		t.Errorf("threshold_cos %v, want 1 − %v/2", m["threshold_cos"], r.ThresholdL2)
	}
}

// TestReportText: every metric has its line, values aligned in one column.
func TestReportText(t *testing.T) {
	r := fixtureReport(t)
	var b bytes.Buffer
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	col := -1
	for _, name := range []string{"method", "pairs", "accuracy", "accuracy without mirror", "threshold", "VAL@FAR=1e-3", "AUC", "EER", "TAR@FAR=1e-2", "TAR@FAR=1e-3", "TAR@FAR=1e-4"} {
		i := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, name+"  ") })
		if i < 0 {
			t.Fatalf("no %q line in\n%s", name, b.String())
		}
		start := len(name) + len(lines[i][len(name):]) - len(strings.TrimLeft(lines[i][len(name):], " "))
		if col >= 0 && start != col {
			t.Errorf("%q value starts at column %d, others at %d:\n%s", name, start, col, b.String())
		}
		col = start
	}
	acc := strconv.FormatFloat(100*r.AccuracyMean, 'f', 2, 64) + "%"
	if !strings.Contains(b.String(), acc) {
		t.Errorf("text does not show the accuracy %s:\n%s", acc, b.String())
	}
}

// TestROCFilesRoundTrip writes the ROC as CSV and PNG to files and reads
// them back: the CSV rows are the curve, the PNG decodes at 480×480.
func TestROCFilesRoundTrip(t *testing.T) {
	r := fixtureReport(t)
	dir := t.TempDir()
	var cb bytes.Buffer
	if err := r.ROC.WriteCSV(&cb); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "roc.csv"), cb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join(dir, "roc.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], []string{"fpr", "tpr", "threshold"}) || len(rows) != len(r.ROC.FPR)+1 {
		t.Fatalf("CSV header %v with %d rows, want fpr,tpr,threshold and %d rows", rows[0], len(rows)-1, len(r.ROC.FPR))
	}
	for i, row := range rows[1:] {
		for j, want := range []float64{r.ROC.FPR[i], r.ROC.TPR[i], r.ROC.Threshold[i]} {
			got, err := strconv.ParseFloat(row[j], 64)
			if err != nil || got != want {
				t.Fatalf("CSV row %d column %d = %q, want %v", i+1, j, row[j], want)
			}
		}
	}

	var pb bytes.Buffer
	if err := r.ROC.WritePNG(&pb, "fixture ROC"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "roc.png")
	if err := os.WriteFile(path, pb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	pf, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	img, err := png.Decode(pf)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 480 || b.Dy() != 480 {
		t.Errorf("PNG is %v, want 480×480", b.Size())
	}
}

// TestEvaluateFakeEmbedder runs the whole path on an in-memory set: images
// 0–3 of identity A and 4–7 of B under the half-sums embedder; the report's
// pairs and folds are the set's and its metrics are those of NewReport on
// the distances of the extracted embeddings.
func TestEvaluateFakeEmbedder(t *testing.T) {
	src := newMemSource(8)
	set := &data.VerificationSet{Images: src, Folds: 2}
	for f := 0; f < 2; f++ {
		set.Left = append(set.Left, 2*f, 4+2*f, 2*f, 4+2*f)
		set.Right = append(set.Right, 2*f+1, 4+2*f+1, 4+2*f, 2*f+1)
		set.Same = append(set.Same, true, true, false, false)
	}
	pp := data.Preprocess{Size: 4, Channels: 1}
	r, err := Evaluate(context.Background(), &halfSums{c: 1, h: 4, w: 4}, set, pp, Options{BatchSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	emb, err := Extract(context.Background(), &halfSums{c: 1, h: 4, w: 4}, src, pp, Options{BatchSize: 8})
	if err != nil {
		t.Fatal(err)
	}
	want, err := NewReport("embedding", Distances(emb.Flip, 3, set.Left, set.Right), Distances(emb.NoFlip, 3, set.Left, set.Right), set.Same, 2)
	if err != nil {
		t.Fatal(err)
	}
	if r.Pairs != 8 || r.Folds != 2 || !r.Mirror {
		t.Fatalf("report of %d pairs, %d folds, mirror %v; want 8, 2, true", r.Pairs, r.Folds, r.Mirror)
	}
	for name, p := range map[string][2]float64{
		"accuracy":        {r.AccuracyMean, want.AccuracyMean},
		"accuracy noflip": {r.NoFlip.AccuracyMean, want.NoFlip.AccuracyMean},
		"AUC":             {r.AUC, want.AUC},
		"threshold":       {r.ThresholdL2, want.ThresholdL2},
	} {
		if math.Abs(p[0]-p[1]) > 1e-12 {
			t.Errorf("%s %v, want %v", name, p[0], p[1])
		}
	}
	bad := *set
	bad.Right = append([]int(nil), set.Right...)
	bad.Right[3] = 8
	if _, err := Evaluate(context.Background(), &halfSums{c: 1, h: 4, w: 4}, &bad, pp, Options{}); err == nil || !strings.Contains(err.Error(), "pair 3") {
		t.Errorf("a pair outside the images: error %v, want one naming pair 3", err)
	}
}

// TestNewReportNeedsBothClasses: all-same pairs cannot be scored.
func TestNewReportNeedsBothClasses(t *testing.T) {
	if _, err := NewReport("x", []float64{0.1, 0.2}, nil, []bool{true, true}, 2); err == nil {
		t.Fatal("want an error for pairs of one class")
	}
}
