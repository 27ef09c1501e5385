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

	"github.com/cocotrain/cocotrain/internal/checkpoint"
	"github.com/cocotrain/cocotrain/internal/safetensors"
)

// smallConfig is a run small enough for a unit test, written out here so
// that changing the demo (configs/tiny-synth.yaml) does not change what
// these tests train: 12 synthetic identities of 8 images at 16×16 (6
// iterations of 16 per epoch, 2 epochs), 20 verification identities,
// verified every 4 steps. Keys not listed (AdamW's, the other losses' and
// schedules', the crop) do not affect this run.
const smallConfig = `
model: {arch: tiny, input_size: 16, channels: 1, embedding_dim: 16, dropout: 0}
loss: {type: coco, alpha: auto, epsilon: 0.99, aux_softmax_weight: 0}
optim:
  name: sgd
  lr: 0.05
  momentum: 0.9
  nesterov: false
  weight_decay: 0.0005
  no_decay: [norm, bias, prelu]
  clip_grad_norm: 0
  schedule: {kind: cosine, warmup_steps: 2, warmup_epochs: 0, min_lr: 0}
data:
  path: ""
  augment: {flip: true, shift: 0.04, scale: 0.04, brightness: 0.1, contrast: 0.1, grey: 0}
  workers: 0
  prefetch: 4
  min_images_per_class: 0
  balanced: false
  skip_bad: false
synth:
  identities: 12
  per_identity: 8
  eval_identities: 20
  eval_per_identity: 2
  size: 16
  channels: 1
  seed: 1
  difficulty: 0.7
  nuisance: {rotation: 10, scale: 0.12, shift: 0.08, yaw: 15, lighting: 0.5, exposure: 0.15,
    expression: 0.5, blur: 0.8, noise: 0.05, occlusion: 0.1}
train:
  epochs: 2
  batch_size: 16
  seed: 1
  threads: 1
  log_every: 2
  val_every: 4
  ckpt_every: 0
  val_batch_size: 128
`

// run trains smallConfig with the --set overrides extra in dir (resume:
// the checkpoint's config with extra).
func run(t *testing.T, ctx context.Context, dir string, resume bool, afterStep func(int), extra ...string) (*Result, error) {
	t.Helper()
	var out bytes.Buffer
	opt := Options{OutDir: dir, Resume: resume, Stdout: &out, AfterStep: afterStep, Sets: extra}
	if !resume {
		opt.ConfigPath = filepath.Join(t.TempDir(), "small.yaml")
		if err := os.WriteFile(opt.ConfigPath, []byte(smallConfig), 0o644); err != nil {
			t.Fatal(err)
		}
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
	for _, k := range []string{checkpoint.MetaStep, checkpoint.MetaEpoch, checkpoint.MetaRNG, checkpoint.MetaClasses, checkpoint.MetaDataDigest, checkpoint.MetaValAcc, checkpoint.MetaBestVal, "optim.step"} {
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
// middle of epoch 2, resumes it each time (the last time on 3 threads), and
// checks that it ends with the same weights, optimizer state and logged
// losses as a run that went straight through on one: without dropout, and
// with dropout (whose masks must continue where the interrupted run left
// them).
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
	res2, err := run(t, ctx, resumed, true, nil, append(extra, "train.threads=3")...)
	if err != nil {
		t.Fatal(err)
	}
	if ck, err := ReadCheckpoint(filepath.Join(resumed, LastFile)); err != nil || ck.Config.Train.Threads != 3 {
		t.Fatalf("the last leg did not run on 3 threads: %v", err)
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
