package train

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/eval"
	"github.com/cocotrain/cocotrain/internal/loss"
	"github.com/cocotrain/cocotrain/internal/model"
	"github.com/cocotrain/cocotrain/internal/optim"
	"github.com/cocotrain/cocotrain/internal/params"
	"github.com/schollz/progressbar/v3"
)

// runner is one training run being executed: everything the loop touches.
type runner struct {
	opt     Options
	cfg     Config
	dir     string
	src     data.Source
	loader  *data.Loader
	classes []string
	digest  string
	val     *valSets // nil: no verification
	valName string   // the sets' names, for the log
	valPre  data.Preprocess
	arena   *params.Arena
	net     *model.Net
	head    loss.Head
	optim   *optim.Optimizer
	sched   *optim.Schedule
	spe     int // iterations per epoch
	total   int // iterations of the run
	step    int // iterations completed
	bestVal float64
	dEmb    []float32
	log     *logger
	lastCk  string // the last checkpoint written or resumed from ("" if none)
	// win holds the metrics since the last log line; its loss and accuracy
	// sums go into checkpoints, so a resumed run logs what a straight one
	// does.
	win window
	// lastSave is when last.safetensors was last written (or the run
	// started): train.ckpt_minutes counts from it.
	lastSave time.Time
	// valPending is set on resuming from a checkpoint whose step was due a
	// verification that an interruption skipped: the loop runs it first, so
	// best.safetensors ends as in a run that was never interrupted.
	valPending bool
	closers    []func() error
}

// setup resolves and checks the config, opens and checks the data, builds
// the network, head and optimizer and restores a checkpoint on resume (or,
// with train.init_from, starts from another run's backbone); only
// then does it create (or, on resume, take over) the run directory, so that
// a run refused for any reason leaves nothing behind. The run directory is
// locked for the run's life (lockRunDir).
func setup(ctx context.Context, opt Options) (_ *runner, err error) {
	r := &runner{opt: opt, bestVal: math.NaN()}
	defer func() {
		if err != nil {
			r.close()
		}
	}()
	if opt.Resume && opt.OutDir != "" && dirExists(opt.OutDir) {
		// Lock before reading the checkpoint that a live run may be replacing.
		if err := r.lockDir(opt.OutDir); err != nil {
			return nil, err
		}
	}
	cfg, ck, err := resolveConfig(opt)
	if err != nil {
		return nil, err
	}
	if !opt.Resume {
		if err := checkFresh(opt.OutDir); err != nil {
			return nil, err
		}
	}
	src, syn, err := openTrainingSet(ctx, cfg)
	if err != nil {
		return nil, movedHint(err, opt, cfg.Data.Path, "--data")
	}
	cfg.Data = cfg.Data.WithSourceCrop(src) // a pack's crop: the checkpoint records it
	r.cfg = cfg
	if c, ok := src.(io.Closer); ok {
		r.closers = append(r.closers, c.Close)
	}
	r.src = src
	m := cfg.Model
	pre := cfg.Data.Preprocess(m.InputSize, m.Channels)
	if r.loader, err = data.NewLoader(src, cfg.Data, pre, cfg.Train.BatchSize, cfg.Train.Seed); err != nil {
		return nil, err
	}
	r.classes = r.loader.Classes()
	r.digest = data.Digest(src)
	if r.val, r.valName, err = openValSet(cfg, syn); err != nil {
		return nil, movedHint(err, opt, valPaths(r.cfg.Train), "--val-bin (or --val-dir and --val-pairs)")
	}
	r.valPre = pre
	if err := r.checkData(); err != nil {
		return nil, err
	}
	if err := r.build(); err != nil {
		return nil, err
	}
	if err := checkSchedule(r.sched.Warmup(), r.total); err != nil {
		return nil, err
	}
	var initLog []string
	if ck == nil && cfg.Train.InitFrom != "" {
		if initLog, err = r.initFrom(ctx); err != nil { // initfrom.go
			return nil, err
		}
	}
	resumeStep := -1
	if ck != nil {
		if err := r.restore(ck); err != nil {
			return nil, err
		}
		resumeStep = ck.Step
	}
	if err := r.openDir(); err != nil {
		return nil, err
	}
	r.lastSave = time.Now()
	printConfig(opt.Stdout, cfg)
	if err := writeConfig(filepath.Join(r.dir, ConfigFile), cfg); err != nil {
		return nil, err
	}
	var bar *progressbar.ProgressBar
	if opt.Progress {
		bar = newBar(opt.Stderr, r.total, r.step)
	}
	if r.log, err = openLogger(filepath.Join(r.dir, MetricsFile), filepath.Join(r.dir, LogFile), resumeStep, cfg.Train.Epochs, bar, opt.Stderr); err != nil {
		return nil, err
	}
	r.closers = append(r.closers, r.log.Close)
	if w := threadsWarning(cfg.Train.Threads); w != "" {
		r.log.Printf("%s", w)
	}
	if ck != nil {
		r.log.Printf("resumed %s at step %d of %d (epoch %d)", ck.Path, r.step, r.total, r.step/r.spe)
	}
	s := r.net.Summary()
	r.log.Printf("model %s: %d parameters, %.1f MFLOPs per image; loss %s over %d classes; %d images, %d iterations per epoch, %d in all; verification: %s",
		m.Arch, s.Params, float64(s.FLOPs())/1e6, r.head.Type(), len(r.classes), r.loader.Len(), r.spe, r.total, orNone(r.valName))
	for _, l := range r.loader.Excluded().Lines() {
		r.log.Printf("%s", l)
	}
	r.logInitFrom(initLog, ck != nil)
	return r, nil
}

