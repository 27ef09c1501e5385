package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/npy"
	"github.com/cocotrain/cocotrain/internal/train"
)

// trainSets makes `cocotrain train` small for tests.
var trainSets = []string{
	"--set", "model.input_size=16", "--set", "model.embedding_dim=32", "--set", "train.batch_size=16",
	"--set", "train.threads=1", "--set", "train.log_every=20", "--set", "optim.schedule.warmup_steps=10",
}

// TestTrainEvalExportEmbed is the end-to-end path a user takes: write a
// synthetic face set to disk, train on its image tree with verification on
// its LFW-layout pairs, score the checkpoint with eval-lfw (text, JSON, ROC
// PNG and CSV), export the centroids and embed a directory; every output
// must be valid and the verification well above chance.
func TestTrainEvalExportEmbed(t *testing.T) {
	dir := t.TempDir()
	faces, run := filepath.Join(dir, "faces"), filepath.Join(dir, "run")
	if code, _, errOut := runCmd(t, "synth", "--out", faces, "--identities", "24", "--per-identity", "16",
		"--eval-identities", "20", "--eval-per-identity", "4", "--size", "16", "--seed", "3"); code != exitOK {
		t.Fatalf("synth: %d %s", code, errOut)
	}
	args := append([]string{"train", "--data", filepath.Join(faces, "train"), "--val-dir", filepath.Join(faces, "lfw"),
		"--val-pairs", filepath.Join(faces, "pairs.txt"), "--out", run, "--no-progress",
		"--set", "train.epochs=6", "--set", "train.val_every=48", "--set", "train.ckpt_every=24", "--set", "data.augment.scale=0"}, trainSets...)
	code, out, errOut := runCmd(t, args...)
	if code != exitOK {
		t.Fatalf("train: %d\n%s", code, errOut)
	}
	if !strings.Contains(out, "train.epochs") || !strings.Contains(out, "accuracy") {
		t.Errorf("train printed no resolved config or accuracy:\n%s", out)
	}
	for _, f := range []string{train.ConfigFile, train.LogFile} {
		if st, err := os.Stat(filepath.Join(run, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := train.LoadConfig(filepath.Join(run, train.ConfigFile), nil); err != nil {
		t.Errorf("saved config does not load: %v", err)
	}
	checkMetrics(t, filepath.Join(run, train.MetricsFile), 6*24*16/16)
	best := filepath.Join(run, train.BestFile)
	ck, err := train.ReadCheckpoint(best)
	if err != nil || len(ck.Classes) != 24 {
		t.Fatalf("best checkpoint: %v", err)
	}

	roc, rocCSV := filepath.Join(dir, "roc.png"), filepath.Join(dir, "roc.csv")
	code, out, errOut = runCmd(t, "eval-lfw", "--checkpoint", best, "--lfw", filepath.Join(faces, "lfw"),
		"--pairs", filepath.Join(faces, "pairs.txt"), "--json", "--roc", roc, "--roc-csv", rocCSV)
	if code != exitOK {
		t.Fatalf("eval-lfw: %d %s", code, errOut)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("eval-lfw --json: %v\n%s", err, out)
	}
	acc, _ := rep["accuracy_mean"].(float64)
	t.Logf("eval-lfw accuracy %.4f (train best %.4f)", acc, ck.BestVal)
	if acc < 0.7 || acc != ck.BestVal {
		t.Errorf("eval-lfw accuracy %v: want well above chance and equal to the in-training %v", acc, ck.BestVal)
	}
	for _, k := range []string{"accuracy_std", "accuracy_noflip_mean", "threshold_l2", "threshold_cos", "val_at_far_1e3", "auc", "eer", "tar_at_far", "pairs", "folds"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("eval-lfw --json lacks %q", k)
		}
	}
	if f, err := os.Open(roc); err != nil {
		t.Error(err)
	} else if _, err := png.Decode(f); err != nil {
		t.Errorf("roc.png: %v", err)
	}
	if b, err := os.ReadFile(rocCSV); err != nil || !strings.HasPrefix(string(b), "fpr,tpr,threshold\n") {
		t.Errorf("roc.csv: %v %.40q", err, b)
	}
	if code, out, _ = runCmd(t, "eval-lfw", "--checkpoint", best, "--lfw", filepath.Join(faces, "lfw"), "--pairs", filepath.Join(faces, "pairs.txt")); code != exitOK || !strings.Contains(out, "accuracy") {
		t.Errorf("eval-lfw text: %d %s", code, out)
	}

	for _, b := range []string{"pixels", "pca"} {
		code, out, errOut = runCmd(t, "eval-lfw", "--baseline", b, "--size", "16", "--lfw", filepath.Join(faces, "lfw"), "--pairs", filepath.Join(faces, "pairs.txt"), "--json")
		var base map[string]any
		if code != exitOK || json.Unmarshal([]byte(out), &base) != nil {
			t.Fatalf("eval-lfw --baseline %s: %d %s %s", b, code, out, errOut)
		}
		t.Logf("baseline %s: accuracy %.4f", b, base["accuracy_mean"])
		if ba, _ := base["accuracy_mean"].(float64); ba > acc-0.1 {
			t.Errorf("baseline %s reaches %.4f, the trained model only %.4f", b, ba, acc)
		}
	}

	centers := filepath.Join(dir, "centers.npy")
	if code, _, errOut = runCmd(t, "export-centers", "--checkpoint", best, "--out", centers); code != exitOK {
		t.Fatalf("export-centers: %d %s", code, errOut)
	}
	checkNpy(t, centers, 24, 32)

	emb := filepath.Join(dir, "emb.npy")
	if code, _, errOut = runCmd(t, "embed", "--checkpoint", best, "--images", filepath.Join(faces, "lfw"), "--out", emb); code != exitOK {
		t.Fatalf("embed: %d %s", code, errOut)
	}
	names, err := os.ReadFile(emb + ".names.txt")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(names)), "\n")
	checkNpy(t, emb, len(lines), 32)
	if !strings.HasSuffix(lines[0], ".png") {
		t.Errorf("names file starts %q", lines[0])
	}
}

