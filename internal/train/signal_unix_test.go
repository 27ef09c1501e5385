//go:build unix

package train

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
)

// TestSIGINT sends the process a real SIGINT during training: the run
// finishes its step, writes a checkpoint, reports the interruption, and
// resumes to the same end as an uninterrupted run.
func TestSIGINT(t *testing.T) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	dir := t.TempDir()
	_, err := run(t, ctx, dir, false, func(step int) {
		if step == 3 {
			syscall.Kill(os.Getpid(), syscall.SIGINT)
			<-ctx.Done()
		}
	})
	var ie *InterruptedError
	if !errors.As(err, &ie) || ie.Step != 3 || !errors.Is(err, context.Canceled) {
		t.Fatalf("SIGINT: %v", err)
	}
	stop()
	if _, err := run(t, context.Background(), dir, true, nil); err != nil {
		t.Fatal(err)
	}
	straight := t.TempDir()
	if _, err := run(t, context.Background(), straight, false, nil); err != nil {
		t.Fatal(err)
	}
	tensorsEqual(t, filepath.Join(straight, LastFile), filepath.Join(dir, LastFile))
}