// lockDir takes the lock of the existing run directory dir for the run.
func (r *runner) lockDir(dir string) error {
	l, err := lockRunDir(dir)
	if err != nil {
		return err
	}
	r.closers = append(r.closers, l.Close)
	r.dir = dir
	return nil
}

// openDir creates the run directory of a fresh run (default
// runs/<UTC time>) and locks it; a resumed run holds its lock already.
func (r *runner) openDir() error {
	if r.dir != "" {
		return nil
	}
	dir := r.opt.OutDir
	if dir == "" {
		dir = filepath.Join("runs", time.Now().UTC().Format("20060102-150405"))
	}
	if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(LastFile)), 0o755); err != nil {
		return err
	}
	if err := r.lockDir(dir); err != nil {
		return err
	}
	if !r.opt.Resume {
		// Checked again under the lock: another run may have started here
		// since the first check.
		return checkFresh(dir)
	}
	return nil
}

// orNone returns s, or "none" when it is empty.
func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// build declares and initialises the network and head in one arena and
// creates the optimizer and the schedule.
func (r *runner) build() error {
	cfg := r.cfg
	r.arena = params.New()
	net, err := model.New(cfg.Model, r.arena)
	if err != nil {
		return err
	}
	head, err := loss.New(cfg.Loss, net.EmbeddingDim(), len(r.classes), r.arena)
	if err != nil {
		return err
	}
	r.arena.Alloc()
	net.Init(cfg.Train.Seed)
	head.Init(cfg.Train.Seed + 1)
	net.SetThreads(cfg.Train.Threads)
	net.SetTraining(true)
	r.net, r.head = net, head
	if r.optim, err = optim.New(cfg.Optim, r.arena); err != nil {
		return err
	}
	if err := r.freezeBackbone(); err != nil {
		return err
	}
	r.spe = r.loader.BatchesPerEpoch()
	r.total = cfg.Train.Epochs * r.spe
	if r.sched, err = optim.NewSchedule(cfg.Optim.Schedule, cfg.Optim.LR, r.spe, r.total); err != nil {
		return err
	}
	r.dEmb = make([]float32, cfg.Train.BatchSize*net.EmbeddingDim())
	return nil
}

