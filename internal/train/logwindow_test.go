package train

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestResumeLogsSameLosses interrupts a run between two log lines (steps 5
// and 7 with log_every 4) and checks that the resumed run logs exactly the
// losses of a straight run: the window of steps since the last log line is
// carried in the checkpoint.
func TestResumeLogsSameLosses(t *testing.T) {
	sets := []string{"train.log_every=4", "train.val_every=0"}
	straight := t.TempDir()
	if _, err := run(t, context.Background(), straight, false, nil, sets...); err != nil {
		t.Fatal(err)
	}
	resumed := t.TempDir()
	for i, stop := range []int{5, 7} {
		ctx, cancel := context.WithCancel(context.Background())
		_, err := run(t, ctx, resumed, i > 0, func(step int) {
			if step == stop {
				cancel()
			}
		}, sets...)
		cancel()
		var ie *InterruptedError
		if !errors.As(err, &ie) || ie.Step != stop {
			t.Fatalf("interrupt at %d: %v", stop, err)
		}
	}
	if _, err := run(t, context.Background(), resumed, true, nil); err != nil {
		t.Fatal(err)
	}
	a, b := stepLosses(t, filepath.Join(straight, MetricsFile)), stepLosses(t, filepath.Join(resumed, MetricsFile))
	if len(a) != 3 || len(b) != len(a) {
		t.Fatalf("logged steps: %v vs %v", a, b)
	}
	for s, l := range a {
		if b[s] != l {
			t.Errorf("step %d: loss %v straight, %v resumed", s, l, b[s])
		}
	}
}
