package loss

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Config is the "loss" section of a training config: which head to train and
// its hyper-parameters. Fields a head does not use are ignored by it.
type Config struct {
	// Type is the head: coco, softmax, normface, cosface, arcface or center.
	Type string `yaml:"type"`
	// Alpha is CoCo's logit scale: "auto" (the smallest α that lets a sample on
	// its centroid reach probability Epsilon, see AutoAlpha) or a number in
	// (0, MaxScale].
	Alpha string `yaml:"alpha"`
	// Epsilon is the target probability behind Alpha "auto", in (1/K, 1).
	Epsilon float64 `yaml:"epsilon"`
	// S is the logit scale of normface, cosface and arcface, at most
	// MaxScale; 0 means the type's default (64).
	S float64 `yaml:"s"`
	// M is the margin of cosface (default 0.35, on the cosine) and arcface
	// (default 0.5 radians, on the angle); 0 means the type's default.
	M float64 `yaml:"m"`
	// AuxSoftmaxWeight, for coco, adds this weight times a plain softmax
	// (linear + bias + cross-entropy) on the unnormalised feature; 0 disables it
	// (the original CoCo recipe used 0.4).
	AuxSoftmaxWeight float64 `yaml:"aux_softmax_weight"`
	// CenterLambda is λ of the center head: L = softmax + λ·(1/2M)·Σ‖f_i − c_{y_i}‖².
	CenterLambda float64 `yaml:"center_lambda"`
	// CenterAlpha is the centre update rate α of the center head (Wen et al.
	// 2016, eq. 4), in [0, 1].
	CenterAlpha float64 `yaml:"center_alpha"`
}

// Head types accepted in Config.Type.
const (
	TypeCoCo     = "coco"
	TypeSoftmax  = "softmax"
	TypeNormFace = "normface"
	TypeCosFace  = "cosface"
	TypeArcFace  = "arcface"
	TypeCenter   = "center"
)

// Defaults of the scale and margins when Config.S / Config.M are 0.
const (
	DefaultScale         = 64.0
	DefaultCosFaceMargin = 0.35
	DefaultArcFaceMargin = 0.5
)

// MaxScale bounds α and s: larger scales overflow float32 gradients for
// near-zero features and mean nothing (useful values are below 100).
const MaxScale = 1e6

// NormEps guards every L2 norm: a vector v is normalised as v / max(‖v‖, NormEps).
const NormEps = 1e-6

// DefaultConfig is CoCo with α auto at ε = 0.99, no auxiliary softmax, and the
// center-loss constants of Wen et al. 2016 (λ = 0.003, α = 0.5) for type center.
func DefaultConfig() Config {
	return Config{
		Type:         TypeCoCo,
		Alpha:        "auto",
		Epsilon:      0.99,
		CenterLambda: 0.003,
		CenterAlpha:  0.5,
	}
}

// AutoAlpha is CoCo's automatic scale for K classes and target probability
// eps: α = ((K−1)/K)·ln((K−1)·eps/(1−eps)). With one class the loss is
// identically zero and AutoAlpha returns 1. It returns an error when eps is
// not in (1/K, 1), where the formula gives no positive α.
func AutoAlpha(classes int, eps float64) (float64, error) {
	if classes < 1 {
		return 0, fmt.Errorf("loss: %d classes", classes)
	}
	if !(eps > 0 && eps < 1) {
		return 0, fmt.Errorf("loss.epsilon %g must be in (0, 1)", eps)
	}
	if classes == 1 {
		return 1, nil
	}
	k := float64(classes)
	r := (k - 1) * eps / (1 - eps)
	if !(r > 1) {
		return 0, fmt.Errorf("loss.epsilon %g must exceed 1/K = %g for alpha auto with %d classes", eps, 1/k, classes)
	}
	return (k - 1) / k * math.Log(r), nil
}

// alpha resolves Config.Alpha for the given number of classes.
func (c Config) alpha(classes int) (float64, error) {
	s := strings.TrimSpace(c.Alpha)
	if s == "" || s == "auto" {
		return AutoAlpha(classes, c.Epsilon)
	}
	a, err := strconv.ParseFloat(s, 64)
	if err != nil || !(a > 0 && a <= MaxScale) {
		return 0, fmt.Errorf("loss.alpha %q: want \"auto\" or a number in (0, %g]", c.Alpha, MaxScale)
	}
	return a, nil
}

// scale resolves Config.S.
func (c Config) scale() (float64, error) {
	if c.S == 0 {
		return DefaultScale, nil
	}
	if !(c.S > 0 && c.S <= MaxScale) {
		return 0, fmt.Errorf("loss.s %g: want a number in (0, %g]", c.S, MaxScale)
	}
	return c.S, nil
}

// margin resolves Config.M with the type's default def, checking it lies in
// [0, max).
func (c Config) margin(def, max float64) (float64, error) {
	if c.M == 0 {
		return def, nil
	}
	if !(c.M > 0 && c.M < max) {
		return 0, fmt.Errorf("loss.m %g for %s: want a number in (0, %g)", c.M, c.Type, max)
	}
	return c.M, nil
}
