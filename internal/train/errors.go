package train

import (
	"context"
	"fmt"
)

// InterruptedError is returned by Run when its context was cancelled
// (SIGINT/SIGTERM): the current step finished and a checkpoint was written.
// It unwraps to context.Canceled, which the CLI maps to exit code 130.
type InterruptedError struct {
	Step       int    // iterations completed
	Checkpoint string // the checkpoint written on the way out
}

func (e *InterruptedError) Error() string {
	return fmt.Sprintf("training interrupted after step %d; checkpoint %s (continue with --resume)", e.Step, e.Checkpoint)
}

// Unwrap makes errors.Is(err, context.Canceled) true.
func (e *InterruptedError) Unwrap() error { return context.Canceled }

// NonFiniteError is returned by Run when the loss or the gradient stopped
// being a finite number. The checkpoint on disk is the last good one.
type NonFiniteError struct {
	Step       int     // the iteration that failed (0-based)
	What       string  // "loss" or "gradient norm"
	Value      float64 // the non-finite value
	Checkpoint string  // the last good checkpoint ("" if none was written)
}

func (e *NonFiniteError) Error() string {
	kept := "no checkpoint was written yet"
	if e.Checkpoint != "" {
		kept = "the last good checkpoint is " + e.Checkpoint
	}
	return fmt.Sprintf("%s is %v at step %d: training diverged; %s. Hint: lower optim.lr (--set optim.lr=...), add a warmup (optim.schedule.warmup_steps) or clip gradients (--set optim.clip_grad_norm=5)",
		e.What, e.Value, e.Step, kept)
}
