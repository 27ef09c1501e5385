package train

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/cocotrain/cocotrain/internal/config"
	"github.com/cocotrain/cocotrain/internal/optim"
	"github.com/cocotrain/cocotrain/internal/params"
	"github.com/cocotrain/cocotrain/internal/safetensors"
)

// Format is the value of a cocotrain checkpoint's "format" metadata: a
// safetensors file without it is refused as foreign.
const Format = "cocotrain-checkpoint-1"

// Metadata keys of a checkpoint's __metadata__ (all values are strings).
const (
	MetaFormat     = "format"            // Format
	MetaConfig     = "config"            // the resolved training config, YAML
	MetaStep       = "step"              // iterations completed, decimal
	MetaEpoch      = "epoch"             // whole epochs completed, decimal
	MetaClasses    = "classes"           // training class names, JSON array (label order)
	MetaDataDigest = "data_digest"       // data.Digest of the training set
	MetaRNG        = "rng"               // where every random stream stands, JSON (see Position)
	MetaBestVal    = "best_val_accuracy" // best verification accuracy so far ("" when none)
	MetaValAcc     = "val_accuracy"      // verification accuracy at this step ("" when not measured)
	MetaLogWindow  = "log_window"        // the metrics since the last log line, JSON (see LogWindow)
)

// Position is where a run's random streams stand, saved as the "rng"
// metadata: every draw of the loader (order, augmentation) is a function of
// (Seed, Epoch, Batch), and the dropout masks of a step a function of the
// seed and the step (model.Net.SeekDropout), so nothing more is saved.
type Position struct {
	Seed  uint64 `json:"seed"`
	Epoch int    `json:"epoch"` // the epoch the next batch belongs to (0-based)
	Batch int    `json:"batch"` // the index of the next batch in that epoch
}

// LogWindow is what a run has summed since its last metrics line, saved
// as the "log_window" metadata so that a resumed run logs the same means as
// a straight one. Checkpoints without it resume with an empty window.
type LogWindow struct {
	Loss  float64 `json:"loss"`  // sum of the steps' losses
	Acc   float64 `json:"acc"`   // sum of the steps' batch accuracies
	Steps int     `json:"steps"` // steps summed
}

// Checkpoint is a read and validated cocotrain checkpoint.
type Checkpoint struct {
	Path    string
	File    *safetensors.File
	Config  Config
	Step    int
	Epoch   int
	Classes []string
	// DataDigest fingerprints the training set (data.Digest).
	DataDigest string
	Position   Position
	// BestVal is the best verification accuracy recorded so far, NaN when
	// none was measured.
	BestVal float64
	// ValAcc is the verification accuracy measured at Step, NaN when none
	// was (no verification due, or an interruption skipped it).
	ValAcc float64
	// Window is the log window at Step.
	Window LogWindow
}

// checkpointMeta is what the loop knows at a checkpoint besides tensors.
type checkpointMeta struct {
	cfg     Config
	step    int
	epoch   int
	classes []string
	digest  string
	pos     Position
	bestVal float64 // NaN: none
	valAcc  float64 // NaN: not measured at this step
	window  LogWindow
}

// saveCheckpoint writes a checkpoint of arena (every tensor by name: weights,
// the loss head and the batch-norm buffers), the optimizer state (tensors
// optim.*) and meta to path, atomically: on failure the previous file at
// path is intact.
func saveCheckpoint(path string, a *params.Arena, opt *optim.Optimizer, m checkpointMeta) error {
	f := safetensors.New()
	for _, p := range a.Params {
		if err := f.AddF32(p.Name, p.Shape, p.W); err != nil {
			return err
		}
	}
	if err := opt.SaveState(f); err != nil {
		return err
	}
	cfgYAML, err := config.Marshal(m.cfg)
	if err != nil {
		return err
	}
	classes, err := json.Marshal(m.classes)
	if err != nil {
		return err
	}
	pos, err := json.Marshal(m.pos)
	if err != nil {
		return err
	}
	md := f.Metadata
	md[MetaFormat] = Format
	md[MetaConfig] = string(cfgYAML)
	md[MetaStep] = strconv.Itoa(m.step)
	md[MetaEpoch] = strconv.Itoa(m.epoch)
	md[MetaClasses] = string(classes)
	md[MetaDataDigest] = m.digest
	md[MetaRNG] = string(pos)
	md[MetaBestVal] = formatAcc(m.bestVal)
	md[MetaValAcc] = formatAcc(m.valAcc)
	win, err := json.Marshal(m.window)
	if err != nil {
		return err
	}
	md[MetaLogWindow] = string(win)
	if err := safetensors.WriteFile(path, f); err != nil {
		return fmt.Errorf("writing checkpoint: %w", err)
	}
	return nil
}

