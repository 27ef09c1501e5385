// Package infer runs trained networks on images: the pair-verification
// report of `cocotrain eval-lfw` (a checkpoint, or the raw-pixel and
// Eigenfaces baselines) and the embeddings of `cocotrain embed`. It loads
// models through internal/checkpoint and scores through internal/eval, with
// the preprocessing the model was trained with.
package infer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/cocotrain/cocotrain/internal/align"
	"github.com/cocotrain/cocotrain/internal/checkpoint"
	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/eval"
	"github.com/cocotrain/cocotrain/internal/fileio"
)

// Baselines accepted by EvalOptions.Baseline.
const (
	BaselinePixels = "pixels"
	BaselinePCA    = "pca"
)

// EvalOptions are the inputs of one verification (`cocotrain eval-lfw`).
type EvalOptions struct {
	// Checkpoint is the model to score; Baseline ("pixels" or "pca")
	// scores a classical baseline instead (exactly one of them).
	Checkpoint string
	Baseline   string
	// LFWDir with Pairs (an LFW-layout tree and its pairs.txt) is the
	// verification set, or Bins (insightface validation bins: lfw.bin,
	// cfp_fp.bin, agedb_30.bin, ...) are the verification sets, each named
	// by its file name.
	LFWDir, Pairs string
	Bins          []string
	// Folds, when positive, re-splits each set into that many folds with
	// an equal share of matched and mismatched pairs in each
	// (data.VerificationSet.Refold): LFW View 1's one-fold pairsDevTest.txt
	// scored by 10-fold cross-validation. 0 keeps the folds of the file.
	Folds int
	// Landmarks, when set, is a landmark file (align.ReadLandmarks) for the
	// images of LFWDir: each is aligned on the fly to Template ("arcface",
	// at the network's input size, or "sphereface") before preprocessing,
	// with the transform `cocotrain align` uses.
	Landmarks, Template string
	// Crop ([x, y, w, h], used when w and h are positive) or CenterCrop
	// replaces the crop of the checkpoint's config; NoCrop removes it.
	Crop       [4]int
	CenterCrop int
	NoCrop     bool
	// Size and Channels are the baselines' image size and channels (the
	// checkpoint's own are used for a model); Components is the number of
	// Eigenfaces components (0: eval.DefaultComponents).
	Size, Channels, Components int
	// JSON prints the report as one JSON object instead of text (an
	// array of objects with a "set" key when there are several sets).
	JSON bool
	// ROCPNG and ROCCSV, when set, receive the ROC curve as a PNG plot
	// and as CSV (one set only).
	ROCPNG, ROCCSV string
	// BatchSize is the extraction batch size (0: 64); Threads the
	// network's goroutines (0: all cores).
	BatchSize, Threads int
	// Stdout receives the report.
	Stdout io.Writer
	// Progress, when set, is called after each batch of the extraction
	// with the images done and the total.
	Progress func(done, total int)
}

// namedSet is a verification set to load and the name its report row has.
type namedSet struct {
	name string // the report's row name
	path string // the file errors name
	load func() (*data.VerificationSet, error)
}

// binSetName names a verification set read from an insightface .bin file as
// training names it (metrics.jsonl's val_set, train.best_on): the file name
// without its extension, so lfw.bin is lfw.
func binSetName(path string) string {
	return strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
}

// sets lists the verification sets the options name, without loading them.
func (o *EvalOptions) sets() ([]namedSet, error) {
	switch {
	case len(o.Bins) > 0 && (o.LFWDir != "" || o.Pairs != ""):
		return nil, errors.New("give either lfw.bin files or an LFW directory with its pairs file, not both")
	case len(o.Bins) > 0:
		seen := map[string]int{}
		for _, b := range o.Bins {
			seen[binSetName(b)]++
		}
		var sets []namedSet
		for _, b := range o.Bins {
			name := binSetName(b)
			if seen[name] > 1 {
				name = b // two bins of one name: the paths tell them apart
			}
			sets = append(sets, namedSet{name, b, func() (*data.VerificationSet, error) { return data.LoadLFWBin(b) }})
		}
		return sets, nil
	case o.LFWDir != "" && o.Pairs != "":
		return []namedSet{{filepath.Base(o.Pairs), o.Pairs, func() (*data.VerificationSet, error) { return data.LoadLFW(o.LFWDir, o.Pairs) }}}, nil
	}
	return nil, errors.New("no verification set: give an LFW directory with its pairs file, or lfw.bin files")
}

// withCrop applies the crop options over pp.
func withCrop(pp data.Preprocess, crop [4]int, center int) data.Preprocess {
	if crop[2] > 0 && crop[3] > 0 {
		pp.Crop, pp.CenterCrop = crop, 0
	} else if center > 0 {
		pp.Crop, pp.CenterCrop = [4]int{}, center
	}
	return pp
}

// usedPreprocess returns the preprocessing pp (a model's, as its checkpoint
// records it, when fromModel; else a baseline's, from the flags) with the
// crop options over it, and where its crop came from.
func usedPreprocess(pp data.Preprocess, fromModel bool, crop [4]int, center int, noCrop bool) eval.Preprocessing {
	switch {
	case noCrop:
		pp.Crop, pp.CenterCrop = [4]int{}, 0
	case crop[2] > 0 && crop[3] > 0 || center > 0:
		pp = withCrop(pp, crop, center)
	case fromModel:
		return eval.Preprocessing{Preprocess: pp, Source: eval.FromCheckpoint}
	}
	return eval.Preprocessing{Preprocess: pp, Source: eval.FromFlags}
}

// SetReport is the report on one verification set, named by its file.
type SetReport struct {
	Set string
	*eval.Report
}

