package main

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/data"
)

func TestPairsCommand(t *testing.T) {
	dir := t.TempDir()
	images := filepath.Join(dir, "faces")
	for id := 0; id < 8; id++ {
		for k := 0; k < 3; k++ {
			p := filepath.Join(images, fmt.Sprintf("p%d", id), fmt.Sprintf("img%c.png", 'a'+k))
			os.MkdirAll(filepath.Dir(p), 0o755)
			f, err := os.Create(p)
			if err != nil {
				t.Fatal(err)
			}
			png.Encode(f, image.NewGray(image.Rect(0, 0, 4, 4)))
			f.Close()
		}
	}
	out := filepath.Join(dir, "pairs.txt")
	code, stdout, stderr := runCmd(t, "pairs", "--images", images, "--out", out, "--folds", "2", "--per-fold", "5", "--seed", "4")
	if code != exitOK || !strings.Contains(stdout, "2 folds of 5 matched + 5 mismatched pairs over 8 identities") {
		t.Fatalf("code %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	v, err := data.LoadLFW(images, out)
	if err != nil {
		t.Fatal(err)
	}
	if v.NumPairs() != 20 || v.Folds != 2 {
		t.Errorf("%d pairs in %d folds", v.NumPairs(), v.Folds)
	}
	// Too many pairs for the folds: an error, and the old file stays.
	old, _ := os.ReadFile(out)
	code, _, stderr = runCmd(t, "pairs", "--images", images, "--out", out, "--folds", "2", "--per-fold", "13")
	if code != exitError || !strings.Contains(stderr, "only 12 distinct matched pairs") {
		t.Errorf("too many pairs: code %d, stderr %q", code, stderr)
	}
	if now, _ := os.ReadFile(out); string(now) != string(old) {
		t.Error("the pairs file changed after an error")
	}
}
