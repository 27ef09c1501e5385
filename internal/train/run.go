// Package train runs training: it composes the model, loss, optim, data and
// synth sections into one Config, feeds seeded batches through the network
// and the loss head, steps the optimizer on the learning-rate schedule,
// verifies on face pairs, and writes the run directory (config.yaml,
// training.log, metrics.jsonl, checkpoints/last.safetensors and
// best.safetensors). A run resumes exactly from its last checkpoint, stops
// cleanly on cancellation, and refuses to go on with a non-finite loss.
package train

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/cocotrain/cocotrain/internal/config"
	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/eval"
)

// Options are the inputs of one training run (the flags of `cocotrain
// train`). Empty fields keep the config's value.
type Options struct {
	// ConfigPath is the YAML config ("" for the embedded default,
	// configs/tiny-synth.yaml). Not allowed with Resume: the checkpoint
	// holds the config.
	ConfigPath string
	// DataPath overrides data.path: an ImageFolder directory, a .rec or a
	// .pack file.
	DataPath string
	// ExcludePairs are appended to data.exclude_pairs (pairs files whose
	// identities are dropped from the training set).
	ExcludePairs []string
	// ValBins (insightface validation bins: lfw.bin, cfp_fp.bin, ...) and
	// ValDir with ValPairs (an LFW-layout directory and its pairs.txt)
	// override the verification sets.
	ValBins          []string
	ValDir, ValPairs string
	// Landmarks overrides data.landmarks: align the training ImageFolder on
	// the fly with this landmark file.
	Landmarks string
	// OutDir is the run directory (default runs/<UTC time>).
	OutDir string
	// Resume continues the run in OutDir from checkpoints/last.safetensors.
	Resume bool
	// InitFrom overrides train.init_from: another run's checkpoint whose
	// backbone starts this (new) run.
	InitFrom string
	// Sets are --set key=value overrides, applied last in order.
	Sets []string
	// Stdout receives the resolved config and the final report; Stderr the
	// progress (a bar when Progress, else log lines). nil discards.
	Stdout, Stderr io.Writer
	// Progress draws a progress bar on Stderr (for a terminal).
	Progress bool
	// AfterStep, when set, is called after every completed iteration with
	// the number of iterations done (progress reporting; tests use it to
	// interrupt a run at a known step).
	AfterStep func(step int)
}

// Result summarises a finished run.
type Result struct {
	RunDir string
	// Steps is the number of iterations completed (all of them).
	Steps int
	// Elapsed is the wall time of this invocation (setup included).
	Elapsed time.Duration
	// Report is the final verification on the first verification set (nil
	// without one); Reports holds one per set, in order.
	Report  *eval.Report
	Reports []ValReport
	// LastCheckpoint and BestCheckpoint are the paths written ("" for best
	// when there was no verification).
	LastCheckpoint, BestCheckpoint string
}

// ValReport is the final verification on one set, named as metrics.jsonl
// names it (val_set).
type ValReport struct {
	Set string
	*eval.Report
}

// Paths inside a run directory.
const (
	ConfigFile  = "config.yaml"
	LogFile     = "training.log"
	MetricsFile = "metrics.jsonl"
	LastFile    = "checkpoints/last.safetensors"
	BestFile    = "checkpoints/best.safetensors"
)

// Run trains as opt says and returns the finished run's summary. A cancelled
// ctx finishes the current step, writes checkpoints/last.safetensors and
// returns an *InterruptedError; a non-finite loss returns a
// *NonFiniteError with the last good checkpoint left on disk.
func Run(ctx context.Context, opt Options) (*Result, error) {
	start := time.Now()
	if opt.Stdout == nil {
		opt.Stdout = io.Discard
	}
	if opt.Stderr == nil {
		opt.Stderr = io.Discard
	}
	r, err := setup(ctx, opt)
	if err != nil {
		return nil, err
	}
	defer r.close()
	res, err := r.loop(ctx)
	if res != nil {
		res.Elapsed = time.Since(start)
	}
	var ie *InterruptedError
	if err != nil && !errors.As(err, &ie) {
		r.log.Printf("error: %v", err)
	}
	return res, err
}

// OptionsError is a combination of options that cannot work (a
// command-line mistake).
type OptionsError struct{ msg string }

func (e *OptionsError) Error() string { return e.msg }

// validate checks the options that go together or exclude each other.
func (opt Options) validate() error {
	bad := func(msg string) error { return &OptionsError{msg} }
	switch {
	case (opt.ValDir == "") != (opt.ValPairs == ""):
		return bad("--val-dir and --val-pairs go together")
	case opt.Resume && opt.OutDir == "":
		return bad("--resume needs --out RUNDIR (the run to continue)")
	case opt.Resume && opt.ConfigPath != "":
		return bad("--resume takes the config from the checkpoint: drop --config (use --set to change a value)")
	case opt.Resume && opt.InitFrom != "":
		return bad("--init-from starts a new run; --resume continues one from its own checkpoint, which already holds what was loaded")
	}
	return nil
}

