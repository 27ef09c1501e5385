package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/train"
)

func TestModelSummary(t *testing.T) {
	for _, c := range []struct {
		args, want []string
	}{
		{[]string{"--arch", "mobilefacenet", "--input-size", "112", "--channels", "3"},
			[]string{"backbone.conv_6_dw.conv", "Conv2d 7×7/1 512→512 g512", "1003136", "220965376"}},
		{[]string{"--arch", "small", "--input-size", "64", "--channels", "3", "--embedding-dim", "128"},
			[]string{"backbone.prelu4a", "Conv2d 3×3/1 128→256", "1698240", "211681280", "0.4234 GFLOPs"}},
	} {
		code, out, errOut := runCmd(t, append([]string{"model", "summary"}, c.args...)...)
		if code != exitOK {
			t.Fatalf("%v: code %d, stderr %s", c.args, code, errOut)
		}
		for _, want := range c.want {
			if !strings.Contains(out, want) {
				t.Errorf("%v: summary lacks %q:\n%s", c.args, want, out)
			}
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

// TestModelSummaryDefault checks that the summary without flags describes
// the network that train without flags trains.
func TestModelSummaryDefault(t *testing.T) {
	cfg, err := train.LoadConfig("", nil)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "model", "summary")
	if code != exitOK {
		t.Fatalf("code %d, stderr %s", code, errOut)
	}
	m := cfg.Model
	want := []string{
		m.Arch + ": ", // the totals line
		fmt.Sprintf("per %d×%d×%d image", m.Channels, m.InputSize, m.InputSize),
		fmt.Sprintf("→%d ", m.EmbeddingDim), // the embedding layer
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("summary without flags lacks %q (the default run's network):\n%s", w, out)
		}
	}
}

func TestModelSummaryBadArch(t *testing.T) {
	code, _, errOut := runCmd(t, "model", "summary", "--arch", "vgg")
	if code != exitUsage || !strings.Contains(errOut, "unknown arch") {
		t.Fatalf("code %d, stderr %s", code, errOut)
	}
}
