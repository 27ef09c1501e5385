package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/kernels"
)

func TestBenchGemmJSON(t *testing.T) {
	code, out, errOut := runCmd(t, "bench", "gemm", "--json", "--threads", "2", "--rounds", "1", "--shapes", "20x30x40")
	if code != exitOK {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
	var rows []struct {
		M, N, K, Threads int
		Ours             float64 `json:"ours_gflops"`
		Kernels          string  `json:"kernels"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	if len(rows) != 2 || rows[0].M != 20 || rows[0].N != 30 || rows[0].K != 40 || rows[1].Threads != 2 || rows[0].Ours <= 0 ||
		rows[0].Kernels != kernels.Path() || rows[1].Kernels != kernels.Path() {
		t.Fatalf("rows = %+v", rows)
	}
}

func TestBenchUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"bench", "gemm", "--shapes", "1x2"},
		{"bench", "gemm", "--threads", "-1"},
		{"bench", "gemm", "--rounds", "0"},
		{"bench", "gemm", "extra"},
		{"bench", "nosuch"},
	} {
		code, _, errOut := runCmd(t, args...)
		if code != exitUsage || !strings.Contains(errOut, "--help") {
			t.Errorf("%v: code %d, stderr %q", args, code, errOut)
		}
	}
}