// restore loads a checkpoint into the built run after checking that it was
// made on the same data with the same batching.
func (r *runner) restore(ck *Checkpoint) error {
	if ck.DataDigest != r.digest {
		return fmt.Errorf("resuming: %s was trained on other data (digest %s, this data %s): resume needs the same training set", ck.Path, ck.DataDigest, r.digest)
	}
	if !slices.Equal(ck.Classes, r.classes) {
		return fmt.Errorf("resuming: %s has %d classes, the training set %d", ck.Path, len(ck.Classes), len(r.classes))
	}
	if got := ck.Position.Epoch*r.spe + ck.Position.Batch; got != ck.Step || ck.Position.Seed != r.cfg.Train.Seed {
		return fmt.Errorf("resuming: %s stands at epoch %d batch %d (seed %d), which is not step %d with %d batches per epoch (seed %d): train.batch_size, train.seed or the data changed",
			ck.Path, ck.Position.Epoch, ck.Position.Batch, ck.Position.Seed, ck.Step, r.spe, r.cfg.Train.Seed)
	}
	if err := ck.LoadParams(r.arena); err != nil {
		return err
	}
	if err := r.optim.LoadState(ck.File); err != nil {
		return fmt.Errorf("%s: %w", ck.Path, err)
	}
	r.step, r.bestVal, r.lastCk = ck.Step, ck.BestVal, ck.Path
	r.win = window{loss: ck.Window.Loss, acc: ck.Window.Acc, steps: ck.Window.Steps}
	t := r.cfg.Train
	r.valPending = r.val != nil && t.ValEvery > 0 && r.step%t.ValEvery == 0 && r.step < r.total && math.IsNaN(ck.ValAcc)
	return nil
}

// close releases the run's files and data.
func (r *runner) close() {
	for i := len(r.closers) - 1; i >= 0; i-- {
		r.closers[i]()
	}
	r.closers = nil
}

// trainStep runs one iteration on b: forward (with the dropout masks of
// this step), loss, backward, optimizer step at the schedule's learning rate.
// While train.freeze_backbone_steps hold the backbone, only the head's part
// of it runs (freeze.go).
func (r *runner) trainStep(b *data.Batch) (lossV, acc float64, err error) {
	n := len(b.Labels)
	r.arena.ZeroGrad()
	emb := r.forward(b.X, n) // freeze.go
	lossV, acc = r.head.Forward(emb, b.Labels)
	if !finite(lossV) {
		return lossV, acc, &NonFiniteError{Step: r.step, What: "loss", Value: lossV, Checkpoint: r.lastCk}
	}
	dEmb := r.dEmb[:n*r.net.EmbeddingDim()]
	r.head.Backward(dEmb)
	if !r.frozen() {
		r.net.Backward(dEmb)
	}
	if g := r.optim.Step(r.sched.LR(r.step)); !finite(g) { // a non-finite norm changes nothing
		return lossV, acc, &NonFiniteError{Step: r.step, What: "gradient norm", Value: g, Checkpoint: r.lastCk}
	}
	r.step++
	return lossV, acc, nil
}

// window accumulates the training metrics between two log lines. Its
// timings start afresh on resume; the sums come from the checkpoint.
type window struct {
	loss, acc float64
	steps     int
	images    int
	busy      time.Duration // time spent in training steps
	wait      time.Duration // time spent waiting for the loader's batches
}

// loop trains to the end (or to cancellation), verifying, logging and
// checkpointing on the way.
func (r *runner) loop(ctx context.Context) (*Result, error) {
	t := r.cfg.Train
	w := &r.win
	if r.valPending {
		r.valPending = false
		if err := r.verifyAndSave(ctx); err != nil {
			return nil, err
		}
		if ctx.Err() != nil {
			return nil, r.interrupt()
		}
	}
	for r.step < r.total {
		epoch, start := r.step/r.spe, r.step%r.spe
		it := r.loader.Epoch(ctx, epoch, start)
		for r.step < (epoch+1)*r.spe {
			if ctx.Err() != nil {
				break
			}
			tw := time.Now()
			b, err := it.Next()
			w.wait += time.Since(tw)
			if errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				if ctx.Err() != nil {
					break
				}
				it.Close()
				return nil, err
			}
			t0 := time.Now()
			lossV, acc, err := r.trainStep(b)
			if err != nil {
				it.Close()
				return nil, err
			}
			w.loss, w.acc, w.steps, w.images = w.loss+lossV, w.acc+acc, w.steps+1, w.images+len(b.Labels)
			w.busy += time.Since(t0)
			r.log.Advance(r.step, func() StepMetrics { return r.windowMetrics(w) })
			if r.opt.AfterStep != nil {
				r.opt.AfterStep(r.step)
			}
			if r.step%t.LogEvery == 0 || r.step == r.total {
				if err := r.logWindow(w); err != nil {
					it.Close()
					return nil, err
				}
			}
			if err := r.periodic(ctx); err != nil {
				it.Close()
				return nil, err
			}
		}
		it.Close()
		if ctx.Err() != nil {
			return nil, r.interrupt()
		}
	}
	return r.finish(ctx)
}

