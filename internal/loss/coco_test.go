package loss

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/cocotrain/cocotrain/internal/config"
	"github.com/cocotrain/cocotrain/internal/params"
)

func TestCoCoLossInvariantToScaling(t *testing.T) {
	const d, k, m = 8, 5, 4
	h, a := build(t, DefaultConfig(), d, k)
	rng := rand.New(rand.NewPCG(3, 3))
	emb := randn(rng, m*d)
	labels := []int{4, 0, 2, 2}
	base, _ := h.Forward(emb, labels)
	for j := 0; j < d; j++ {
		emb[d+j] *= 37.5 // feature 1
	}
	c := a.Lookup(ParamCentroids).W
	for j := 0; j < d; j++ {
		c[2*d+j] *= 0.002 // centroid 2
	}
	scaled, _ := h.Forward(emb, labels)
	if math.Abs(scaled-base) > 1e-6*math.Abs(base) {
		t.Fatalf("loss changed under scaling: %.9g → %.9g", base, scaled)
	}
}

// TestAutoAlphaReachesEpsilon checks α auto by its definition: a sample on its
// centroid, with the K centroids at the vertices of a regular simplex, has
// probability ε, so the loss is −ln ε.
func TestAutoAlphaReachesEpsilon(t *testing.T) {
	for _, k := range []int{2, 3, 10, 100} {
		for _, eps := range []float64{0.9, 0.99} {
			cfg := DefaultConfig()
			cfg.Epsilon = eps
			h, a := build(t, cfg, k, k)
			c := a.Lookup(ParamCentroids).W
			for i := 0; i < k; i++ { // e_i − (1/K)·1: a regular simplex
				for j := 0; j < k; j++ {
					c[i*k+j] = -1 / float32(k)
				}
				c[i*k+i] += 1
			}
			emb := append([]float32(nil), c[k:2*k]...) // on centroid 1
			loss, acc := h.Forward(emb, []int{1})
			if want := -math.Log(eps); math.Abs(loss-want) > 1e-5 || acc != 1 {
				t.Errorf("K=%d ε=%g: α %g, loss %.7g, want %.7g (acc %g)", k, eps, h.Scale(), loss, want, acc)
			}
		}
	}
}

