// Package centers exports a trained head's class centroids: it reads the
// "head.centroids" tensor and the "classes" metadata of a cocotrain
// checkpoint and writes the unit centroids with the class names as NumPy
// .npy (plus a names file), CSV or JSON. It is the logic behind
// `cocotrain export-centers`.
package centers

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cocotrain/cocotrain/internal/checkpoint"
	"github.com/cocotrain/cocotrain/internal/loss"
	"github.com/cocotrain/cocotrain/internal/safetensors"
)

// Centers is K unit class centroids of dimension D with their names.
type Centers struct {
	Names []string  // K class names, in label order
	K, D  int       // number of classes, embedding dimension
	Data  []float32 // K×D row-major unit vectors
}

// Load reads the centroids of the checkpoint at path and normalises them to
// unit length (as the CoCo head does in every forward pass). A checkpoint
// whose loss head has no "head.centroids" tensor (softmax, center) is an
// error naming the head tensors it has.
func Load(path string) (*Centers, error) {
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if f.Tensor(loss.ParamCentroids) == nil {
		var head []string
		for _, t := range f.Tensors {
			if strings.HasPrefix(t.Name, "head.") {
				head = append(head, t.Name)
			}
		}
		sort.Strings(head)
		has := "no head.* tensors"
		if len(head) > 0 {
			has = "only " + strings.Join(head, ", ")
		}
		return nil, fmt.Errorf("%s: the loss head has no class centroids (tensor %q; the checkpoint has %s): export-centers needs a coco, normface, cosface or arcface head",
			path, loss.ParamCentroids, has)
	}
	v, shape, err := f.F32(loss.ParamCentroids)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(shape) != 2 || shape[0] < 1 || shape[1] < 1 {
		return nil, fmt.Errorf("%s: tensor %s has shape %v, want (K, d)", path, loss.ParamCentroids, shape)
	}
	k, d := shape[0], shape[1]
	names, err := checkpoint.Classes(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(names) != k {
		return nil, fmt.Errorf("%s: metadata %q names %d classes, tensor %s has %d", path, checkpoint.MetaClasses, len(names), loss.ParamCentroids, k)
	}
	return &Centers{Names: names, K: k, D: d, Data: loss.UnitRows(v, k, d)}, nil
}

// ErrFormat is returned (wrapped) for an output path whose extension is not
// .npy, .csv or .json.
var ErrFormat = errors.New("unsupported output format")

// Format returns the output format for path by its extension: "npy", "csv"
// or "json", or an error wrapping ErrFormat.
func Format(path string) (string, error) {
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".npy", ".csv", ".json":
		return ext[1:], nil
	default:
		return "", fmt.Errorf("%w %q for %s: want .npy, .csv or .json", ErrFormat, ext, path)
	}
}

// Options are the inputs of Run.
type Options struct {
	Checkpoint string // safetensors checkpoint
	Out        string // output path
	// Format is "npy", "csv" or "json"; "" picks it by Out's extension.
	Format string
}

// Run exports the unit centroids of opts.Checkpoint to opts.Out and returns
// them with the list of files written.
func Run(opts Options) (*Centers, []string, error) {
	format := opts.Format
	if format == "" {
		var err error
		if format, err = Format(opts.Out); err != nil {
			return nil, nil, err
		}
	} else if _, err := Format("." + format); err != nil {
		return nil, nil, err
	}
	c, err := Load(opts.Checkpoint)
	if err != nil {
		return nil, nil, err
	}
	files, err := c.WriteFormat(opts.Out, format)
	return c, files, err
}