// logWindow writes the metrics of the window and starts a new one.
func (r *runner) logWindow(w *window) error {
	if w.steps == 0 {
		return nil
	}
	m := r.windowMetrics(w)
	*w = window{}
	return r.log.Step(m)
}

// windowMetrics returns the means of the window w (with at least one
// step) as the metrics line of the current step.
func (r *runner) windowMetrics(w *window) StepMetrics {
	return StepMetrics{
		Step:       r.step,
		Epoch:      float64(r.step) / float64(r.spe),
		LR:         r.sched.LR(r.step - 1),
		Loss:       w.loss / float64(w.steps),
		Acc:        w.acc / float64(w.steps),
		ImagesPerS: float64(w.images) / (w.busy + w.wait).Seconds(),
		DataWait:   w.wait.Seconds() / (w.busy + w.wait).Seconds(),
	}
}

// periodic verifies and checkpoints when the step calls for it, or when
// train.ckpt_minutes have passed since the last checkpoint (the last step is
// left to finish).
func (r *runner) periodic(ctx context.Context) error {
	t := r.cfg.Train
	if r.step == r.total {
		return nil
	}
	if r.val != nil && t.ValEvery > 0 && r.step%t.ValEvery == 0 {
		return r.verifyAndSave(ctx)
	}
	due := t.CkptEvery > 0 && r.step%t.CkptEvery == 0
	if due || t.CkptMinutes > 0 && time.Since(r.lastSave).Minutes() >= t.CkptMinutes {
		return r.save(filepath.Join(r.dir, LastFile), math.NaN())
	}
	return nil
}

