package main

import (
	"strings"
	"testing"
)

func TestSynthCommand(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCmd(t, "synth", "--out", dir, "--identities", "2", "--per-identity", "2",
		"--eval-identities", "20", "--eval-per-identity", "2", "--size", "16", "--channels", "3", "--seed", "5")
	if code != exitOK || !strings.Contains(out, "seed 5, 16×16, 3 channel(s)") {
		t.Fatalf("code %d, out %q, stderr %q", code, out, errOut)
	}
	for _, args := range [][]string{{"synth"}, {"synth", "--out", dir, "--channels", "2"}, {"synth", "--out", dir, "extra"}} {
		if code, _, errOut := runCmd(t, args...); code != exitUsage {
			t.Errorf("%v: code %d, stderr %q", args, code, errOut)
		}
	}
	// Writing over the tree just written is an error, not a usage error.
	if code, _, errOut := runCmd(t, "synth", "--out", dir, "--identities", "2", "--per-identity", "2", "--eval-identities", "0"); code != exitError || !strings.Contains(errOut, "already exists") {
		t.Errorf("rewrite: code %d, stderr %q", code, errOut)
	}
	// Without verification identities there is no pairs.txt.
	code, out, errOut = runCmd(t, "synth", "--out", t.TempDir(), "--identities", "2", "--per-identity", "2", "--eval-identities", "0", "--size", "16")
	if code != exitOK || !strings.Contains(out, "pairs.txt:  none") {
		t.Errorf("no eval identities: code %d, out %q, stderr %q", code, out, errOut)
	}
}
