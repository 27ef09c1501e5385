package loss

import (
	"math/rand/v2"
	"testing"
)

// gradCase is one head configuration for the finite-difference checks. The
// scales are kept small so that the loss is smooth at the step size.
type gradCase struct {
	name string
	cfg  Config
}

func gradCases() []gradCase {
	with := func(f func(*Config)) Config { c := DefaultConfig(); f(&c); return c }
	return []gradCase{
		{"coco", with(func(c *Config) { c.Alpha = "3" })},
		{"coco_auto", DefaultConfig()},
		{"coco_aux", with(func(c *Config) { c.Alpha = "4"; c.AuxSoftmaxWeight = 0.4 })},
		{"softmax", with(func(c *Config) { c.Type = TypeSoftmax })},
		{"normface", with(func(c *Config) { c.Type = TypeNormFace; c.S = 5 })},
		{"cosface", with(func(c *Config) { c.Type = TypeCosFace; c.S = 6 })},
		{"arcface", with(func(c *Config) { c.Type = TypeArcFace; c.S = 6 })},
		{"center", with(func(c *Config) { c.Type = TypeCenter; c.CenterLambda = 0.3 })},
	}
}

func TestGradientsFiniteDifference(t *testing.T) {
	const d, k, m = 5, 4, 6
	for _, tc := range gradCases() {
		t.Run(tc.name, func(t *testing.T) {
			h, a := build(t, tc.cfg, d, k)
			rng := rand.New(rand.NewPCG(7, 7))
			emb := randn(rng, m*d)
			labels := []int{0, 1, 2, 3, 1, 2}
			if tc.cfg.Type == TypeCenter {
				copy(a.State, randn(rng, len(a.State))) // centres away from zero
			}
			if tc.cfg.Type == TypeArcFace {
				// Sample 0 opposite its class vector: inside the fallback region.
				c := a.Lookup(ParamCentroids).W
				for j := 0; j < d; j++ {
					emb[j] = -2*c[labels[0]*d+j] + 0.01*emb[j]
				}
			}
			_, dEmb, dParams := analytic(h, a, emb, labels)
			if !allFinite(dEmb) {
				t.Fatalf("dEmb not finite: %v", dEmb)
			}
			compareGrad(t, "d/demb", dEmb, numericGrad(h, emb, emb, labels, 1e-3), 2e-3)
			compareGrad(t, "d/dparams", dParams, numericGrad(h, a.Data, emb, labels, 1e-3), 2e-3)
		})
	}
}