// formatAcc writes an accuracy for the metadata, "" for NaN.
func formatAcc(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// ReadCheckpoint reads and validates the checkpoint at path: a valid
// safetensors file with the cocotrain format tag, a config that loads, and
// well-formed step, epoch, classes and position metadata. Errors name the
// file and the offending key.
func ReadCheckpoint(path string) (*Checkpoint, error) {
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseCheckpoint(path, f)
}

// parseCheckpoint validates the metadata of the safetensors file f read from
// path.
func parseCheckpoint(path string, f *safetensors.File) (*Checkpoint, error) {
	var err error
	md := f.Metadata
	bad := func(key, why string) error {
		return fmt.Errorf("%s: checkpoint metadata %q: %s", path, key, why)
	}
	if md[MetaFormat] != Format {
		return nil, fmt.Errorf("%s: not a cocotrain checkpoint (metadata %q is %q, want %q)", path, MetaFormat, md[MetaFormat], Format)
	}
	ck := &Checkpoint{Path: path, File: f, DataDigest: md[MetaDataDigest], BestVal: math.NaN(), ValAcc: math.NaN()}
	if ck.Config, err = decodeConfig([]byte(md[MetaConfig]), path+" (metadata "+MetaConfig+")"); err != nil {
		return nil, err
	}
	if ck.Step, err = strconv.Atoi(md[MetaStep]); err != nil || ck.Step < 0 {
		return nil, bad(MetaStep, "want an iteration count, got "+strconv.Quote(md[MetaStep]))
	}
	if ck.Epoch, err = strconv.Atoi(md[MetaEpoch]); err != nil || ck.Epoch < 0 {
		return nil, bad(MetaEpoch, "want an epoch count, got "+strconv.Quote(md[MetaEpoch]))
	}
	if err := json.Unmarshal([]byte(md[MetaClasses]), &ck.Classes); err != nil || len(ck.Classes) == 0 {
		return nil, bad(MetaClasses, "want a JSON array of class names")
	}
	if err := json.Unmarshal([]byte(md[MetaRNG]), &ck.Position); err != nil || ck.Position.Epoch < 0 || ck.Position.Batch < 0 {
		return nil, bad(MetaRNG, "want {\"seed\", \"epoch\", \"batch\"}")
	}
	if s := md[MetaLogWindow]; s != "" {
		if err := json.Unmarshal([]byte(s), &ck.Window); err != nil || ck.Window.Steps < 0 {
			return nil, bad(MetaLogWindow, "want {\"loss\", \"acc\", \"steps\"}")
		}
	}
	for key, dst := range map[string]*float64{MetaBestVal: &ck.BestVal, MetaValAcc: &ck.ValAcc} {
		if s := md[key]; s != "" {
			if *dst, err = strconv.ParseFloat(s, 64); err != nil {
				return nil, bad(key, "want a number, got "+strconv.Quote(s))
			}
		}
	}
	return ck, nil
}

// LoadParams copies the checkpoint's tensors into every tensor of the
// allocated arena a (weights and buffers), matched by name. It checks all of
// them first (present, F32, same shape) and changes nothing on error.
// Tensors of the checkpoint that a does not declare (the loss head when only
// the network is built, optim.*) are ignored.
func (ck *Checkpoint) LoadParams(a *params.Arena) error {
	var errs []error
	for _, p := range a.Params {
		t := ck.File.Tensor(p.Name)
		switch {
		case t == nil:
			errs = append(errs, fmt.Errorf("no tensor %q", p.Name))
		case t.DType != safetensors.F32 || !slices.Equal(t.Shape, p.Shape):
			errs = append(errs, fmt.Errorf("tensor %q is %s %v, the model wants F32 %v", p.Name, t.DType, t.Shape, p.Shape))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s: checkpoint does not fit the model: %w", ck.Path, errors.Join(errs...))
	}
	for _, p := range a.Params {
		if err := ck.File.CopyF32(p.Name, p.W, p.Shape); err != nil {
			return fmt.Errorf("%s: %w", ck.Path, err)
		}
	}
	return nil
}
