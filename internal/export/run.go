package export

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/cocotrain/cocotrain/internal/fileio"
	"github.com/cocotrain/cocotrain/internal/model"
	"github.com/cocotrain/cocotrain/internal/onnx"
	"github.com/cocotrain/cocotrain/internal/train"
)

// Formats are the values of Options.Format.
var Formats = []string{"onnx"}

// ErrFormat is returned (wrapped) for a format not in Formats.
var ErrFormat = errors.New("unknown export format")

// Options are the inputs of Run.
type Options struct {
	// Checkpoint is the cocotrain checkpoint (.safetensors) to export.
	Checkpoint string
	// Format is one of Formats.
	Format string
	// Out is the file written (atomically: a temporary file beside it,
	// renamed once complete).
	Out string
}

// Result describes what Run wrote.
type Result struct {
	Arch         string
	Nodes        int // ONNX nodes
	Initializers int // ONNX constant tensors
	Bytes        int // size of Out
}

// Run exports opt.Checkpoint's backbone to opt.Out in opt.Format. A bad
// format, an unreadable checkpoint (truncated, of an unknown architecture)
// or an unwritable output is an error that names it, and leaves nothing at
// opt.Out.
func Run(opt Options) (*Result, error) {
	if opt.Format != "onnx" {
		return nil, fmt.Errorf("%w %q (want one of %v)", ErrFormat, opt.Format, Formats)
	}
	net, step, err := load(opt.Checkpoint)
	if err != nil {
		return nil, err
	}
	m, err := ONNX(net, "Exported from "+opt.Checkpoint+".", []onnx.StringStringEntry{{Key: "checkpoint_step", Value: strconv.Itoa(step)}})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", opt.Checkpoint, err)
	}
	b := m.Marshal()
	if err := fileio.WriteFile(opt.Out, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
		return nil, err
	}
	return &Result{Arch: net.Config().Arch, Nodes: len(m.Graph.Nodes), Initializers: len(m.Graph.Initializers), Bytes: len(b)}, nil
}

// load reads the checkpoint's network (weights and running statistics,
// eval mode) and its training step: the one place this package reads
// checkpoints.
func load(path string) (*model.Net, int, error) {
	m, err := train.LoadModel(path, 1)
	if err != nil {
		return nil, 0, err
	}
	return m.Net, m.Checkpoint.Step, nil
}
