package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/kernels"
)

func TestBenchMachineJSON(t *testing.T) {
	code, out, errOut := runCmd(t, "bench", "machine", "--json", "--threads", "1")
	if code != exitOK {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
	var r struct {
		Threads int     `json:"threads"`
		Peak    float64 `json:"fma_peak_gflops"`
		Copy    float64 `json:"copy_gb_per_s"`
		Kernels string  `json:"kernels"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	if r.Threads != 1 || !(r.Peak > 0) || !(r.Copy > 0) || r.Kernels != kernels.Path() {
		t.Fatalf("result %+v from %q", r, out)
	}
}

func TestBenchMachineUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "machine", "--threads", "-1"},
		{"bench", "machine", "extra"},
	} {
		code, _, errOut := runCmd(t, args...)
		if code != exitUsage || !strings.Contains(errOut, "--help") {
			t.Errorf("%v: code %d, stderr %q", args, code, errOut)
		}
	}
}
