package train

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestProgressBarFromFirstStep draws the training bar into a buffer: the
// loss and images/s are on it after the first step (long before the first
// log line), and the verification's extraction shows its progress.
func TestProgressBarFromFirstStep(t *testing.T) {
	defer func(d time.Duration) { barThrottle = d }(barThrottle)
	barThrottle = 0 // draw every change, however fast the machine
	var bar bytes.Buffer
	cfg := filepath.Join(t.TempDir(), "small.yaml")
	if err := os.WriteFile(cfg, []byte(smallConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	var first string
	opt := Options{ConfigPath: cfg, OutDir: t.TempDir(), Stderr: &bar, Progress: true,
		Sets: []string{"train.log_every=100", "train.val_every=0", "train.epochs=1"},
		AfterStep: func(step int) {
			if step == 1 {
				first = bar.String()
			}
		}}
	if _, err := Run(context.Background(), opt); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first, "epoch 1/1 loss ") || !strings.Contains(first, "img/s") {
		t.Errorf("the bar after step 1: %q", first)
	}
	if !strings.Contains(bar.String(), "verification: ") {
		t.Errorf("the verification drew no progress: %q", bar.String())
	}
}
