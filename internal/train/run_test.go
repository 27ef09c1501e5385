package train

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cocotrain/cocotrain/internal/safetensors"
)

// smallSets is a run small enough for a unit test: 12 synthetic identities
// of 8 images at 16×16 (6 iterations of 16 per epoch, 2 epochs), 20
// verification identities.
var smallSets = []string{
	"synth.identities=12", "synth.per_identity=8", "synth.eval_identities=20", "synth.eval_per_identity=2",
	"synth.size=16", "model.input_size=16", "model.embedding_dim=16",
	"train.batch_size=16", "train.epochs=2", "train.log_every=2", "train.val_every=4", "train.ckpt_every=0",
	"optim.schedule.warmup_steps=2", "optim.lr=0.05", "train.threads=1",
}

// run trains with smallSets plus extra in dir.
func run(t *testing.T, ctx context.Context, dir string, resume bool, afterStep func(int), extra ...string) (*Result, error) {
	t.Helper()
	var out bytes.Buffer
	opt := Options{OutDir: dir, Resume: resume, Stdout: &out, AfterStep: afterStep}
	if !resume {
		opt.Sets = append(append([]string{}, smallSets...), extra...)
	}
	return Run(ctx, opt)
}

// tensorsEqual fails unless files a and b hold the same tensors, byte for byte.
func tensorsEqual(t *testing.T, a, b string) {
	t.Helper()
	fa, err := safetensors.ReadFile(a)
	if err != nil {
		t.Fatal(err)
	}
	fb, err := safetensors.ReadFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(fa.Tensors) != len(fb.Tensors) {
		t.Fatalf("%d tensors vs %d", len(fa.Tensors), len(fb.Tensors))
	}
	for _, ta := range fa.Tensors {
		tb := fb.Tensor(ta.Name)
		if tb == nil || !bytes.Equal(ta.Data, tb.Data) {
			t.Errorf("tensor %s differs", ta.Name)
		}
	}
	for _, k := range []string{MetaStep, MetaEpoch, MetaRNG, MetaClasses, MetaDataDigest, MetaValAcc, MetaBestVal, "optim.step"} {
		if fa.Metadata[k] != fb.Metadata[k] {
			t.Errorf("metadata %s: %q vs %q", k, fa.Metadata[k], fb.Metadata[k])
		}
	}
}

// stepLosses reads the loss of every logged step of a metrics.jsonl.
func stepLosses(t *testing.T, path string) map[int]float64 {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]float64{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var m struct {
			Step int      `json:"step"`
			Loss *float64 `json:"loss"`
		}
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("%s: %q: %v", path, line, err)
		}
		if m.Loss != nil {
			out[m.Step] = *m.Loss
		}
	}
	return out
}

// TestResumeIsExact interrupts a run at the end of epoch 1 and again in the
// middle of epoch 2, resumes it each time, and checks that it ends with the
// same weights, optimizer state and logged losses as a run that went
// straight through: without dropout, and with dropout (whose masks must
// continue where the interrupted run left them).
func TestResumeIsExact(t *testing.T) {
	for _, dropout := range []string{"0", "0.3"} {
		t.Run("dropout="+dropout, func(t *testing.T) { checkResumeIsExact(t, "model.dropout="+dropout) })
	}
}

// checkResumeIsExact runs TestResumeIsExact on the config with extra.
func checkResumeIsExact(t *testing.T, extra ...string) {
	ctx := context.Background()
	straight := t.TempDir()
	res, err := run(t, ctx, straight, false, nil, extra...)
	if err != nil {
		t.Fatal(err)
	}
	if res.Steps != 12 || res.Report == nil {
		t.Fatalf("straight run: %+v", res)
	}
	resumed := t.TempDir()
	for i, stop := range []int{6, 8} {
		cctx, cancel := context.WithCancel(ctx)
		_, err := run(t, cctx, resumed, i > 0, func(step int) {
			if step == stop {
				cancel()
			}
		}, extra...)
		cancel()
		var ie *InterruptedError
		if !errors.As(err, &ie) || !errors.Is(err, context.Canceled) || ie.Step != stop {
			t.Fatalf("interrupt at %d: %v", stop, err)
		}
		ck, err := ReadCheckpoint(filepath.Join(resumed, LastFile))
		if err != nil || ck.Step != stop || ck.Position.Epoch != stop/6 || ck.Position.Batch != stop%6 {
			t.Fatalf("checkpoint after interrupt at %d: %+v %v", stop, ck, err)
		}
	}
	res2, err := run(t, ctx, resumed, true, nil)
	if err != nil {
		t.Fatal(err)
	}
	tensorsEqual(t, filepath.Join(straight, LastFile), filepath.Join(resumed, LastFile))
	tensorsEqual(t, filepath.Join(straight, BestFile), filepath.Join(resumed, BestFile))
	if res.Report.AccuracyMean != res2.Report.AccuracyMean {
		t.Errorf("final verification %v vs %v", res.Report.AccuracyMean, res2.Report.AccuracyMean)
	}
	a, b := stepLosses(t, filepath.Join(straight, MetricsFile)), stepLosses(t, filepath.Join(resumed, MetricsFile))
	if len(a) != 6 || len(a) != len(b) {
		t.Fatalf("logged steps: %v vs %v", a, b)
	}
	for s, l := range a {
		if b[s] != l {
			t.Errorf("step %d: loss %v straight, %v resumed", s, l, b[s])
		}
	}
}

// TestNonFiniteLossStops diverges a run on purpose: it must stop with a
// NonFiniteError and a hint, leaving the last good checkpoint readable.
func TestNonFiniteLossStops(t *testing.T) {
	dir := t.TempDir()
	_, err := run(t, context.Background(), dir, false, nil, "optim.lr=1e30", "optim.schedule.warmup_steps=0", "train.ckpt_every=1", "train.val_every=0")
	var nf *NonFiniteError
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), "optim.lr") {
		t.Fatalf("want a NonFiniteError with a hint, got %v", err)
	}
	if nf.Step == 0 {
		t.Skip("diverged at the first step: no earlier checkpoint to check")
	}
	ck, err := ReadCheckpoint(filepath.Join(dir, LastFile))
	if err != nil || ck.Step != nf.Step || nf.Checkpoint == "" {
		t.Fatalf("last good checkpoint: %+v %v (failed at step %d)", ck, err, nf.Step)
	}
	for _, tn := range ck.File.Tensors {
		v, _, _ := ck.File.F32(tn.Name)
		for _, x := range v {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				t.Fatalf("checkpoint tensor %s holds %v", tn.Name, x)
			}
		}
	}
}

// TestRunRefusesExistingRun keeps a fresh run from overwriting one.
func TestRunRefusesExistingRun(t *testing.T) {
	dir := t.TempDir()
	if _, err := run(t, context.Background(), dir, false, nil, "train.epochs=1", "train.val_every=0"); err != nil {
		t.Fatal(err)
	}
	if _, err := run(t, context.Background(), dir, false, nil); err == nil || !strings.Contains(err.Error(), "--resume") {
		t.Fatalf("second run in %s: %v", dir, err)
	}
	for _, want := range []string{ConfigFile, LogFile, MetricsFile, LastFile} {
		if !fileExists(filepath.Join(dir, want)) {
			t.Errorf("run directory lacks %s", want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, BestFile)); err != nil {
		t.Errorf("best checkpoint: %v", err)
	}
}
