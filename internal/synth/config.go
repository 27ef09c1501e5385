// Package synth generates procedural face images: identities drawn from a
// seeded space of facial traits, rendered with per-image nuisance (pose,
// lighting, expression, blur, noise, occlusion). It serves the built-in
// training set (a data.Source), a verification set of disjoint identities in
// the LFW View 2 layout (a *data.VerificationSet), and `cocotrain synth`,
// which writes both as an image tree with a pairs.txt.
package synth

import "fmt"

// Config describes a synthetic face set; its yaml keys form the `synth`
// section of a training config.
type Config struct {
	// Identities is the number of training identities (classes).
	Identities int `yaml:"identities"`
	// PerIdentity is the number of training images of each identity.
	PerIdentity int `yaml:"per_identity"`
	// EvalIdentities is the number of verification identities, disjoint
	// from the training ones; they split into 10 folds.
	EvalIdentities int `yaml:"eval_identities"`
	// EvalPerIdentity is the number of images of each verification identity.
	EvalPerIdentity int `yaml:"eval_per_identity"`
	// Size is the image height and width in pixels.
	Size int `yaml:"size"`
	// Channels is 1 (grey) or 3 (RGB).
	Channels int `yaml:"channels"`
	// Seed selects the identities and every image: the same seed gives the
	// same pixels.
	Seed uint64 `yaml:"seed"`
	// Difficulty multiplies every nuisance knob (probabilities included):
	// 1 renders Nuisance as it is, 0.5 halves every range, 0 renders every
	// image of an identity alike apart from background and clothes.
	Difficulty float64 `yaml:"difficulty"`
	// Nuisance sets how much the images of one identity differ.
	Nuisance Nuisance `yaml:"nuisance"`
	// Texture is the strength of the skin and hair detail of each identity,
	// 0..1: skin blotches and pores, forehead lines, nasolabial folds, hair
	// strands. 0 (the default) paints flat colours, as every set before the
	// key existed.
	Texture float64 `yaml:"texture"`
}

// Nuisance holds the difficulty knobs: the ranges of the per-image
// variations that do not change identity. Zero everywhere renders every
// image of an identity the same (apart from the background and clothes).
type Nuisance struct {
	// Rotation is the largest in-plane rotation, in degrees.
	Rotation float64 `yaml:"rotation"`
	// Scale is the largest relative change of face size (0.15 = ±15%).
	Scale float64 `yaml:"scale"`
	// Shift is the largest translation, as a fraction of the image size.
	Shift float64 `yaml:"shift"`
	// Yaw is the largest head turn, in degrees (rendered by warping).
	Yaw float64 `yaml:"yaw"`
	// Lighting is the largest strength of directional light, 0..1.
	Lighting float64 `yaml:"lighting"`
	// Exposure is the largest change of overall brightness and contrast
	// (0.3 = gain in 1±0.3).
	Exposure float64 `yaml:"exposure"`
	// Expression is the amount of mouth, brow and eyelid movement, 0..1.
	Expression float64 `yaml:"expression"`
	// Blur is the largest Gaussian blur sigma, in pixels of a 64×64 image
	// (scaled with Size).
	Blur float64 `yaml:"blur"`
	// Noise is the largest standard deviation of pixel noise, on 0..1.
	Noise float64 `yaml:"noise"`
	// Occlusion is the probability that an object hides part of the face.
	Occlusion float64 `yaml:"occlusion"`
	// Pitch is the largest head nod, in degrees (rendered by warping, like
	// Yaw). 0 by default.
	Pitch float64 `yaml:"pitch"`
	// Clutter is the probability of each of up to four objects behind the
	// head (other heads, boxes, bars), 0..1. 0 by default.
	Clutter float64 `yaml:"clutter"`
	// Grin is the probability of an open smile that shows the teeth, 0..1.
	// 0 by default.
	Grin float64 `yaml:"grin"`
}

// DefaultConfig returns the built-in synthetic set: 1000 training identities
// of 50 images and 300 verification identities of 10 images, 64×64 grey, at
// difficulty 0.7 of DefaultNuisance (measured: raw pixels verify it at 63%,
// the tiny net trained on 60k images at 96%; see docs/synth.md).
func DefaultConfig() Config {
	return Config{
		Identities:      1000,
		PerIdentity:     50,
		EvalIdentities:  300,
		EvalPerIdentity: 10,
		Size:            64,
		Channels:        1,
		Seed:            1,
		Difficulty:      0.7,
		Nuisance:        DefaultNuisance(),
	}
}

