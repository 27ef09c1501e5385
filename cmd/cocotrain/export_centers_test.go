package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/npy"
	"github.com/cocotrain/cocotrain/internal/safetensors"
)

func TestExportCentersCommand(t *testing.T) {
	dir := t.TempDir()
	f := safetensors.New()
	if err := f.AddF32("head.centroids", []int{2, 3}, []float32{3, 0, 4, 0, -2, 0}); err != nil {
		t.Fatal(err)
	}
	f.Metadata["classes"] = `["alice", "bob"]`
	ckpt := filepath.Join(dir, "c.safetensors")
	if err := safetensors.WriteFile(ckpt, f); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "centers.npy")
	code, stdout, stderr := runCmd(t, "export-centers", "--checkpoint", ckpt, "--out", out)
	if code != exitOK || !strings.Contains(stdout, "wrote 2 unit centroids of dimension 3") {
		t.Fatalf("code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	a, err := npy.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := a.Float32(); len(v) != 6 || v[0] != 0.6 || v[2] != 0.8 || v[4] != -1 {
		t.Errorf("centroids %v", a.Data)
	}
	if names, _ := os.ReadFile(out + ".names.txt"); string(names) != "alice\nbob\n" {
		t.Errorf("names %q", names)
	}
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"export-centers", "--out", out}, exitUsage},
		{[]string{"export-centers", "--checkpoint", ckpt, "--out", filepath.Join(dir, "c.xml")}, exitUsage},
		{[]string{"export-centers", "--checkpoint", filepath.Join(dir, "none"), "--out", out}, exitError},
	} {
		if code, _, stderr := runCmd(t, tc.args...); code != tc.code {
			t.Errorf("%v: code %d, want %d (stderr %q)", tc.args, code, tc.code, stderr)
		}
	}
}
