package optim

import "fmt"

// Freeze makes the first steps updates of the optimizer (counted as Steps
// counts them, so a restored optimizer knows where it stands) leave the
// first n trainable elements, a.Data[:n], alone: no gradient step, no
// weight decay, no change to their optimizer state. Afterwards AdamW's bias
// correction of those elements counts only their own updates (t − steps),
// as PyTorch's per-parameter step count does for a parameter that starts
// training late. Training uses it to hold a pretrained backbone (the arena's
// leading tensors) while a new loss head settles. Freeze(0, 0) undoes it.
func (o *Optimizer) Freeze(n, steps int) {
	if n < 0 || n > len(o.arena.Data) || steps < 0 {
		panic(fmt.Sprintf("optim: Freeze(%d, %d) over %d elements", n, steps, len(o.arena.Data)))
	}
	o.frozen, o.frozenSteps = n, steps
}
