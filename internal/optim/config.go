// Package optim updates a network's parameter arena: SGD with momentum
// (optionally Nesterov) and AdamW as one loop over the flat arena, gradient
// clipping by global norm, and learning-rate schedules (linear warmup, then
// multistep, cosine, polynomial or constant) that are pure functions of the
// iteration, so a resumed run follows the same schedule exactly. Optimizer
// state round-trips through checkpoints as tensors "optim.<param>.<slot>".
package optim

import (
	"errors"
	"fmt"
	"slices"

	"github.com/cocotrain/cocotrain/internal/params"
)

// Config is the optim section of a training config.
type Config struct {
	Name         string         `yaml:"name"`           // sgd | adamw
	LR           float64        `yaml:"lr"`             // base learning rate (after warmup)
	Momentum     float64        `yaml:"momentum"`       // SGD momentum (0 = plain SGD)
	Nesterov     bool           `yaml:"nesterov"`       // SGD Nesterov momentum
	WeightDecay  float64        `yaml:"weight_decay"`   // L2 (SGD) or decoupled (AdamW) decay
	NoDecay      []string       `yaml:"no_decay"`       // parameter kinds exempt from decay: norm, bias, prelu, weight, center
	Beta1        float64        `yaml:"beta1"`          // AdamW first-moment decay
	Beta2        float64        `yaml:"beta2"`          // AdamW second-moment decay
	Eps          float64        `yaml:"eps"`            // AdamW denominator epsilon
	ClipGradNorm float64        `yaml:"clip_grad_norm"` // max global gradient L2 norm; 0 = no clipping
	Schedule     ScheduleConfig `yaml:"schedule"`       // learning-rate warmup and decay
}

// ScheduleConfig is the learning-rate schedule: a linear warmup over
// WarmupSteps iterations (or WarmupEpochs epochs; at most one of them) from
// LR/warmup to LR, then the decay Kind.
type ScheduleConfig struct {
	Kind         string    `yaml:"kind"`          // multistep | cosine | poly | constant
	WarmupSteps  int       `yaml:"warmup_steps"`  // warmup length in iterations
	WarmupEpochs float64   `yaml:"warmup_epochs"` // warmup length in epochs
	Milestones   []float64 `yaml:"milestones"`    // multistep: epochs at which the LR is multiplied by Gamma
	Gamma        float64   `yaml:"gamma"`         // multistep factor
	Power        float64   `yaml:"power"`         // poly exponent
	MinLR        float64   `yaml:"min_lr"`        // cosine / poly floor
}

// DefaultConfig is SGD with momentum 0.9, weight decay 5e-4 (not on batch
// norm, bias and PReLU parameters), LR 0.1 and a cosine decay to 0.
func DefaultConfig() Config {
	return Config{
		Name:        "sgd",
		LR:          0.1,
		Momentum:    0.9,
		WeightDecay: 5e-4,
		NoDecay:     []string{"norm", "bias", "prelu"},
		Beta1:       0.9,
		Beta2:       0.999,
		Eps:         1e-8,
		Schedule:    ScheduleConfig{Kind: "cosine", Gamma: 0.1, Power: 2},
	}
}

// kindNames maps the names accepted in NoDecay to parameter kinds.
var kindNames = map[string]params.Kind{
	"weight": params.Weight, "bias": params.Bias, "norm": params.Norm,
	"prelu": params.PReLU, "center": params.Center,
}

// Validate reports the first invalid value, naming its key.
func (c *Config) Validate() error {
	bad := func(key string, v any, want string) error {
		return fmt.Errorf("optim.%s = %v: %s", key, v, want)
	}
	switch {
	case c.Name != "sgd" && c.Name != "adamw":
		return bad("name", c.Name, "want sgd or adamw")
	case !(c.LR > 0):
		return bad("lr", c.LR, "want > 0")
	case !(c.Momentum >= 0 && c.Momentum < 1):
		return bad("momentum", c.Momentum, "want in [0, 1)")
	case c.Nesterov && c.Momentum == 0:
		return bad("nesterov", true, "needs momentum > 0")
	case !(c.WeightDecay >= 0):
		return bad("weight_decay", c.WeightDecay, "want >= 0")
	case !(c.Beta1 >= 0 && c.Beta1 < 1):
		return bad("beta1", c.Beta1, "want in [0, 1)")
	case !(c.Beta2 >= 0 && c.Beta2 < 1):
		return bad("beta2", c.Beta2, "want in [0, 1)")
	case !(c.Eps > 0):
		return bad("eps", c.Eps, "want > 0")
	case !(c.ClipGradNorm >= 0):
		return bad("clip_grad_norm", c.ClipGradNorm, "want >= 0 (0 = off)")
	}
	for _, k := range c.NoDecay {
		if _, ok := kindNames[k]; !ok {
			return bad("no_decay", c.NoDecay, fmt.Sprintf("unknown kind %q (want weight, bias, norm, prelu or center)", k))
		}
	}
	return c.Schedule.validate(c.LR)
}

// validate checks the schedule section against the base learning rate.
func (s *ScheduleConfig) validate(lr float64) error {
	bad := func(key string, v any, want string) error {
		return fmt.Errorf("optim.schedule.%s = %v: %s", key, v, want)
	}
	switch {
	case !slices.Contains([]string{"multistep", "cosine", "poly", "constant"}, s.Kind):
		return bad("kind", s.Kind, "want multistep, cosine, poly or constant")
	case s.WarmupSteps < 0:
		return bad("warmup_steps", s.WarmupSteps, "want >= 0")
	case !(s.WarmupEpochs >= 0):
		return bad("warmup_epochs", s.WarmupEpochs, "want >= 0")
	case s.WarmupSteps > 0 && s.WarmupEpochs > 0:
		return errors.New("optim.schedule: set warmup_steps or warmup_epochs, not both")
	case s.Kind == "multistep" && !(s.Gamma > 0):
		return bad("gamma", s.Gamma, "want > 0")
	case s.Kind == "poly" && !(s.Power > 0):
		return bad("power", s.Power, "want > 0")
	case !(s.MinLR >= 0 && s.MinLR <= lr):
		return bad("min_lr", s.MinLR, fmt.Sprintf("want in [0, lr=%g]", lr))
	}
	for i, m := range s.Milestones {
		if !(m > 0) || (i > 0 && m <= s.Milestones[i-1]) {
			return bad("milestones", s.Milestones, "want positive and increasing epochs")
		}
	}
	return nil
}
