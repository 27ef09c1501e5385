// Package checkpoint reads and writes cocotrain checkpoints: the one place
// that knows what a checkpoint file holds. Training saves and resumes
// through it, eval-lfw and embed load their models with LoadModel, and
// export-centers reads the class names with Classes.
//
// A checkpoint is a safetensors file (internal/safetensors: an 8-byte
// header length, a JSON header, the raw little-endian tensors) holding
//
//   - every tensor of the parameter arena by its PyTorch-like name, F32:
//     the network's weights and batch-norm buffers (`backbone.<layer>.<tensor>`)
//     and the loss head's parameters (`head.<tensor>`; CoCo: `head.centroids`,
//     K×d);
//   - the optimizer state, F32, one tensor `optim.<param>.<slot>` of its
//     parameter's shape per trainable parameter and slot (SGD
//     `momentum_buffer`, none without momentum; AdamW `exp_avg`,
//     `exp_avg_sq`), written and checked by internal/optim (SaveState,
//     LoadState) with the metadata `optim.name` and `optim.step`;
//   - string metadata (the Meta* keys below): the format tag, the resolved
//     training config as YAML, the step and epoch, the class names in label
//     order, the training set's digest, the data position and the
//     verification accuracies.
//
// Nothing else is needed to resume a run exactly: every random draw of the
// loader is a function of (seed, epoch, batch) and every dropout mask of
// (seed, step), and the learning-rate schedule a function of the step.
//
// Save writes atomically (a failed write leaves the previous file intact);
// Read validates the file and the metadata before anything is used, and
// LoadParams and LoadModel check every tensor before copying any. The
// config is decoded by the caller into its own struct (DecodeConfig):
// training reads all of it, LoadModel only the sections that build and feed
// the network (ModelConfig).
package checkpoint

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
// a straight one. An empty window is not written; checkpoints without the key
// resume with an empty window.
type LogWindow struct {
	Loss  float64 `json:"loss"`  // sum of the steps' losses
	Acc   float64 `json:"acc"`   // sum of the steps' batch accuracies
	Steps int     `json:"steps"` // steps summed
}

// Meta is what a checkpoint records besides the tensors.
type Meta struct {
	// ConfigYAML is the resolved training config (DecodeConfig reads it).
	ConfigYAML string
	// Step is the number of iterations completed, Epoch the number of
	// whole epochs.
	Step, Epoch int
	// Classes are the training class names, in label order (the rows of
	// the loss head).
	Classes []string
	// DataDigest fingerprints the training set (data.Digest).
	DataDigest string
	// Position is where the data stream stands.
	Position Position
	// BestVal is the best verification accuracy so far, NaN when none was
	// measured; ValAcc the accuracy measured at Step, NaN when none was (no
	// verification due, or an interruption skipped it).
	BestVal, ValAcc float64
	// Window is the log window at Step.
	Window LogWindow
}

// Checkpoint is a read and validated cocotrain checkpoint.
type Checkpoint struct {
	// Path is the file it was read from (errors name it).
	Path string
	// File holds every tensor and the raw metadata.
	File *safetensors.File
	Meta
}

// Save writes a checkpoint of arena a (every tensor by name: weights, the
// loss head and the batch-norm buffers), the optimizer state and m to path,
// atomically: on failure the previous file at path is intact.
func Save(path string, a *params.Arena, opt *optim.Optimizer, m Meta) error {
	f := safetensors.New()
	for _, p := range a.Params {
		if err := f.AddF32(p.Name, p.Shape, p.W); err != nil {
			return err
		}
	}
	if err := opt.SaveState(f); err != nil {
		return err
	}
	classes, err := json.Marshal(m.Classes)
	if err != nil {
		return err
	}
	pos, err := json.Marshal(m.Position)
	if err != nil {
		return err
	}
	md := f.Metadata
	md[MetaFormat] = Format
	md[MetaConfig] = m.ConfigYAML
	md[MetaStep] = strconv.Itoa(m.Step)
	md[MetaEpoch] = strconv.Itoa(m.Epoch)
	md[MetaClasses] = string(classes)
	md[MetaDataDigest] = m.DataDigest
	md[MetaRNG] = string(pos)
	md[MetaBestVal] = formatAcc(m.BestVal)
	md[MetaValAcc] = formatAcc(m.ValAcc)
	if m.Window.Steps > 0 { // an empty window is the key's absence
		win, err := json.Marshal(m.Window)
		if err != nil {
			return err
		}
		md[MetaLogWindow] = string(win)
	}
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

// Read reads and validates the checkpoint at path: a valid safetensors file
// with the cocotrain format tag, a config, and well-formed step, epoch,
// classes, position and accuracy metadata. Errors name the file and the
// offending key. The config itself is decoded by DecodeConfig. A file
// without the format tag is read as a PyTorch state_dict of one of
// cocotrain's networks (torch.go): its network under cocotrain's names, no
// classes and no loss head.
func Read(path string) (*Checkpoint, error) {
	f, err := safetensors.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if _, tagged := f.Metadata[MetaFormat]; !tagged {
		return fromTorch(path, f)
	}
	return Parse(path, f)
}

// Parse is Read for a safetensors file already in memory; path labels
// errors.
func Parse(path string, f *safetensors.File) (*Checkpoint, error) {
	var err error
	md := f.Metadata
	bad := func(key, why string) error {
		return fmt.Errorf("%s: checkpoint metadata %q: %s", path, key, why)
	}
	if md[MetaFormat] != Format {
		return nil, fmt.Errorf("%s: not a cocotrain checkpoint (metadata %q is %q, want %q)", path, MetaFormat, md[MetaFormat], Format)
	}
	ck := &Checkpoint{Path: path, File: f, Meta: Meta{ConfigYAML: md[MetaConfig], DataDigest: md[MetaDataDigest], BestVal: math.NaN(), ValAcc: math.NaN()}}
	if ck.ConfigYAML == "" {
		return nil, bad(MetaConfig, "missing (want the training config as YAML)")
	}
	if ck.Step, err = strconv.Atoi(md[MetaStep]); err != nil || ck.Step < 0 {
		return nil, bad(MetaStep, "want an iteration count, got "+strconv.Quote(md[MetaStep]))
	}
	if ck.Epoch, err = strconv.Atoi(md[MetaEpoch]); err != nil || ck.Epoch < 0 {
		return nil, bad(MetaEpoch, "want an epoch count, got "+strconv.Quote(md[MetaEpoch]))
	}
	if ck.Classes, err = Classes(f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
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

// Classes returns the class names of a checkpoint's "classes" metadata (a
// JSON array of strings, in label order, at least one), reading nothing
// else: export-centers uses it on any safetensors file with a loss head.
func Classes(f *safetensors.File) ([]string, error) {
	raw, ok := f.Metadata[MetaClasses]
	if !ok {
		return nil, fmt.Errorf("no %q metadata (the class names)", MetaClasses)
	}
	var names []string
	if err := json.Unmarshal([]byte(raw), &names); err != nil {
		return nil, fmt.Errorf("metadata %q is not a JSON array of class names: %v", MetaClasses, err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("metadata %q names no class", MetaClasses)
	}
	return names, nil
}

// DecodeConfig decodes the recorded training config into dst, a pointer to
// a struct holding the defaults (internal/config's strict rules: an unknown
// key is an error naming the key and the line of the YAML).
func (ck *Checkpoint) DecodeConfig(dst any) error {
	return config.Decode([]byte(ck.ConfigYAML), ck.Path+" (metadata "+MetaConfig+")", dst)
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
