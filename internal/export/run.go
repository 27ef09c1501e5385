package export

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/cocotrain/cocotrain/internal/checkpoint"
	"github.com/cocotrain/cocotrain/internal/fileio"
	"github.com/cocotrain/cocotrain/internal/model"
	"github.com/cocotrain/cocotrain/internal/onnx"
	"github.com/cocotrain/cocotrain/internal/safetensors"
)

// Formats are the values of Options.Format.
var Formats = []string{"onnx", "torch"}

// ErrFormat is returned (wrapped) for a format not in Formats.
var ErrFormat = errors.New("unknown export format")

// Options are the inputs of Run.
type Options struct {
	// Checkpoint is the cocotrain checkpoint (.safetensors) to export.
	Checkpoint string
	// Format is one of Formats.
	Format string
	// Out is the file (onnx) or the new folder (torch) written, atomically:
	// a temporary file or folder beside it, renamed once complete.
	Out string
}

// Result describes what Run wrote.
type Result struct {
	Arch         string
	Nodes        int // ONNX nodes
	Initializers int // ONNX constant tensors
	Tensors      int // tensors in the torch folder's weights.safetensors
	Bytes        int // size of Out (onnx) or of the folder's files (torch)
}

// Run exports opt.Checkpoint's backbone to opt.Out in opt.Format. A bad
// format, an unreadable checkpoint (truncated, of an unknown architecture)
// or an unwritable output is an error that names it, and leaves nothing at
// opt.Out.
func Run(opt Options) (*Result, error) {
	if !slices.Contains(Formats, opt.Format) {
		return nil, fmt.Errorf("%w %q (want one of %v)", ErrFormat, opt.Format, Formats)
	}
	if opt.Format == "torch" {
		if err := checkNewDir(opt.Out); err != nil {
			return nil, err
		}
	}
	ck, err := load(opt.Checkpoint)
	if err != nil {
		return nil, err
	}
	if opt.Format == "torch" {
		return writeTorch(opt.Out, ck)
	}
	m, err := ONNX(ck.net, "Exported from "+opt.Checkpoint+".", []onnx.StringStringEntry{{Key: "checkpoint_step", Value: strconv.Itoa(ck.step)}})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", opt.Checkpoint, err)
	}
	b := m.Marshal()
	if err := fileio.WriteFile(opt.Out, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
		return nil, err
	}
	return &Result{Arch: ck.net.Config().Arch, Nodes: len(m.Graph.Nodes), Initializers: len(m.Graph.Initializers), Bytes: len(b)}, nil
}

// loaded is what an export reads from a checkpoint.
type loaded struct {
	net     *model.Net // weights and running statistics, eval mode
	step    int
	file    *safetensors.File // every tensor, by name
	config  string            // the resolved training config, YAML
	classes []string
}

// load reads the checkpoint at path: the one place this package reads
// checkpoints.
func load(path string) (*loaded, error) {
	m, err := checkpoint.LoadModel(path, 1)
	if err != nil {
		return nil, err
	}
	ck := m.Checkpoint
	return &loaded{net: m.Net, step: ck.Step, file: ck.File, config: ck.File.Metadata[checkpoint.MetaConfig], classes: ck.Classes}, nil
}
