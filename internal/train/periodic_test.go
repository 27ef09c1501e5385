package train

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCkptMinutes checks that train.ckpt_minutes writes last.safetensors
// when that much time has passed, with train.ckpt_every off: with a
// vanishing interval every step is due, with 0 none is.
func TestCkptMinutes(t *testing.T) {
	for _, tc := range []struct {
		minutes string
		want    int // the checkpoint's step when step 3 has finished (-1: none)
	}{{"1e-9", 2}, {"0", -1}} {
		dir := t.TempDir()
		got := -2
		_, err := run(t, context.Background(), dir, false, func(step int) {
			if step == 3 {
				got = -1
				if ck, err := ReadCheckpoint(filepath.Join(dir, LastFile)); err == nil {
					got = ck.Step
				}
			}
		}, "train.epochs=1", "train.val_every=0", "train.ckpt_every=0", "train.ckpt_minutes="+tc.minutes)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("ckpt_minutes %s: checkpoint of step %d on disk after step 3, want %d", tc.minutes, got, tc.want)
		}
	}
}

// TestFatalErrorLogged checks that an error that ends a run is recorded in
// training.log, not only printed.
func TestFatalErrorLogged(t *testing.T) {
	dir := t.TempDir()
	_, err := run(t, context.Background(), dir, false, nil, "optim.lr=1e30", "optim.schedule.warmup_steps=0", "train.val_every=0")
	var nf *NonFiniteError
	if !errors.As(err, &nf) {
		t.Fatalf("want a NonFiniteError, got %v", err)
	}
	b, rerr := os.ReadFile(filepath.Join(dir, LogFile))
	if rerr != nil || !strings.Contains(string(b), "error: "+err.Error()) {
		t.Errorf("training.log does not record %q:\n%s", err, b)
	}
}
