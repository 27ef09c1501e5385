package main

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/train"
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
	if len(rows) != 2 || rows[0]["set"] != "lfwbin_p3" || rows[1]["set"] != "lfwbin_p5" || rows[0]["pairs"] != 10.0 || rows[0]["accuracy_mean"] == nil {
		t.Errorf("rows %v", rows)
	}
	code, out, errOut = runCmd(t, base...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != exitOK || len(lines) != 4 || !strings.HasPrefix(lines[0], "set") || !strings.HasPrefix(lines[1], "lfwbin_p3 ") || !strings.HasPrefix(lines[2], "lfwbin_p5 ") ||
		lines[3] != "preprocess: whole image, resized to 16×16 grey (from the flags)" {
		t.Errorf("table: code %d, %q, %s", code, out, errOut)
	}
	code, out, _ = runCmd(t, "eval-lfw", "--baseline", "pixels", "--size", "16", "--bin", p3, "--json")
	var one map[string]any
	if err := json.Unmarshal([]byte(out), &one); code != exitOK || err != nil || one["set"] != nil || one["pairs"] != 10.0 {
		t.Errorf("one set: code %d, %v, %q", code, err, out)
	}
	want := map[string]any{"size": 16.0, "channels": 1.0, "crop": nil, "center_crop": 0.0, "source": "flags"}
	if !maps.Equal(one["preprocess"].(map[string]any), want) {
		t.Errorf("baseline preprocess %v, want %v", one["preprocess"], want)
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

// TestCropTravelsWithModel trains on 20×20 faces with data.center_crop 16:
// eval-lfw and embed apply the checkpoint's crop by default (the same
// numbers as --center-crop 16 given by hand) and say so; --center-crop 0
// (no crop) overrides it, and the report says it came from the flags.
func TestCropTravelsWithModel(t *testing.T) {
	dir := t.TempDir()
	faces, run := filepath.Join(dir, "faces"), filepath.Join(dir, "run")
	if code, _, errOut := runCmd(t, "synth", "--out", faces, "--identities", "4", "--per-identity", "8",
		"--eval-identities", "20", "--eval-per-identity", "2", "--size", "20", "--seed", "5"); code != exitOK {
		t.Fatalf("synth: %d %s", code, errOut)
	}
	args := append([]string{"train", "--data", filepath.Join(faces, "train"), "--out", run, "--no-progress",
		"--set", "train.epochs=2", "--set", "train.val_every=0", "--set", "data.center_crop=16"}, trainSets...)
	args = append(args, "--set", "optim.schedule.warmup_steps=0")
	if code, _, errOut := runCmd(t, args...); code != exitOK {
		t.Fatalf("train: %d\n%s", code, errOut)
	}
	ck := filepath.Join(run, train.LastFile)
	lfw := []string{"eval-lfw", "--checkpoint", ck, "--lfw", filepath.Join(faces, "lfw"), "--pairs", filepath.Join(faces, "pairs.txt")}
	eval := func(extra ...string) map[string]any {
		t.Helper()
		code, out, errOut := runCmd(t, append(append(lfw, "--json"), extra...)...)
		var rep map[string]any
		if err := json.Unmarshal([]byte(out), &rep); code != exitOK || err != nil {
			t.Fatalf("eval-lfw %v: code %d, %v\n%s", extra, code, err, errOut)
		}
		return rep
	}
	byDefault, byHand, none := eval(), eval("--center-crop", "16"), eval("--center-crop", "0")
	for _, tc := range []struct {
		rep  map[string]any
		want map[string]any
	}{
		{byDefault, map[string]any{"size": 16.0, "channels": 1.0, "crop": nil, "center_crop": 16.0, "source": "checkpoint"}},
		{byHand, map[string]any{"size": 16.0, "channels": 1.0, "crop": nil, "center_crop": 16.0, "source": "flags"}},
		{none, map[string]any{"size": 16.0, "channels": 1.0, "crop": nil, "center_crop": 0.0, "source": "flags"}},
	} {
		if got, _ := tc.rep["preprocess"].(map[string]any); !maps.Equal(got, tc.want) {
			t.Errorf("preprocess %v, want %v", tc.rep["preprocess"], tc.want)
		}
	}
	for _, k := range []string{"accuracy_mean", "threshold_l2", "auc", "eer"} {
		if byDefault[k] != byHand[k] {
			t.Errorf("%s: %v by default, %v with --center-crop 16", k, byDefault[k], byHand[k])
		}
	}
	code, out, errOut := runCmd(t, lfw...)
	if want := "preprocess               centre crop 16×16, resized to 16×16 grey  from the checkpoint\n"; code != exitOK || !strings.Contains(out, want) {
		t.Errorf("eval-lfw text: code %d, want the line %q in\n%s%s", code, want, out, errOut)
	}

	embed := func(name string, extra ...string) (string, []byte) {
		t.Helper()
		path := filepath.Join(dir, name)
		code, out, errOut := runCmd(t, append([]string{"embed", "--checkpoint", ck, "--images", filepath.Join(faces, "lfw"), "--out", path}, extra...)...)
		if code != exitOK {
			t.Fatalf("embed %v: code %d %s", extra, code, errOut)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return out, b
	}
	out, def := embed("default.npy")
	if want := "preprocess: centre crop 16×16, resized to 16×16 grey (from the checkpoint)"; !strings.Contains(out, want) {
		t.Errorf("embed summary lacks %q:\n%s", want, out)
	}
	_, hand := embed("hand.npy", "--center-crop", "16")
	out, whole := embed("whole.npy", "--center-crop", "0")
	if !bytes.Equal(def, hand) || bytes.Equal(def, whole) {
		t.Errorf("embeddings by default equal to --center-crop 16: %v; to --center-crop 0: %v (want true, false)", bytes.Equal(def, hand), bytes.Equal(def, whole))
	}
	if want := "preprocess: whole image, resized to 16×16 grey (from the flags)"; !strings.Contains(out, want) {
		t.Errorf("embed --center-crop 0 summary lacks %q:\n%s", want, out)
	}
	if code, _, _ := runCmd(t, append(lfw, "--crop", "1,1,10,10", "--center-crop", "0")...); code != exitUsage {
		t.Errorf("--crop with --center-crop 0: code %d, want %d", code, exitUsage)
	}
}
