package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/kernels"
)

func TestBenchTrainJSON(t *testing.T) {
	code, out, errOut := runCmd(t, "bench", "train", "--json", "--arch", "tiny", "--batch", "2", "--threads", "1",
		"--input-size", "16", "--classes", "5", "--warmup", "0", "--min-time", "1ns", "--min-steps", "1")
	if code != exitOK {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
	var r struct {
		Arch    string  `json:"arch"`
		Batch   int     `json:"batch"`
		Threads int     `json:"threads"`
		Train   float64 `json:"train_images_per_s"`
		Infer   float64 `json:"infer_images_per_s"`
		RSS     float64 `json:"peak_rss_mb"`
		Kernels string  `json:"kernels"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	if r.Arch != "tiny" || r.Batch != 2 || r.Threads != 1 || !(r.Train > 0) || !(r.Infer > 0) || r.Kernels != kernels.Path() {
		t.Fatalf("result %+v from %q", r, out)
	}
}

func TestBenchTrainUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "train", "--arch", "resnet1000"},
		{"bench", "train", "--batch", "0"},
		{"bench", "train", "--min-steps", "0"},
		{"bench", "train", "extra"},
	} {
		code, _, errOut := runCmd(t, args...)
		if code != exitUsage || !strings.Contains(errOut, "--help") {
			t.Errorf("%v: code %d, stderr %q", args, code, errOut)
		}
	}
}
