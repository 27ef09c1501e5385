package model

import (
	"fmt"
	"slices"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/cocotrain/cocotrain/configs"
)

// Config selects and sizes a network (the `model:` section of the YAML config).
type Config struct {
	// Arch is the architecture: "tiny", "small", "mobilefacenet" or
	// "iresnet18".
	Arch string `yaml:"arch"`
	// InputSize is the side of the square input image in pixels.
	InputSize int `yaml:"input_size"`
	// Channels is the number of input channels (1 grey, 3 RGB).
	Channels int `yaml:"channels"`
	// EmbeddingDim is the length D of the embedding the net outputs.
	EmbeddingDim int `yaml:"embedding_dim"`
	// Dropout is the drop probability before the embedding layer (0: none).
	Dropout float64 `yaml:"dropout"`
	// Winograd selects how dense 3×3 stride-1 convolutions are computed:
	// "auto" (or empty) runs Winograd F(4×4, 3×3) on maps of at least
	// 16×16 and F(2×2, 3×3) below; "f2" runs F(2×2, 3×3) only (slower on
	// large maps, about ten times less rounding than F(4×4)); "off" runs
	// im2col + GEMM, the direct sums (slowest). See docs/model.md.
	Winograd string `yaml:"winograd"`
}

// WinogradModes lists the values Config.Winograd accepts ("" means "auto").
var WinogradModes = []string{"auto", "f2", "off"}

// DefaultConfig is the model section of the default run, the embedded
// configs/tiny-synth.yaml: the network `cocotrain train` trains without a
// config, and the values a config's model section leaves out. That file is
// the one place the defaults are written.
func DefaultConfig() Config { return defaultConfig() }

// defaultConfig reads the model section of the embedded default run once.
// The file is part of the binary and loaded by the tests, so an error is a
// build mistake.
var defaultConfig = sync.OnceValue(func() Config {
	b, err := configs.FS.ReadFile(configs.Default)
	if err != nil {
		panic(err)
	}
	var run struct {
		Model Config `yaml:"model"`
	}
	if err := yaml.Unmarshal(b, &run); err != nil {
		panic(fmt.Sprintf("configs/%s: %v", configs.Default, err))
	}
	return run.Model
})

// Archs lists the architecture names New accepts.
var Archs = []string{"tiny", "small", "mobilefacenet", "iresnet18"}

// Validate checks the fields that do not depend on the architecture.
func (c Config) Validate() error {
	switch {
	case c.InputSize <= 0:
		return fmt.Errorf("model: input_size must be positive, got %d", c.InputSize)
	case c.Channels <= 0:
		return fmt.Errorf("model: channels must be positive, got %d", c.Channels)
	case c.EmbeddingDim <= 0:
		return fmt.Errorf("model: embedding_dim must be positive, got %d", c.EmbeddingDim)
	case c.Dropout < 0 || c.Dropout >= 1:
		return fmt.Errorf("model: dropout must be in [0, 1), got %g", c.Dropout)
	case c.Winograd != "" && !slices.Contains(WinogradModes, c.Winograd):
		return fmt.Errorf("model: unknown winograd %q (want one of %v)", c.Winograd, WinogradModes)
	}
	for _, a := range Archs {
		if a == c.Arch {
			return nil
		}
	}
	return fmt.Errorf("model: unknown arch %q (want one of %v)", c.Arch, Archs)
}
