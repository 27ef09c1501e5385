package train

import (
	"errors"
	"fmt"
	"os"

	"github.com/cocotrain/cocotrain/configs"
	"github.com/cocotrain/cocotrain/internal/config"
	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/loss"
	"github.com/cocotrain/cocotrain/internal/model"
	"github.com/cocotrain/cocotrain/internal/optim"
	"github.com/cocotrain/cocotrain/internal/synth"
	"gopkg.in/yaml.v3"
)

// Config is a whole training configuration: one section per package (model,
// loss, optim, data, synth) plus the loop's own settings (train). It is what a
// YAML file in configs/ holds, what --set overrides and what a checkpoint
// records.
type Config struct {
	Model model.Config `yaml:"model"`
	Loss  loss.Config  `yaml:"loss"`
	Optim optim.Config `yaml:"optim"`
	Data  data.Config  `yaml:"data"`
	Synth synth.Config `yaml:"synth"` // the built-in training set when data.path is ""
	Train Settings     `yaml:"train"`
}

// Settings is the train section: the length of the run, its seed and how
// often it logs, verifies and checkpoints.
type Settings struct {
	// Epochs is the number of passes over the training set.
	Epochs int `yaml:"epochs"`
	// BatchSize is the number of images per iteration.
	BatchSize int `yaml:"batch_size"`
	// Seed fixes the initial weights, the data order and the augmentation.
	Seed uint64 `yaml:"seed"`
	// Threads is the number of goroutines of the network (0: all cores).
	Threads int `yaml:"threads"`
	// LogEvery is the number of iterations between log lines.
	LogEvery int `yaml:"log_every"`
	// ValEvery is the number of iterations between verifications (0: only
	// at the end); there is no verification without validation pairs.
	ValEvery int `yaml:"val_every"`
	// CkptEvery is the number of iterations between checkpoints (0: only at
	// the end and on interruption).
	CkptEvery int `yaml:"ckpt_every"`
	// CkptMinutes is the most wall-clock minutes between checkpoints (0:
	// no time-based checkpoints): with CkptEvery, a crash loses at most
	// this much work.
	CkptMinutes float64 `yaml:"ckpt_minutes"`
	// ValBatchSize is the batch size of embedding extraction.
	ValBatchSize int `yaml:"val_batch_size"`
	// ValBin are insightface validation bins (lfw.bin, cfp_fp.bin, ...)
	// and ValDir with ValPairs an LFW-layout directory and its pairs.txt:
	// the verification sets, bins first (none at all: the synthetic pairs
	// when data.path is "", else no verification). A YAML string is one
	// bin, a list several.
	ValDir   string `yaml:"val_dir"`
	ValPairs string `yaml:"val_pairs"`
	ValBin   Paths  `yaml:"val_bin"`
	// ValLandmarks, when set, is a landmark file for the images of ValDir
	// (paths relative to it): they are aligned on the fly as data.landmarks
	// aligns the training set (data.landmark_template); every image of a
	// pair needs landmarks.
	ValLandmarks string `yaml:"val_landmarks"`
	// BestOn is what best.safetensors follows: the name of a verification
	// set (valSetNames) or "mean", the mean accuracy over the sets; "" is
	// the mean (with one set, that set).
	BestOn string `yaml:"best_on"`
	// InitFrom is a checkpoint of another run ("" for none) whose backbone
	// (weights and batch-norm statistics) starts this run, with the loss
	// head's class vectors set from the mean embeddings of this run's classes
	// (initfrom.go). The network must have the same tensors.
	InitFrom string `yaml:"init_from"`
	// FreezeBackboneSteps is the number of first iterations in which only
	// the loss head trains: the backbone runs in eval mode and gets no update
	// (freeze.go). It needs InitFrom.
	FreezeBackboneSteps int `yaml:"freeze_backbone_steps"`
}

// Paths is a list of file paths that YAML may also give as one string
// ("" for none).
type Paths []string

// UnmarshalYAML reads a string (one path, or none when empty) or a list of
// strings.
func (p *Paths) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" {
		*p = nil
		if n.Value != "" {
			*p = Paths{n.Value}
		}
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*p = list
	return nil
}

