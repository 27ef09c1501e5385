package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalLFWSeveralBins scores the raw-pixel baseline on two lfw.bin
// fixtures: a table or a JSON array, one row per set named by its file; with
// one set the JSON is the single object it always was.
func TestEvalLFWSeveralBins(t *testing.T) {
	p3 := filepath.Join("..", "..", "internal", "data", "testdata", "lfwbin_p3.bin")
	p5 := filepath.Join("..", "..", "internal", "data", "testdata", "lfwbin_p5.bin")
	base := []string{"eval-lfw", "--baseline", "pixels", "--size", "16", "--bin", p3, "--bin", p5}
	code, out, errOut := runCmd(t, append(base, "--json")...)
	if code != exitOK {
		t.Fatalf("code %d: %s", code, errOut)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, out)
	}
	if len(rows) != 2 || rows[0]["set"] != "lfwbin_p3.bin" || rows[1]["set"] != "lfwbin_p5.bin" || rows[0]["pairs"] != 10.0 || rows[0]["accuracy_mean"] == nil {
		t.Errorf("rows %v", rows)
	}
	code, out, errOut = runCmd(t, base...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != exitOK || len(lines) != 3 || !strings.HasPrefix(lines[0], "set") || !strings.HasPrefix(lines[1], "lfwbin_p3.bin") || !strings.HasPrefix(lines[2], "lfwbin_p5.bin") {
		t.Errorf("table: code %d, %q, %s", code, out, errOut)
	}
	code, out, _ = runCmd(t, "eval-lfw", "--baseline", "pixels", "--size", "16", "--bin", p3, "--json")
	var one map[string]any
	if err := json.Unmarshal([]byte(out), &one); code != exitOK || err != nil || one["set"] != nil || one["pairs"] != 10.0 {
		t.Errorf("one set: code %d, %v, %q", code, err, out)
	}
	// A .bin that is not a pickle is named, before any set is scored.
	bad := filepath.Join(t.TempDir(), "cfp_fp.bin")
	os.WriteFile(bad, []byte("not a pickle"), 0o644)
	code, out, errOut = runCmd(t, "eval-lfw", "--baseline", "pixels", "--size", "16", "--bin", p3, "--bin", bad)
	if code != exitError || !strings.Contains(errOut, bad) || out != "" {
		t.Errorf("bad bin: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	if code, _, _ := runCmd(t, append(base, "--roc", filepath.Join(t.TempDir(), "roc.png"))...); code != exitUsage {
		t.Errorf("--roc with two sets: code %d, want %d", code, exitUsage)
	}
	if code, _, _ := runCmd(t, append(base, "--landmarks", "lm.txt")...); code != exitUsage {
		t.Errorf("--landmarks with --bin: code %d, want %d", code, exitUsage)
	}
}

// TestEvalLFWFolds re-splits a set into stratified folds: the report counts
// them, a split that does not divide names the set, a negative count is a
// usage error.
func TestEvalLFWFolds(t *testing.T) {
	p3 := filepath.Join("..", "..", "internal", "data", "testdata", "lfwbin_p3.bin") // 5 matched + 5 mismatched
	base := []string{"eval-lfw", "--baseline", "pixels", "--size", "16", "--bin", p3, "--json"}
	code, out, errOut := runCmd(t, append(base, "--folds", "5")...)
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); code != exitOK || err != nil || rep["folds"] != 5.0 || rep["pairs"] != 10.0 {
		t.Fatalf("--folds 5: code %d, %v, %q, %s", code, err, out, errOut)
	}
	if code, _, errOut := runCmd(t, append(base, "--folds", "3")...); code != exitError || !strings.Contains(errOut, "lfwbin_p3.bin") {
		t.Errorf("--folds 3: code %d, %s", code, errOut)
	}
	if code, _, _ := runCmd(t, append(base, "--folds", "-1")...); code != exitUsage {
		t.Errorf("--folds -1: code %d, want %d", code, exitUsage)
	}
}
