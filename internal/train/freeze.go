package train

import (
	"fmt"
	"strings"
)

// freezeBackbone holds the backbone's trainable tensors out of the first
// train.freeze_backbone_steps optimizer updates (optim.Optimizer.Freeze).
// The backbone's tensors are declared before the head's, so its trainable
// values are the leading a.Data[:n]; that layout is checked here.
func (r *runner) freezeBackbone() error {
	steps := r.cfg.Train.FreezeBackboneSteps
	if steps == 0 {
		return nil
	}
	n := 0
	for _, p := range r.arena.Params {
		if p.G == nil { // a buffer: not in a.Data
			continue
		}
		switch {
		case !isBackbone(p.Name):
		case p.Offset != n:
			return fmt.Errorf("train.freeze_backbone_steps: backbone tensor %s does not follow the backbone's other trainable tensors", p.Name)
		default:
			n += p.Size()
		}
	}
	r.optim.Freeze(n, steps)
	return nil
}

// isBackbone reports whether the arena tensor name belongs to the network
// (not to the loss head).
func isBackbone(name string) bool { return strings.HasPrefix(name, "backbone.") }

// frozen reports whether the current step trains the head only.
func (r *runner) frozen() bool { return r.step < r.cfg.Train.FreezeBackboneSteps }

// forward returns the embeddings of the step's batch x (n images): the
// training-mode forward pass, or while the backbone is frozen the eval-mode
// one (batch norm on its running statistics, which stay as they are,
// dropout off), with nothing kept for a backward pass.
func (r *runner) forward(x []float32, n int) []float32 {
	if r.frozen() {
		return r.net.Infer(x, n)
	}
	r.net.SeekDropout(uint64(r.step))
	return r.net.Forward(x, n)
}
