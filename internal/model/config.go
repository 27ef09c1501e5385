package model

import "fmt"

// Config selects and sizes a network (the `model:` section of the YAML config).
type Config struct {
	// Arch is the architecture: "tiny", "mobilefacenet" or "iresnet18".
	Arch string `yaml:"arch"`
	// InputSize is the side of the square input image in pixels.
	InputSize int `yaml:"input_size"`
	// Channels is the number of input channels (1 grey, 3 RGB).
	Channels int `yaml:"channels"`
	// EmbeddingDim is the length D of the embedding the net outputs.
	EmbeddingDim int `yaml:"embedding_dim"`
	// Dropout is the drop probability before the embedding layer (0: none).
	Dropout float64 `yaml:"dropout"`
}

// DefaultConfig is the tiny net on 64×64 RGB input with 128-d embeddings.
func DefaultConfig() Config {
	return Config{Arch: "tiny", InputSize: 64, Channels: 3, EmbeddingDim: 128}
}

// Archs lists the architecture names New accepts.
var Archs = []string{"tiny", "mobilefacenet", "iresnet18"}

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
	}
	for _, a := range Archs {
		if a == c.Arch {
			return nil
		}
	}
	return fmt.Errorf("model: unknown arch %q (want one of %v)", c.Arch, Archs)
}
