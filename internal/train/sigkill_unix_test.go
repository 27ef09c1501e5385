//go:build unix

package train

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSIGKILLFaultInjection kills a training child with SIGKILL at seeded
// random moments (after a random step, a random delay into the next step
// or the checkpoint being written, every step writing one), 20 times. After
// each kill last.safetensors, when there is one, must load, and the run,
// resumed from it (or started again when the kill came before the first
// checkpoint), must end with the weights and optimizer state of a run that
// was never killed.
func TestSIGKILLFaultInjection(t *testing.T) {
	sets := []string{"train.epochs=1", "train.val_every=0", "train.ckpt_every=1"}
	straight := t.TempDir()
	if _, err := run(t, context.Background(), straight, false, nil, sets...); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(18, 9))
	for trial := range 20 {
		dir := filepath.Join(t.TempDir(), "run")
		step, delay := 1+rng.IntN(5), time.Duration(rng.IntN(60000))*time.Microsecond
		c := startChild(t, dir, childSetsEnv+"="+strings.Join(sets, " "))
		c.waitStep(t, step)
		time.Sleep(delay)
		if err := c.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		c.cmd.Wait()
		resume := false
		if _, err := os.Stat(filepath.Join(dir, LastFile)); err == nil {
			ck, err := ReadCheckpoint(filepath.Join(dir, LastFile))
			if err != nil {
				t.Fatalf("trial %d (killed %v after step %d): last.safetensors: %v", trial, delay, step, err)
			}
			resume = true
			t.Logf("trial %d: killed %v after step %d; checkpoint of step %d", trial, delay, step, ck.Step)
		}
		var extra []string
		if !resume {
			extra = sets
		}
		if _, err := run(t, context.Background(), dir, resume, nil, extra...); err != nil {
			t.Fatalf("trial %d (killed %v after step %d): %v", trial, delay, step, err)
		}
		tensorsEqual(t, filepath.Join(straight, LastFile), filepath.Join(dir, LastFile))
	}
}
