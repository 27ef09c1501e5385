package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/checkpoint"
	"github.com/cocotrain/cocotrain/internal/safetensors"
	"github.com/cocotrain/cocotrain/internal/train"
)

// exportFaces writes a synthetic set of size×size RGB faces under dir: a
// small training tree and 64 evaluation images (32 identities × 2) in
// faces/lfw.
func exportFaces(t *testing.T, dir string, size int) string {
	t.Helper()
	faces := filepath.Join(dir, "faces")
	if code, _, errOut := runCmd(t, "synth", "--out", faces, "--identities", "16", "--per-identity", "8",
		"--eval-identities", "32", "--eval-per-identity", "2", "--size", strconv.Itoa(size), "--channels", "3", "--seed", "5"); code != exitOK {
		t.Fatalf("synth: %d %s", code, errOut)
	}
	return faces
}

// trainArch trains arch (3×size×size → dim) for one short epoch on faces
// and returns its checkpoint: the batch norms' running statistics are then
// real ones.
func trainArch(t *testing.T, faces, run, arch string, size, dim int) string {
	t.Helper()
	code, _, errOut := runCmd(t, "train", "--data", filepath.Join(faces, "train"), "--out", run, "--no-progress",
		"--set", "model.arch="+arch, "--set", "model.input_size="+strconv.Itoa(size), "--set", "model.channels=3",
		"--set", "model.embedding_dim="+strconv.Itoa(dim), "--set", "train.batch_size=16", "--set", "train.epochs=1",
		"--set", "train.threads=2", "--set", "optim.schedule.warmup_steps=2")
	if code != exitOK {
		t.Fatalf("train %s: %d\n%s", arch, code, errOut)
	}
	return filepath.Join(run, train.LastFile)
}

// TestExportCommandErrors: every bad input is a clear error, and nothing is
// left at --out.
func TestExportCommandErrors(t *testing.T) {
	dir := t.TempDir()
	ckpt := trainArch(t, exportFaces(t, dir, 16), filepath.Join(dir, "run"), "tiny", 16, 16)
	raw, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "truncated.safetensors")
	if err := os.WriteFile(truncated, raw[:len(raw)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := safetensors.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	f.Metadata[checkpoint.MetaConfig] = strings.Replace(f.Metadata[checkpoint.MetaConfig], "arch: tiny", "arch: resnet50", 1)
	unknown := filepath.Join(dir, "unknown.safetensors")
	if err := safetensors.WriteFile(unknown, f); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out", "model.onnx")
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--checkpoint", ckpt}, exitUsage, "--out"},
		{[]string{"--checkpoint", ckpt, "--out", out, "--format", "tflite"}, exitUsage, `unknown export format "tflite"`},
		{[]string{"--checkpoint", truncated, "--out", out}, exitError, "truncated"},
		{[]string{"--checkpoint", unknown, "--out", out}, exitError, `unknown arch "resnet50"`},
		{[]string{"--checkpoint", filepath.Join(dir, "none.safetensors"), "--out", out}, exitError, "none.safetensors"},
		{[]string{"--checkpoint", ckpt, "--out", out}, exitError, out}, // the directory does not exist
		{[]string{"--checkpoint", ckpt, "--out", out, "--format", "torch"}, exitError, out},
		{[]string{"--checkpoint", ckpt, "--out", filepath.Join(dir, "run"), "--format", "torch"}, exitError, "exists and is not empty"},
		{[]string{"--checkpoint", ckpt, "--out", ckpt, "--format", "torch"}, exitError, "exists and is not a directory"},
	} {
		code, _, stderr := runCmd(t, append([]string{"export"}, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.msg) {
			t.Errorf("%v: code %d, stderr %q; want code %d and %q", tc.args, code, stderr, tc.code, tc.msg)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 4 { // faces, run and the two bad checkpoints, nothing else
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("the failed exports left files behind: %v", names)
	}
	good := filepath.Join(dir, "model.onnx")
	code, stdout, stderr := runCmd(t, "export", "--checkpoint", ckpt, "--out", good)
	if st, err := os.Stat(good); code != exitOK || err != nil || st.Size() == 0 || !strings.Contains(stdout, "wrote the tiny backbone") {
		t.Fatalf("export: code %d, stdout %q, stderr %q, %v", code, stdout, stderr, err)
	}
	folder := filepath.Join(dir, "torch")
	if err := os.Mkdir(folder, 0o755); err != nil { // an empty folder is taken
		t.Fatal(err)
	}
	code, stdout, stderr = runCmd(t, "export", "--checkpoint", ckpt, "--format", "torch", "--out", folder)
	if code != exitOK || !strings.Contains(stdout, "wrote the tiny network and loss head") {
		t.Fatalf("export --format torch: code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	w, err := safetensors.ReadFile(filepath.Join(folder, "weights.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	if w.Tensor("head.centroids") == nil || w.Tensor("backbone.conv1.weight") == nil || w.Tensor("backbone.bn1.running_var") == nil {
		t.Errorf("weights.safetensors lacks the head, a weight or a running statistic")
	}
	for _, tt := range w.Tensors {
		if !strings.HasPrefix(tt.Name, "backbone.") && !strings.HasPrefix(tt.Name, "head.") {
			t.Errorf("weights.safetensors holds %s", tt.Name)
		}
	}
	for _, name := range []string{"model.py", "config.yaml"} {
		if st, err := os.Stat(filepath.Join(folder, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := train.LoadConfig(filepath.Join(folder, "config.yaml"), nil); err != nil {
		t.Errorf("config.yaml does not load: %v", err)
	}
}