// DefaultConfig is every package's default with the loop settings of the
// built-in demo; configs/tiny-synth.yaml is the tuned default run.
func DefaultConfig() Config {
	return Config{
		Model: model.DefaultConfig(),
		Loss:  loss.DefaultConfig(),
		Optim: optim.DefaultConfig(),
		Data:  data.DefaultConfig(),
		Synth: synth.DefaultConfig(),
		Train: Settings{Epochs: 1, BatchSize: 64, Seed: 1, LogEvery: 20, CkptMinutes: 10, ValBatchSize: 128},
	}
}

// Validate reports the first setting that cannot work, naming its key.
func (c *Config) Validate() error {
	t := c.Train
	switch {
	case t.Epochs <= 0:
		return fmt.Errorf("train.epochs must be positive, got %d", t.Epochs)
	case t.BatchSize <= 0:
		return fmt.Errorf("train.batch_size must be positive, got %d", t.BatchSize)
	case checkThreads(t.Threads) != nil:
		return checkThreads(t.Threads)
	case t.LogEvery <= 0:
		return fmt.Errorf("train.log_every must be positive, got %d", t.LogEvery)
	case t.ValEvery < 0 || t.CkptEvery < 0 || !(t.CkptMinutes >= 0):
		return errors.New("train.val_every, train.ckpt_every and train.ckpt_minutes must not be negative")
	case t.ValBatchSize <= 0:
		return fmt.Errorf("train.val_batch_size must be positive, got %d", t.ValBatchSize)
	case (t.ValDir == "") != (t.ValPairs == ""):
		return errors.New("train.val_dir and train.val_pairs go together")
	case t.FreezeBackboneSteps < 0:
		return fmt.Errorf("train.freeze_backbone_steps must not be negative, got %d", t.FreezeBackboneSteps)
	case t.FreezeBackboneSteps > 0 && t.InitFrom == "":
		return errors.New("train.freeze_backbone_steps needs train.init_from (--init-from): it holds a pretrained backbone while the new head settles")
	}
	if err := checkValSets(*c); err != nil {
		return err
	}
	if err := checkLandmarks(*c); err != nil {
		return err
	}
	if err := c.Model.Validate(); err != nil {
		return err
	}
	if err := c.Optim.Validate(); err != nil {
		return err
	}
	if err := c.Data.Validate(); err != nil {
		return err
	}
	if c.Data.Path == "" {
		return c.Synth.Validate()
	}
	return nil
}

// LoadConfig returns DefaultConfig overlaid with the YAML file at path (the
// embedded configs/tiny-synth.yaml when path is ""), then with each --set
// assignment "a.b=value" in order, validated. Unknown keys are errors naming
// the file, line and key.
func LoadConfig(path string, sets []string) (Config, error) {
	cfg := DefaultConfig()
	if path == "" {
		b, err := configs.FS.ReadFile(configs.Default)
		if err != nil {
			return cfg, err
		}
		if err := config.Decode(b, "configs/"+configs.Default, &cfg); err != nil {
			return cfg, err
		}
	} else if err := config.Load(path, &cfg); err != nil {
		return cfg, err
	}
	if err := applySets(&cfg, sets); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// applySets applies --set assignments in order.
func applySets(cfg *Config, sets []string) error {
	for _, s := range sets {
		if err := config.Set(cfg, s); err != nil {
			return err
		}
	}
	return nil
}

// decodeConfig reads a config saved as YAML (a checkpoint's metadata or
// RUNDIR/config.yaml) over DefaultConfig.
func decodeConfig(b []byte, name string) (Config, error) {
	cfg := DefaultConfig()
	if err := config.Decode(b, name, &cfg); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// writeConfig saves cfg as RUNDIR/config.yaml.
func writeConfig(path string, cfg Config) error {
	if err := config.WriteFile(path, cfg); err != nil {
		return fmt.Errorf("saving the config: %w", err)
	}
	return nil
}

// fileExists reports whether path names an existing file.
func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}
