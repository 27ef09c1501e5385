package optim

import (
	"fmt"
	"math"
)

// Schedule gives the learning rate of every iteration of a run. It holds no
// mutable state: LR(step) is a pure function, so resuming at any step is exact.
type Schedule struct {
	cfg        ScheduleConfig
	base       float64
	warmup     int   // warmup iterations
	total      int   // total iterations of the run
	milestones []int // multistep milestones in iterations
}

// NewSchedule builds the schedule of a run of totalSteps iterations with
// stepsPerEpoch iterations per epoch (epoch-valued settings are rounded to
// the nearest iteration) and base learning rate baseLR.
func NewSchedule(cfg ScheduleConfig, baseLR float64, stepsPerEpoch, totalSteps int) (*Schedule, error) {
	if stepsPerEpoch <= 0 || totalSteps <= 0 {
		return nil, fmt.Errorf("optim: schedule needs positive steps per epoch and total steps, got %d and %d", stepsPerEpoch, totalSteps)
	}
	if err := cfg.validate(baseLR); err != nil {
		return nil, err
	}
	s := &Schedule{cfg: cfg, base: baseLR, total: totalSteps, warmup: cfg.WarmupSteps}
	if cfg.WarmupEpochs > 0 {
		s.warmup = int(math.Round(cfg.WarmupEpochs * float64(stepsPerEpoch)))
	}
	for _, m := range cfg.Milestones {
		s.milestones = append(s.milestones, int(math.Round(m*float64(stepsPerEpoch))))
	}
	return s, nil
}

// Warmup is the number of warmup iterations.
func (s *Schedule) Warmup() int { return s.warmup }

// LR is the learning rate of iteration step (0-based). During warmup it rises
// linearly, base·(step+1)/warmup. After it:
//
//	constant:  base
//	multistep: base · gamma^(number of milestones ≤ step)
//	cosine:    min + (base−min)·(1 + cos(π·t/T))/2
//	poly:      min + (base−min)·(1 − t/T)^power
//
// with t = step − warmup and T = total − warmup (t clamped to T).
func (s *Schedule) LR(step int) float64 {
	if step < s.warmup {
		return s.base * float64(step+1) / float64(s.warmup)
	}
	t, T := float64(step-s.warmup), float64(s.total-s.warmup)
	frac := 1.0
	if T > 0 {
		frac = min(t/T, 1)
	}
	lo := s.cfg.MinLR
	switch s.cfg.Kind {
	case "multistep":
		lr := s.base
		for _, m := range s.milestones {
			if step >= m {
				lr *= s.cfg.Gamma
			}
		}
		return lr
	case "cosine":
		return lo + (s.base-lo)*(1+math.Cos(math.Pi*frac))/2
	case "poly":
		return lo + (s.base-lo)*math.Pow(1-frac, s.cfg.Power)
	}
	return s.base
}
