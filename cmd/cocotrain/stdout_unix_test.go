//go:build unix

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/npy"
	"github.com/cocotrain/cocotrain/internal/train"
)

// cocotrain runs the test binary as cocotrain with args and returns its
// stdout, failing the test unless it exits 0.
func cocotrain(t *testing.T, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), mainArgsEnv+"="+strings.Join(args, "\n"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cocotrain %v: %v\n%s", args, err, stderr.String())
	}
	return out
}

// TestOutputsOnStdout writes the centroids and the embeddings of a small
// run to a real stdout (--out - and /dev/stdout with --format) and reads
// them back; without --format such an output is a usage error.
func TestOutputsOnStdout(t *testing.T) {
	dir := t.TempDir()
	faces, run := filepath.Join(dir, "faces"), filepath.Join(dir, "run")
	if code, _, errOut := runCmd(t, "synth", "--out", faces, "--identities", "6", "--per-identity", "8",
		"--eval-identities", "20", "--eval-per-identity", "2", "--size", "16", "--seed", "3"); code != exitOK {
		t.Fatalf("synth: %d %s", code, errOut)
	}
	args := append([]string{"train", "--data", filepath.Join(faces, "train"), "--out", run, "--no-progress", "--set", "train.epochs=1"}, trainSets...)
	args = append(args, "--set", "optim.schedule.warmup_steps=0")
	if code, _, errOut := runCmd(t, args...); code != exitOK {
		t.Fatalf("train: %d %s", code, errOut)
	}
	ck := filepath.Join(run, train.LastFile)
	for _, out := range []string{"-", "/dev/stdout"} {
		csv := cocotrain(t, "export-centers", "--checkpoint", ck, "--out", out, "--format", "csv")
		if lines := strings.Split(strings.TrimSpace(string(csv)), "\n"); len(lines) != 7 || !strings.HasPrefix(lines[0], "name,c0,") {
			t.Errorf("export-centers --out %s --format csv wrote %.80q", out, csv)
		}
	}
	names := filepath.Join(dir, "names.txt")
	b := cocotrain(t, "embed", "--checkpoint", ck, "--images", filepath.Join(faces, "lfw"), "--out", "-", "--format", "npy", "--names", names)
	a, err := npy.Read(bytes.NewReader(b), "stdout")
	if err != nil || len(a.Shape) != 2 || a.Shape[1] != 32 {
		t.Fatalf("embed --out -: %v %v", a, err)
	}
	if n, err := os.ReadFile(names); err != nil || strings.Count(string(n), "\n") != a.Shape[0] {
		t.Errorf("names for %d rows: %v", a.Shape[0], err)
	}
	for _, bad := range [][]string{
		{"export-centers", "--checkpoint", ck, "--out", "-"},
		{"export-centers", "--checkpoint", ck, "--out", "-", "--format", "npy"},
		{"embed", "--checkpoint", ck, "--images", faces, "--out", "-"},
		{"embed", "--checkpoint", ck, "--images", faces, "--out", "-", "--format", "npy"},
	} {
		if code, _, _ := runCmd(t, bad...); code != exitUsage {
			t.Errorf("%v: exit %d, want %d", bad, code, exitUsage)
		}
	}
}