// DefaultNuisance returns the nuisance ranges at difficulty 1.
func DefaultNuisance() Nuisance {
	return Nuisance{
		Rotation:   10,
		Scale:      0.12,
		Shift:      0.08,
		Yaw:        15,
		Lighting:   0.5,
		Exposure:   0.15,
		Expression: 0.5,
		Blur:       0.8,
		Noise:      0.05,
		Occlusion:  0.1,
	}
}

// Validate reports a configuration that cannot be generated.
func (c Config) Validate() error {
	switch {
	case c.Identities < 0:
		return fmt.Errorf("synth: identities %d must not be negative", c.Identities)
	case c.Identities > 0 && c.PerIdentity <= 0:
		return fmt.Errorf("synth: per_identity %d must be positive", c.PerIdentity)
	case c.EvalIdentities != 0 && c.EvalIdentities < 2*Folds:
		return fmt.Errorf("synth: eval_identities %d: need 0 or at least %d (2 per fold for mismatched pairs)", c.EvalIdentities, 2*Folds)
	case c.EvalIdentities > 0 && c.EvalPerIdentity < 2:
		return fmt.Errorf("synth: eval_per_identity %d: need at least 2 images per identity for matched pairs", c.EvalPerIdentity)
	case c.Identities+c.EvalIdentities > maxIdentities:
		return fmt.Errorf("synth: %d identities in all: at most %d", c.Identities+c.EvalIdentities, maxIdentities)
	case c.PerIdentity > maxImages || c.EvalPerIdentity > maxImages:
		return fmt.Errorf("synth: at most %d images per identity", maxImages)
	case c.Size < 8 || c.Size > 1024:
		return fmt.Errorf("synth: size %d must be in 8..1024", c.Size)
	case c.Channels != 1 && c.Channels != 3:
		return fmt.Errorf("synth: channels %d must be 1 or 3", c.Channels)
	case !(c.Difficulty >= 0 && c.Difficulty <= 4):
		return fmt.Errorf("synth: difficulty %v must be in 0..4", c.Difficulty)
	case !(c.Texture >= 0 && c.Texture <= 1):
		return fmt.Errorf("synth: texture %v must be in 0..1", c.Texture)
	}
	if err := c.Nuisance.validate(); err != nil {
		return err
	}
	if err := c.Nuisance.scaled(c.Difficulty).validate(); err != nil {
		return fmt.Errorf("%w (after difficulty %v)", err, c.Difficulty)
	}
	return nil
}

// scaled returns n with every knob multiplied by k.
func (n Nuisance) scaled(k float64) Nuisance {
	return Nuisance{
		Rotation: n.Rotation * k, Scale: n.Scale * k, Shift: n.Shift * k, Yaw: n.Yaw * k,
		Lighting: n.Lighting * k, Exposure: n.Exposure * k, Expression: n.Expression * k,
		Blur: n.Blur * k, Noise: n.Noise * k, Occlusion: n.Occlusion * k,
		Pitch: n.Pitch * k, Clutter: n.Clutter * k, Grin: n.Grin * k,
	}
}

func (n Nuisance) validate() error {
	for _, k := range []struct {
		name   string
		v, max float64
	}{
		{"rotation", n.Rotation, 180}, {"scale", n.Scale, 0.9}, {"shift", n.Shift, 0.5},
		{"yaw", n.Yaw, 60}, {"lighting", n.Lighting, 1}, {"exposure", n.Exposure, 0.9},
		{"expression", n.Expression, 1}, {"blur", n.Blur, 8}, {"noise", n.Noise, 1},
		{"occlusion", n.Occlusion, 1}, {"pitch", n.Pitch, 45}, {"clutter", n.Clutter, 1},
		{"grin", n.Grin, 1},
	} {
		if !(k.v >= 0 && k.v <= k.max) {
			return fmt.Errorf("synth: nuisance.%s %v must be in 0..%v", k.name, k.v, k.max)
		}
	}
	return nil
}

const (
	// Folds is the number of verification folds (LFW View 2).
	Folds = 10
	// MaxPairsPerFold caps the matched (and mismatched) pairs per fold at
	// LFW's 300.
	MaxPairsPerFold = 300
	maxIdentities   = 1 << 20
	maxImages       = 9999 // NNNN.png
)