// checkMetrics checks that metrics.jsonl has a training line every
// log_every steps up to total and verification lines.
func checkMetrics(t *testing.T, path string, total int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var steps, vals int
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		if _, ok := m["loss"]; ok {
			steps++
			for _, k := range []string{"step", "epoch", "lr", "acc", "images_per_s", "data_wait"} {
				if _, ok := m[k]; !ok {
					t.Errorf("metrics line %q lacks %q", line, k)
				}
			}
			if w, _ := m["data_wait"].(float64); !(w >= 0 && w <= 1) {
				t.Errorf("metrics line %q: data_wait %g outside [0, 1]", line, w)
			}
		}
		if _, ok := m["val_accuracy"]; ok {
			vals++
			if _, ok := m["val_threshold"]; !ok {
				t.Errorf("verification line %q lacks val_threshold", line)
			}
			if m["val_set"] != "lfw" {
				t.Errorf("verification line %q: val_set %v, want lfw (the --val-dir)", line, m["val_set"])
			}
		}
	}
	if steps != (total+19)/20 || vals < 2 {
		t.Errorf("%s: %d step lines (want %d), %d verification lines", path, steps, (total+19)/20, vals)
	}
}

// checkNpy checks that path is an rows×cols float32 array of unit rows.
func checkNpy(t *testing.T, path string, rows, cols int) {
	t.Helper()
	a, err := npy.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.Float32()
	if err != nil || len(a.Shape) != 2 || a.Shape[0] != rows || a.Shape[1] != cols {
		t.Fatalf("%s: shape %v (%v), want %d×%d", path, a.Shape, err, rows, cols)
	}
	var n float64
	for _, x := range v[:cols] {
		n += float64(x) * float64(x)
	}
	if n < 0.999 || n > 1.001 {
		t.Errorf("%s: row 0 has squared norm %v, want 1", path, n)
	}
}

func TestTrainUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"train", "--val-dir", "x"},
		{"train", "--resume"},
		{"train", "--resume", "--out", "x", "--config", "y.yaml"},
		{"train", "extra"},
		{"eval-lfw", "--lfw", "x", "--pairs", "y"},
		{"eval-lfw", "--checkpoint", "a", "--baseline", "pixels", "--bin", "b"},
		{"eval-lfw", "--baseline", "svm", "--bin", "b"},
		{"eval-lfw", "--checkpoint", "a", "--lfw", "x"},
		{"eval-lfw", "--checkpoint", "a", "--bin", "b", "--crop", "1,2,3"},
		{"embed", "--checkpoint", "a", "--out", "e.npy"},
	} {
		if code, _, errOut := runCmd(t, args...); code != exitUsage {
			t.Errorf("%v: code %d (%s), want %d", args, code, errOut, exitUsage)
		}
	}
}

func TestTrainErrorsNameTheProblem(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"train", "--out", dir, "--set", "train.nosuch=1"}, "nosuch"},
		{[]string{"train", "--config", filepath.Join(dir, "none.yaml")}, "none.yaml"},
		{[]string{"train", "--out", dir, "--resume"}, "last.safetensors"},
		{[]string{"train", "--out", filepath.Join(dir, "t"), "--threads", "-1"}, "train.threads"},
		{[]string{"train", "--out", filepath.Join(dir, "t"), "--threads", "1000"}, "train.threads"},
		{[]string{"eval-lfw", "--checkpoint", filepath.Join(dir, "none.safetensors"), "--bin", "b"}, "none.safetensors"},
	} {
		code, _, errOut := runCmd(t, tc.args...)
		if code != exitError || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: code %d, stderr %q: want exit %d naming %q", tc.args, code, errOut, exitError, tc.want)
		}
	}
}

// TestTrainInterruptedExits130 runs train under a cancelled context, as
// main's signal.NotifyContext leaves it after SIGINT.
func TestTrainInterruptedExits130(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out, errb bytes.Buffer
	root := newRootCmd(&out, &errb)
	root.SetArgs(append([]string{"train", "--out", t.TempDir()}, trainSets...))
	if code := exitCode(root, root.ExecuteContext(ctx)); code != exitInterrupted {
		t.Fatalf("code %d, stderr %s", code, errb.String())
	}
}

// TestDefaultTrainRuns runs the default command (no --config, no --data)
// shortened with --set: the embedded config on in-memory synthetic faces,
// ending with the verification accuracy.
func TestDefaultTrainRuns(t *testing.T) {
	args := append([]string{"train", "--out", t.TempDir(), "--set", "synth.identities=20", "--set", "synth.per_identity=8",
		"--set", "synth.eval_identities=20", "--set", "synth.eval_per_identity=2", "--set", "train.epochs=1"}, trainSets...)
	args = append(args, "--set", "optim.schedule.warmup_steps=4") // shorter than the 10 iterations
	code, out, errOut := runCmd(t, args...)
	if code != exitOK {
		t.Fatalf("train: %d %s", code, errOut)
	}
	i := strings.Index(out, "accuracy ")
	if i < 0 {
		t.Fatalf("no accuracy in:\n%s", out)
	}
	f := strings.Fields(out[i+len("accuracy "):])
	if v, err := strconv.ParseFloat(f[0], 64); err != nil || v < 0 || v > 1 {
		t.Errorf("accuracy %q", f[0])
	}
}
