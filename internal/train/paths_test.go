package train

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestResumeFromAnywhere starts a run on a dataset named by a relative
// path, interrupts it, and resumes it from another working directory; then
// moves the dataset: the resume names the old place and says to pass
// --data again, and does so with the new one.
func TestResumeFromAnywhere(t *testing.T) {
	base := t.TempDir()
	writeFaces(t, filepath.Join(base, "faces"))
	dir := filepath.Join(base, "run")
	t.Chdir(base)
	ctx, cancel := context.WithCancel(context.Background())
	_, err := run(t, ctx, dir, false, func(step int) {
		if step == 2 {
			cancel()
		}
	}, "data.path=faces", "train.epochs=3", "train.val_every=0")
	cancel()
	var ie *InterruptedError
	if !errors.As(err, &ie) {
		t.Fatalf("interrupt: %v", err)
	}
	elsewhere := filepath.Join(base, "elsewhere")
	if err := os.Mkdir(elsewhere, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(elsewhere)
	ctx, cancel = context.WithCancel(context.Background())
	_, err = run(t, ctx, dir, true, func(step int) {
		if step == 4 {
			cancel()
		}
	})
	cancel()
	if !errors.As(err, &ie) || ie.Step != 4 {
		t.Fatalf("resume from another directory: %v", err)
	}
	moved := filepath.Join(base, "faces-moved")
	if err := os.Rename(filepath.Join(base, "faces"), moved); err != nil {
		t.Fatal(err)
	}
	_, err = run(t, context.Background(), dir, true, nil)
	if err == nil || !strings.Contains(err.Error(), "--data") || !strings.Contains(err.Error(), filepath.Join(base, "faces")) {
		t.Fatalf("resume after the data moved: %v", err)
	}
	opt := Options{OutDir: dir, Resume: true, DataPath: moved}
	if _, err := Run(context.Background(), opt); err != nil {
		t.Fatalf("resume with --data at the new place: %v", err)
	}
}
