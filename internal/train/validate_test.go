package train

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRefusalsLeaveNoRunDir starts runs that cannot work, each into a new
// run directory: each must be refused with an error naming the problem,
// and leave no directory behind.
func TestRefusalsLeaveNoRunDir(t *testing.T) {
	for _, tc := range []struct {
		sets []string
		want string
	}{
		{[]string{"synth.identities=1", "synth.per_identity=40"}, "at least 2"},
		{[]string{"data.crop=[0,0,20,20]"}, "reaches outside the 16×16 image"},
		{[]string{"data.center_crop=17"}, "larger than the 16×16 image"},
		{[]string{"optim.schedule.warmup_steps=12"}, "not shorter than the run"},
		{[]string{"optim.schedule.warmup_steps=0", "optim.schedule.warmup_epochs=2"}, "not shorter than the run"},
		{[]string{"train.threads=-1"}, "train.threads"},
		{[]string{"train.threads=1000"}, "train.threads"},
		{[]string{"train.batch_size=200"}, "for a batch of 200"},
		{[]string{"loss.type=nosuch"}, "nosuch"},
		{[]string{"loss.alpha=-3"}, "alpha"},
		{[]string{"model.channels=2"}, "channels"},
		{[]string{"model.input_size=0"}, "input_size"},
		{[]string{"model.arch=nosuch"}, "nosuch"},
		{[]string{"data.path=/nonexistent/faces"}, "/nonexistent/faces"},
		{[]string{"train.val_dir=/nonexistent/lfw", "train.val_pairs=/nonexistent/pairs.txt"}, "/nonexistent/"},
	} {
		dir := filepath.Join(t.TempDir(), "run")
		_, err := run(t, context.Background(), dir, false, nil, tc.sets...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want an error naming %q", tc.sets, err, tc.want)
		}
		if _, serr := os.Stat(dir); !os.IsNotExist(serr) {
			t.Errorf("%v: refused (%v) but left %s behind", tc.sets, err, dir)
		}
	}
}

// TestResumeRefusesOtherNetwork resumes a run with a config that asks for
// another network, and a run whose checkpoint came from another run: both
// are refused with one line naming both networks, and the run is left as
// it was.
func TestResumeRefusesOtherNetwork(t *testing.T) {
	dir := t.TempDir()
	if _, err := run(t, context.Background(), dir, false, nil, "train.epochs=1", "train.val_every=0"); err != nil {
		t.Fatal(err)
	}
	_, err := run(t, context.Background(), dir, true, nil, "model.arch=mobilefacenet")
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "holds a tiny") || !strings.Contains(err.Error(), "asks for mobilefacenet") {
		t.Fatalf("resume as mobilefacenet: %v", err)
	}
	other := t.TempDir()
	if _, err := run(t, context.Background(), other, false, nil, "train.epochs=1", "train.val_every=0", "model.embedding_dim=8"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(other, LastFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, LastFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = run(t, context.Background(), dir, true, nil, "train.epochs=2")
	if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "8-d embedding") || !strings.Contains(err.Error(), "16-d embedding") {
		t.Fatalf("resume of a foreign checkpoint: %v", err)
	}
}
