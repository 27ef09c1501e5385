package train

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/cocotrain/cocotrain/internal/data"
)

// BestOnMean is the train.best_on value that makes best.safetensors follow
// the mean accuracy over the verification sets.
const BestOnMean = "mean"

// syntheticSet names the built-in synthetic pairs as a verification set.
const syntheticSet = "synthetic"

// valSource is a verification set of a config, not yet loaded: its name
// (what metrics.jsonl's val_set, training.log and train.best_on call it),
// the file or directory it comes from, and how to load it.
type valSource struct {
	name, path string
	load       func() (*data.VerificationSet, error)
}

// valSources lists the verification sets of cfg in order: each
// train.val_bin, named by its file name without the extension (lfw.bin is
// lfw), then train.val_dir with train.val_pairs, named by the directory
// (aligned when train.val_landmarks is set);
// with none of them, the synthetic pairs when training on the built-in
// faces (syn, nil when only the names are wanted).
func valSources(cfg Config, syn *synthSet) []valSource {
	t := cfg.Train
	var out []valSource
	for _, b := range t.ValBin {
		out = append(out, valSource{
			name: strings.TrimSuffix(filepath.Base(b), filepath.Ext(b)),
			path: b,
			load: func() (*data.VerificationSet, error) { return data.LoadLFWBin(b) },
		})
	}
	if t.ValDir != "" {
		out = append(out, valSource{
			name: filepath.Base(filepath.Clean(t.ValDir)),
			path: t.ValDir,
			load: func() (*data.VerificationSet, error) {
				v, err := data.LoadLFW(t.ValDir, t.ValPairs)
				if err != nil || t.ValLandmarks == "" {
					return v, err
				}
				return alignValSet(v, cfg)
			},
		})
	}
	if len(out) == 0 && cfg.Data.Path == "" {
		out = append(out, valSource{
			name: syntheticSet,
			load: func() (*data.VerificationSet, error) { return syn.val, nil },
		})
	}
	return out
}

// checkValSets refuses two verification sets of one name (best_on and the
// metrics could not tell them apart) and a train.best_on that names no set.
func checkValSets(cfg Config) error {
	var names []string
	for _, s := range valSources(cfg, nil) {
		if i := slices.Index(names, s.name); i >= 0 {
			return fmt.Errorf("train.val_bin/train.val_dir: two verification sets are named %q (%s and %s): a set is named by its file (or directory) name, rename one",
				s.name, valSources(cfg, nil)[i].path, s.path)
		}
		names = append(names, s.name)
	}
	b := cfg.Train.BestOn
	if b == "" || b == BestOnMean || slices.Contains(names, b) {
		return nil
	}
	if len(names) == 0 {
		return fmt.Errorf("train.best_on %q: the run has no verification set", b)
	}
	return fmt.Errorf("train.best_on %q names no verification set (want %s or one of: %s)", b, BestOnMean, strings.Join(names, ", "))
}

// valSets are the loaded verification sets of a run, in config order.
type valSets struct {
	sets []namedSet
	// bestOn is train.best_on: a set's name, or "" or BestOnMean for the
	// mean.
	bestOn string
}

// namedSet is one loaded verification set and its name.
type namedSet struct {
	name string
	set  *data.VerificationSet
}

// openValSet loads every verification set of cfg (valSources; syn is the
// built-in training set, nil when training on files) before anything is
// written, so that a bad file stops the run at once, naming it. It returns
// the sets and their names joined for the log, or nil when there is none.
func openValSet(cfg Config, syn *synthSet) (*valSets, string, error) {
	srcs := valSources(cfg, syn)
	if len(srcs) == 0 {
		return nil, "", nil
	}
	v := &valSets{bestOn: cfg.Train.BestOn}
	var names []string
	for _, s := range srcs {
		set, err := s.load()
		if err != nil {
			return nil, "", err
		}
		v.sets = append(v.sets, namedSet{s.name, set})
		names = append(names, s.name)
	}
	return v, strings.Join(names, ", "), nil
}

// valPaths joins the files and directories of the verification sets of
// t, for a message.
func valPaths(t Settings) string {
	paths := slices.Clone([]string(t.ValBin))
	if t.ValDir != "" {
		paths = append(paths, t.ValDir)
	}
	return strings.Join(paths, ", ")
}

// score returns what best.safetensors follows among reps (one report per
// set of v, in order): the accuracy of the set named by bestOn, or the
// mean accuracy over the sets.
func (v *valSets) score(reps []ValReport) float64 {
	if i := slices.IndexFunc(v.sets, func(s namedSet) bool { return s.name == v.bestOn }); i >= 0 {
		return reps[i].AccuracyMean
	}
	return meanAccuracy(reps)
}

// meanAccuracy is the mean accuracy over reps (at least one).
func meanAccuracy(reps []ValReport) float64 {
	sum := 0.0
	for _, r := range reps {
		sum += r.AccuracyMean
	}
	return sum / float64(len(reps))
}

// scoreName says what score follows, for the log.
func (v *valSets) scoreName() string {
	if v.bestOn == "" || v.bestOn == BestOnMean {
		return fmt.Sprintf("the mean over %d sets", len(v.sets))
	}
	return v.bestOn
}