// verifyAndSave runs a periodic verification, then writes best.safetensors
// (when it improved) and last.safetensors. A verification cut short by
// cancellation writes nothing: the loop then writes the interruption's
// checkpoint, and the resumed run verifies this step first.
func (r *runner) verifyAndSave(ctx context.Context) error {
	_, score, err := r.verify(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	if err := r.saveBest(score); err != nil {
		return err
	}
	return r.save(filepath.Join(r.dir, LastFile), score)
}

// verify scores every verification set with the network in eval mode and
// logs each outcome (a training.log line and a metrics.jsonl record with
// its val_set); with several sets, a line gives the mean. It returns one
// report per set, in order, and the score best.safetensors follows
// (train.best_on).
func (r *runner) verify(ctx context.Context) ([]ValReport, float64, error) {
	reps := make([]ValReport, len(r.val.sets))
	for i, s := range r.val.sets {
		t0 := time.Now()
		rep, err := eval.Evaluate(ctx, r.net, s.set, r.valPre, eval.Options{BatchSize: r.cfg.Train.ValBatchSize, Progress: r.log.Verifying})
		if err != nil {
			return nil, 0, fmt.Errorf("verification on %s: %w", s.name, err)
		}
		r.log.Printf("step %d verification on %s: Accuracy-Flip %.4f ± %.4f (threshold %.2f, %d pairs, %.1fs)",
			r.step, s.name, rep.AccuracyMean, rep.AccuracyStd, rep.ThresholdL2, rep.Pairs, time.Since(t0).Seconds())
		err = r.log.Metrics(ValMetrics{Step: r.step, Epoch: float64(r.step) / float64(r.spe), ValSet: s.name,
			ValAccuracy: rep.AccuracyMean, ValStd: rep.AccuracyStd, ValThreshold: rep.ThresholdL2})
		if err != nil {
			return nil, 0, err
		}
		reps[i] = ValReport{s.name, rep}
	}
	score := r.val.score(reps)
	if len(reps) > 1 {
		r.log.Printf("step %d verification: mean accuracy %.4f over %d sets; best.safetensors follows %s (%.4f)",
			r.step, meanAccuracy(reps), len(reps), r.val.scoreName(), score)
	}
	return reps, score, nil
}

// saveBest writes best.safetensors when score (train.best_on's accuracy)
// beats the best so far.
func (r *runner) saveBest(score float64) error {
	if !math.IsNaN(r.bestVal) && score <= r.bestVal {
		return nil
	}
	r.bestVal = score
	return r.save(filepath.Join(r.dir, BestFile), score)
}

// save writes the run's state at the current step to path.
func (r *runner) save(path string, valAcc float64) error {
	err := saveCheckpoint(path, r.arena, r.optim, checkpointMeta{
		cfg: r.cfg, step: r.step, epoch: r.step / r.spe, classes: r.classes, digest: r.digest,
		pos:     Position{Seed: r.cfg.Train.Seed, Epoch: r.step / r.spe, Batch: r.step % r.spe},
		bestVal: r.bestVal, valAcc: valAcc,
		window: LogWindow{Loss: r.win.loss, Acc: r.win.acc, Steps: r.win.steps},
	})
	if err != nil {
		return err
	}
	if path == filepath.Join(r.dir, LastFile) {
		r.lastCk, r.lastSave = path, time.Now()
	}
	return nil
}

// interrupt writes the checkpoint of a cancelled run and returns its error.
func (r *runner) interrupt() error {
	path := filepath.Join(r.dir, LastFile)
	if err := r.save(path, math.NaN()); err != nil {
		return fmt.Errorf("interrupted, and the checkpoint failed: %w", err)
	}
	r.logSkipped()
	r.log.Printf("interrupted after step %d: wrote %s", r.step, path)
	return &InterruptedError{Step: r.step, Checkpoint: path}
}

// finish verifies the final network on every set, writes the last (and
// best) checkpoints and prints the report: one line per verification set
// (and their mean when there are several).
func (r *runner) finish(ctx context.Context) (*Result, error) {
	res := &Result{RunDir: r.dir, Steps: r.step, LastCheckpoint: filepath.Join(r.dir, LastFile)}
	score := math.NaN()
	if r.val != nil {
		reps, s, err := r.verify(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil, r.interrupt()
			}
			return nil, err
		}
		res.Reports, res.Report, score = reps, reps[0].Report, s
		if err := r.saveBest(score); err != nil {
			return nil, err
		}
		res.BestCheckpoint = filepath.Join(r.dir, BestFile)
	}
	if err := r.save(res.LastCheckpoint, score); err != nil {
		return nil, err
	}
	r.logSkipped()
	if ls, ok := r.src.(*landmarkSet); ok {
		r.log.Printf("%s", ls.summary(r.cfg.Data.Landmarks))
	}
	r.log.Printf("finished %d iterations: %s", r.step, res.LastCheckpoint)
	for _, rep := range res.Reports {
		fmt.Fprintf(r.opt.Stdout, "verification on %s (%d pairs, %d folds): accuracy %.4f ± %.4f\n",
			rep.Set, rep.Pairs, rep.Folds, rep.AccuracyMean, rep.AccuracyStd)
	}
	if len(res.Reports) > 1 {
		fmt.Fprintf(r.opt.Stdout, "mean accuracy over the %d sets: %.4f; best.safetensors follows %s (best %.4f)\n",
			len(res.Reports), meanAccuracy(res.Reports), r.val.scoreName(), r.bestVal)
	}
	return res, nil
}

// logSkipped reports the images that data.skip_bad passed over, by name
// (the first 20).
func (r *runner) logSkipped() {
	names := r.loader.SkippedNames()
	if len(names) == 0 {
		return
	}
	n, more := len(names), ""
	if n > 20 {
		names, more = names[:20], fmt.Sprintf(" and %d more", len(names)-20)
	}
	r.log.Printf("data.skip_bad: skipped %d images that failed to read: %s%s", n, strings.Join(names, ", "), more)
}