// MarshalJSON writes the report's object (eval.Report.MarshalJSON) with the
// key "set" first.
func (r SetReport) MarshalJSON() ([]byte, error) {
	b, err := json.Marshal(r.Report)
	if err != nil {
		return nil, err
	}
	name, err := json.Marshal(r.Set)
	if err != nil {
		return nil, err
	}
	return append(append([]byte(`{"set":`), name...), append([]byte{','}, b[1:]...)...), nil
}

// EvalLFW scores a checkpoint (or a baseline) on each verification set of
// opt, in order, prints the report (text or JSON: with one set, the report
// alone, as before several sets were possible; with several, a table or an
// array with one row per set) and writes the ROC files asked for (one set).
// Every set is loaded before the first is scored, so a bad file stops the
// command before the long part.
func EvalLFW(ctx context.Context, opt EvalOptions) ([]SetReport, error) {
	if opt.Stdout == nil {
		opt.Stdout = io.Discard
	}
	if (opt.Checkpoint == "") == (opt.Baseline == "") {
		return nil, errors.New("give either a checkpoint or a baseline")
	}
	var m *checkpoint.Model
	if opt.Checkpoint != "" {
		var err error
		if m, err = checkpoint.LoadModel(opt.Checkpoint, opt.Threads); err != nil {
			return nil, err
		}
	}
	named, err := opt.sets()
	if err != nil {
		return nil, err
	}
	if len(named) > 1 && (opt.ROCPNG != "" || opt.ROCCSV != "") {
		return nil, errors.New("the ROC files take one verification set, not several")
	}
	sets := make([]*data.VerificationSet, len(named))
	for i, n := range named {
		if sets[i], err = n.load(); err != nil {
			return nil, err
		}
		if opt.Folds > 0 {
			if err := sets[i].Refold(opt.Folds); err != nil {
				return nil, fmt.Errorf("%s: --folds: %w", n.path, err)
			}
		}
	}
	if opt.Landmarks != "" {
		size := opt.Size
		if m != nil {
			size = m.Preprocess().Size
		}
		if err := alignSet(sets[0], opt, size); err != nil {
			return nil, err
		}
	}
	reps := make([]SetReport, len(sets))
	for i, set := range sets {
		rep, err := evalSet(ctx, opt, m, set)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", named[i].path, err)
		}
		reps[i] = SetReport{named[i].name, rep}
	}
	if len(reps) == 1 {
		title := "ROC: " + reps[0].Method
		if m != nil {
			title = fmt.Sprintf("ROC: %s (%s)", m.Config.Model.Arch, filepath.Base(opt.Checkpoint))
		}
		return reps, writeReport(opt, reps[0].Report, title)
	}
	return reps, writeTable(opt, reps)
}

// alignSet replaces the images of the LFW-layout set by their aligned
// crops (opt.Landmarks, opt.Template at size).
func alignSet(set *data.VerificationSet, opt EvalOptions, size int) error {
	if len(opt.Bins) > 0 {
		return errors.New("landmarks align an LFW directory; a lfw.bin is aligned already")
	}
	if opt.Template == align.SphereFace {
		size = 0
	}
	tpl, err := align.NewTemplate(opt.Template, size)
	if err != nil {
		return err
	}
	lm, err := align.ReadLandmarks(opt.Landmarks)
	if err != nil {
		return err
	}
	src, err := align.NewSource(set.Images, opt.LFWDir, lm, tpl)
	if err != nil {
		return err
	}
	set.Images = src
	return nil
}

// evalSet scores the model m, or opt's baseline when m is nil, on set.
func evalSet(ctx context.Context, opt EvalOptions, m *checkpoint.Model, set *data.VerificationSet) (*eval.Report, error) {
	eo := eval.Options{BatchSize: opt.BatchSize, Progress: opt.Progress}
	var rep *eval.Report
	var err error
	var pp eval.Preprocessing
	switch {
	case m != nil:
		pp = usedPreprocess(m.Preprocess(), true, opt.Crop, opt.CenterCrop, opt.NoCrop)
		rep, err = eval.Evaluate(ctx, m, set, pp.Preprocess, eo)
	case opt.Baseline == BaselinePixels || opt.Baseline == BaselinePCA:
		pp = usedPreprocess(data.Preprocess{Size: opt.Size, Channels: opt.Channels}, false, opt.Crop, opt.CenterCrop, opt.NoCrop)
		if err := pp.Validate(); err != nil {
			return nil, err
		}
		if opt.Baseline == BaselinePixels {
			rep, err = eval.Pixels(ctx, set, pp.Preprocess, eo)
		} else {
			k := opt.Components
			if k <= 0 {
				k = eval.DefaultComponents
			}
			rep, err = eval.Eigenfaces(ctx, set, pp.Preprocess, k, eo)
		}
	default:
		return nil, fmt.Errorf("unknown baseline %q (want %s or %s)", opt.Baseline, BaselinePixels, BaselinePCA)
	}
	if rep != nil {
		rep.Preprocess = &pp
	}
	return rep, err
}

// writeReport prints rep and writes its ROC files, the plot under title.
func writeReport(opt EvalOptions, rep *eval.Report, title string) error {
	if opt.JSON {
		b, err := json.Marshal(rep)
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(opt.Stdout, "%s\n", b); err != nil {
			return err
		}
	} else if err := rep.WriteText(opt.Stdout); err != nil {
		return err
	}
	if opt.ROCPNG != "" {
		if err := fileio.WriteFile(opt.ROCPNG, func(w io.Writer) error { return rep.ROC.WritePNG(w, title) }); err != nil {
			return err
		}
	}
	if opt.ROCCSV != "" {
		if err := fileio.WriteFile(opt.ROCCSV, rep.ROC.WriteCSV); err != nil {
			return err
		}
	}
	return nil
}
