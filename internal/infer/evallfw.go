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
	// LFWDir with Pairs (an LFW-layout tree and its pairs.txt) or Bin (an
	// insightface lfw.bin) is the verification set.
	LFWDir, Pairs, Bin string
	// Crop ([x, y, w, h], used when w and h are positive) or CenterCrop
	// replaces the crop of the checkpoint's config.
	Crop       [4]int
	CenterCrop int
	// Size and Channels are the baselines' image size and channels (the
	// checkpoint's own are used for a model); Components is the number of
	// Eigenfaces components (0: eval.DefaultComponents).
	Size, Channels, Components int
	// JSON prints the report as one JSON object instead of text.
	JSON bool
	// ROCPNG and ROCCSV, when set, receive the ROC curve as a PNG plot
	// and as CSV.
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

// loadSet opens the verification set the options name.
func (o *EvalOptions) loadSet() (*data.VerificationSet, error) {
	switch {
	case o.Bin != "" && (o.LFWDir != "" || o.Pairs != ""):
		return nil, errors.New("give either a lfw.bin or an LFW directory with its pairs file, not both")
	case o.Bin != "":
		return data.LoadLFWBin(o.Bin)
	case o.LFWDir != "" && o.Pairs != "":
		return data.LoadLFW(o.LFWDir, o.Pairs)
	}
	return nil, errors.New("no verification set: give an LFW directory with its pairs file, or a lfw.bin")
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

// EvalLFW scores a checkpoint (or a baseline) on a verification set, prints
// the report (text or JSON) and writes the ROC files asked for.
func EvalLFW(ctx context.Context, opt EvalOptions) (*eval.Report, error) {
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
	set, err := opt.loadSet()
	if err != nil {
		return nil, err
	}
	eo := eval.Options{BatchSize: opt.BatchSize, Progress: opt.Progress}
	var rep *eval.Report
	switch {
	case m != nil:
		rep, err = eval.Evaluate(ctx, m, set, withCrop(m.Preprocess(), opt.Crop, opt.CenterCrop), eo)
	case opt.Baseline == BaselinePixels || opt.Baseline == BaselinePCA:
		pp := withCrop(data.Preprocess{Size: opt.Size, Channels: opt.Channels}, opt.Crop, opt.CenterCrop)
		if err := pp.Validate(); err != nil {
			return nil, err
		}
		if opt.Baseline == BaselinePixels {
			rep, err = eval.Pixels(ctx, set, pp, eo)
		} else {
			k := opt.Components
			if k <= 0 {
				k = eval.DefaultComponents
			}
			rep, err = eval.Eigenfaces(ctx, set, pp, k, eo)
		}
	default:
		return nil, fmt.Errorf("unknown baseline %q (want %s or %s)", opt.Baseline, BaselinePixels, BaselinePCA)
	}
	if err != nil {
		return nil, err
	}
	title := "ROC: " + rep.Method
	if m != nil {
		title = fmt.Sprintf("ROC: %s (%s)", m.Config.Model.Arch, filepath.Base(opt.Checkpoint))
	}
	if err := writeReport(opt, rep, title); err != nil {
		return nil, err
	}
	return rep, nil
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
