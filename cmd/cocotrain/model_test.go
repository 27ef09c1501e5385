package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestModelSummary(t *testing.T) {
	code, out, errOut := runCmd(t, "model", "summary", "--arch", "mobilefacenet", "--input-size", "112")
	if code != exitOK {
		t.Fatalf("code %d, stderr %s", code, errOut)
	}
	for _, want := range []string{"backbone.conv_6_dw.conv", "Conv2d 7×7/1 512→512 g512", "1003136", "220965376"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

func TestModelSummaryConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte("model:\n  arch: tiny\n  input_size: 32\n  channels: 1\n  embedding_dim: 64\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "model", "summary", "--config", path, "--embedding-dim", "32")
	if code != exitOK {
		t.Fatalf("code %d, stderr %s", code, errOut)
	}
	// 1×32×32 in, flatten 256×2×2 = 1024 → 32.
	if !strings.Contains(out, "Linear 1024→32") || !strings.Contains(out, "1×32×32 in") {
		t.Errorf("summary does not reflect the config and flag:\n%s", out)
	}
}

func TestModelSummaryBadArch(t *testing.T) {
	code, _, errOut := runCmd(t, "model", "summary", "--arch", "vgg")
	if code != exitUsage || !strings.Contains(errOut, "unknown arch") {
		t.Fatalf("code %d, stderr %s", code, errOut)
	}
}
