package optim

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cocotrain/cocotrain/internal/safetensors"
)

// Metadata keys of the optimizer state in a checkpoint.
const (
	metaName = "optim.name" // sgd | adamw
	metaStep = "optim.step" // updates applied, decimal
)

// stateName is the checkpoint tensor name of a parameter's slot.
func stateName(param, slot string) string { return "optim." + param + "." + slot }

// SaveState adds the optimizer state to a checkpoint: one F32 tensor
// "optim.<param name>.<slot>" per trainable parameter and slot (shape of the
// parameter), and metadata "optim.name" and "optim.step".
func (o *Optimizer) SaveState(f *safetensors.File) error {
	f.Metadata[metaName] = o.cfg.Name
	f.Metadata[metaStep] = strconv.Itoa(o.step)
	for _, p := range o.arena.Params {
		if p.G == nil {
			continue
		}
		for s, slot := range o.slots {
			if err := f.AddF32(stateName(p.Name, o.names[s]), p.Shape, slot[p.Offset:p.Offset+p.Size()]); err != nil {
				return err
			}
		}
	}
	return nil
}

// LoadState restores the state written by SaveState. It checks everything
// first (same optimizer, every tensor present with its parameter's shape, no
// optim.* tensor of an unknown parameter) and changes nothing on error.
func (o *Optimizer) LoadState(f *safetensors.File) error {
	if name, ok := f.Metadata[metaName]; !ok {
		return fmt.Errorf("optim: checkpoint has no optimizer state (no %q metadata)", metaName)
	} else if name != o.cfg.Name {
		return fmt.Errorf("optim: checkpoint optimizer is %q, config says %q", name, o.cfg.Name)
	}
	step, err := strconv.Atoi(f.Metadata[metaStep])
	if err != nil || step < 0 {
		return fmt.Errorf("optim: checkpoint metadata %s = %q: want a step count", metaStep, f.Metadata[metaStep])
	}
	want := map[string]bool{}
	for _, p := range o.arena.Params {
		if p.G == nil {
			continue
		}
		for _, slot := range o.names {
			n := stateName(p.Name, slot)
			want[n] = true
			if f.Tensor(n) == nil {
				return fmt.Errorf("optim: checkpoint has no tensor %q (different optimizer settings or model?)", n)
			}
			if err := f.CheckF32(n, p.Shape); err != nil {
				return fmt.Errorf("optim: %w", err)
			}
		}
	}
	for _, t := range f.Tensors {
		if strings.HasPrefix(t.Name, "optim.") && !want[t.Name] {
			return fmt.Errorf("optim: checkpoint tensor %q belongs to no parameter of this model and optimizer", t.Name)
		}
	}
	for _, p := range o.arena.Params {
		if p.G == nil {
			continue
		}
		for s, slot := range o.slots {
			if err := f.CopyF32(stateName(p.Name, o.names[s]), slot[p.Offset:p.Offset+p.Size()], p.Shape); err != nil {
				return err // unreachable after the checks above
			}
		}
	}
	o.step = step
	return nil
}