func TestAlphaFromYAML(t *testing.T) {
	for _, tc := range []struct {
		doc  string
		want float64
	}{
		{"alpha: 12.5", 12.5},
		{"alpha: 7", 7},
		{"alpha: '3e1'", 30},
		{"alpha: auto\nepsilon: 0.9", (9.0 / 10) * math.Log(9*0.9/0.1)},
	} {
		cfg := DefaultConfig()
		if err := yaml.Unmarshal([]byte(tc.doc), &cfg); err != nil {
			t.Fatalf("%q: %v", tc.doc, err)
		}
		h, err := New(cfg, 4, 10, params.New())
		if err != nil {
			t.Fatalf("%q: %v", tc.doc, err)
		}
		if math.Abs(h.Scale()-tc.want) > 1e-12 {
			t.Errorf("%q: scale %g, want %g", tc.doc, h.Scale(), tc.want)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	with := func(f func(*Config)) Config { c := DefaultConfig(); f(&c); return c }
	for _, tc := range []struct {
		cfg     Config
		classes int
		want    string
	}{
		{with(func(c *Config) { c.Type = "triplet" }), 10, "loss.type"},
		{with(func(c *Config) { c.Alpha = "big" }), 10, "loss.alpha"},
		{with(func(c *Config) { c.Alpha = "-2" }), 10, "loss.alpha"},
		{with(func(c *Config) { c.Alpha = "Inf" }), 10, "loss.alpha"},
		{with(func(c *Config) { c.Alpha = "2e6" }), 10, "loss.alpha"},
		{with(func(c *Config) { c.Type = TypeNormFace; c.S = 2e6 }), 10, "loss.s"},
		{with(func(c *Config) { c.Epsilon = 0.05 }), 10, "loss.epsilon"},
		{with(func(c *Config) { c.Epsilon = 1 }), 10, "loss.epsilon"},
		{with(func(c *Config) { c.Type = TypeArcFace; c.M = 2 }), 10, "loss.m"},
		{with(func(c *Config) { c.Type = TypeCosFace; c.S = -1 }), 10, "loss.s"},
		{with(func(c *Config) { c.Type = TypeCenter; c.CenterAlpha = 1.5 }), 10, "loss.center_alpha"},
		{with(func(c *Config) { c.Type = TypeCenter; c.CenterLambda = math.NaN() }), 10, "loss.center_lambda"},
		{with(func(c *Config) { c.AuxSoftmaxWeight = -0.4 }), 10, "loss.aux_softmax_weight"},
		{DefaultConfig(), 0, "classes"},
	} {
		_, err := New(tc.cfg, 4, tc.classes, params.New())
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want it to mention %q", tc.cfg, err, tc.want)
		}
	}
}

func TestParameterNamesAndKinds(t *testing.T) {
	with := func(f func(*Config)) Config { c := DefaultConfig(); f(&c); return c }
	for _, tc := range []struct {
		cfg  Config
		want map[string]params.Kind
	}{
		{DefaultConfig(), map[string]params.Kind{ParamCentroids: params.Center}},
		{with(func(c *Config) { c.AuxSoftmaxWeight = 0.4 }), map[string]params.Kind{ParamCentroids: params.Center, ParamAuxWeight: params.Center, ParamAuxBias: params.Bias}},
		{with(func(c *Config) { c.Type = TypeArcFace }), map[string]params.Kind{ParamCentroids: params.Center}},
		{with(func(c *Config) { c.Type = TypeSoftmax }), map[string]params.Kind{ParamWeight: params.Center, ParamBias: params.Bias}},
		{with(func(c *Config) { c.Type = TypeCenter }), map[string]params.Kind{ParamWeight: params.Center, ParamBias: params.Bias, ParamCenters: params.Buffer}},
	} {
		a := params.New()
		if _, err := New(tc.cfg, 3, 7, a); err != nil {
			t.Fatal(err)
		}
		if len(a.Params) != len(tc.want) {
			t.Errorf("%s: %d params, want %d", tc.cfg.Type, len(a.Params), len(tc.want))
		}
		for _, p := range a.Params {
			kind, ok := tc.want[p.Name]
			if !ok || p.Kind != kind || p.Shape[0] != 7 || (len(p.Shape) == 2) != (p.Kind != params.Bias) {
				t.Errorf("%s: unexpected %s %v %v", tc.cfg.Type, p.Name, p.Kind, p.Shape)
			}
		}
	}
}

func TestInitDeterministicAndCentroidsUnit(t *testing.T) {
	const d, k = 6, 9
	h1, a1 := build(t, DefaultConfig(), d, k)
	_, a2 := build(t, DefaultConfig(), d, k)
	for i := range a1.Data {
		if a1.Data[i] != a2.Data[i] {
			t.Fatal("Init(1) differs between two heads")
		}
	}
	c := a1.Lookup(ParamCentroids).W
	for j := range c {
		c[j] *= 3 // Centroids normalises whatever the stored scale
	}
	u, err := h1.Centroids()
	if err != nil || len(u) != k*d {
		t.Fatalf("Centroids: %d values, %v", len(u), err)
	}
	for i := 0; i < k; i++ {
		var ss float64
		for j := 0; j < d; j++ {
			ss += float64(u[i*d+j]) * float64(u[i*d+j])
			if math.Abs(float64(u[i*d+j])-float64(c[i*d+j])/3) > 1e-6 {
				t.Fatalf("centroid %d is not the normalised parameter", i)
			}
		}
		if math.Abs(ss-1) > 1e-6 {
			t.Errorf("centroid %d has norm² %g", i, ss)
		}
	}
	for _, typ := range []string{TypeSoftmax, TypeCenter} {
		cfg := DefaultConfig()
		cfg.Type = typ
		h, _ := build(t, cfg, d, k)
		if _, err := h.Centroids(); !errors.Is(err, ErrNoCentroids) {
			t.Errorf("%s: Centroids error %v", typ, err)
		}
	}
}

// TestConfigThroughConfigPackage: the loss section decodes strictly and takes
// --set overrides (alpha as a number or auto) through internal/config.
func TestConfigThroughConfigPackage(t *testing.T) {
	cfg := DefaultConfig()
	if err := config.Decode([]byte("type: coco\nalpha: 20\nepsilon: 0.95\naux_softmax_weight: 0.4\n"), "loss.yaml", &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Alpha != "20" || cfg.Epsilon != 0.95 || cfg.AuxSoftmaxWeight != 0.4 {
		t.Fatalf("decoded %+v", cfg)
	}
	if err := config.Set(&cfg, "alpha=auto"); err != nil || cfg.Alpha != "auto" {
		t.Fatalf("--set alpha=auto: %v, %q", err, cfg.Alpha)
	}
	if err := config.Set(&cfg, "alpha=12.5"); err != nil || cfg.Alpha != "12.5" {
		t.Fatalf("--set alpha=12.5: %v, %q", err, cfg.Alpha)
	}
	if err := config.Decode([]byte("type: coco\nalpah: 3\n"), "loss.yaml", &cfg); err == nil || !strings.Contains(err.Error(), "alpah") {
		t.Fatalf("unknown key: %v", err)
	}
}