// resolveConfig builds the run's config from the options: the checkpoint's
// config on resume, else the config file; then the flags and --set.
func resolveConfig(opt Options) (Config, *Checkpoint, error) {
	var cfg Config
	var ck *Checkpoint
	if err := opt.validate(); err != nil {
		return cfg, nil, err
	}
	if opt.Resume {
		var err error
		if ck, err = ReadCheckpoint(filepath.Join(opt.OutDir, LastFile)); err != nil {
			return cfg, nil, fmt.Errorf("resuming: %w", err)
		}
		cfg = ck.Config
	} else {
		var err error
		if cfg, err = LoadConfig(opt.ConfigPath, nil); err != nil {
			return cfg, nil, err
		}
	}
	if opt.DataPath != "" {
		cfg.Data.Path = opt.DataPath
	}
	if opt.InitFrom != "" {
		cfg.Train.InitFrom = opt.InitFrom
	}
	cfg.Data.ExcludePairs = append(cfg.Data.ExcludePairs, opt.ExcludePairs...)
	if opt.ValDir != "" || opt.ValPairs != "" || len(opt.ValBins) > 0 {
		cfg.Train.ValDir, cfg.Train.ValPairs, cfg.Train.ValBin = opt.ValDir, opt.ValPairs, slices.Clone(opt.ValBins)
	}
	if opt.Landmarks != "" {
		cfg.Data.Landmarks = opt.Landmarks
	}
	if err := applySets(&cfg, opt.Sets); err != nil {
		return cfg, nil, err
	}
	if err := absPaths(&cfg); err != nil {
		return cfg, nil, err
	}
	if err := cfg.Validate(); err != nil {
		return cfg, nil, err
	}
	if ck != nil {
		if err := checkArch(ck, cfg, opt.OutDir); err != nil {
			return cfg, nil, err
		}
	}
	return cfg, ck, nil
}

// absPaths makes the data, exclusion, verification and init_from paths of
// cfg absolute, so that the config saved in RUNDIR and in its checkpoints
// resumes from any working directory; a pairs file given twice (as on a
// resume that repeats --exclude-pairs) is kept once.
func absPaths(cfg *Config) error {
	paths := []*string{&cfg.Data.Path, &cfg.Data.Landmarks, &cfg.Train.ValDir, &cfg.Train.ValPairs, &cfg.Train.ValLandmarks, &cfg.Train.InitFrom}
	for i := range cfg.Train.ValBin {
		paths = append(paths, &cfg.Train.ValBin[i])
	}
	for i := range cfg.Data.ExcludePairs {
		paths = append(paths, &cfg.Data.ExcludePairs[i])
	}
	for _, p := range paths {
		if *p == "" {
			continue
		}
		a, err := filepath.Abs(*p)
		if err != nil {
			return err
		}
		*p = a
	}
	var ex []string
	for _, p := range cfg.Data.ExcludePairs {
		if !slices.Contains(ex, p) {
			ex = append(ex, p)
		}
	}
	cfg.Data.ExcludePairs = ex
	return nil
}

// movedHint turns the error of opening a resumed run's dataset that is no
// longer where the run recorded it into one that says how to go on.
func movedHint(err error, opt Options, path, flags string) error {
	if err != nil && opt.Resume && errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("resuming: %w: the run's data is no longer at %s; if it moved, pass %s again with its new place", err, path, flags)
	}
	return err
}

// checkFresh refuses to start a fresh run in a directory that already
// holds one ("" is a new directory).
func checkFresh(dir string) error {
	if dir != "" && fileExists(filepath.Join(dir, LastFile)) {
		return fmt.Errorf("%s already holds a run (%s): continue it with --resume or choose another --out", dir, LastFile)
	}
	return nil
}

// dirExists reports whether path names an existing directory.
func dirExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// printConfig writes the resolved config as aligned lines.
func printConfig(w io.Writer, cfg Config) {
	fmt.Fprintln(w, "config:")
	fmt.Fprint(w, config.Format(cfg))
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// openTrainingSet opens the training source of cfg: the dataset at
// data.path (aligned on the fly when data.landmarks is set), or the
// built-in synthetic faces when it is "".
func openTrainingSet(ctx context.Context, cfg Config) (data.Source, *synthSet, error) {
	if cfg.Data.Path == "" {
		s, err := newSynthSet(ctx, cfg.Synth)
		if err != nil {
			return nil, nil, err
		}
		return s.train, s, nil
	}
	if cfg.Data.Landmarks != "" {
		src, err := openLandmarkSet(cfg)
		if err != nil {
			return nil, nil, err
		}
		return src, nil, nil
	}
	src, err := data.Open(cfg.Data.Path)
	return src, nil, err
}
