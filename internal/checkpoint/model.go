package checkpoint

import (
	"fmt"

	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/loss"
	"github.com/cocotrain/cocotrain/internal/model"
	"github.com/cocotrain/cocotrain/internal/params"
)

// ModelConfig is the part of a checkpoint's training config that rebuilds the
// network and its loss head and preprocesses their input. The sections only
// training reads (optim, synth, train) are accepted as they are and ignored.
type ModelConfig struct {
	Model model.Config `yaml:"model"`
	Loss  loss.Config  `yaml:"loss"`
	Data  data.Config  `yaml:"data"`
	Optim any          `yaml:"optim"`
	Synth any          `yaml:"synth"`
	Train any          `yaml:"train"`
}

// Model is a network and its loss head restored from a checkpoint for
// inference, in eval mode.
type Model struct {
	// Net is the network: Infer maps batch×C×H×W images (the Preprocess
	// layout) to batch×d embeddings.
	*model.Net
	// Head is the trained loss head over the checkpoint's Classes (CoCo,
	// NormFace, CosFace, ArcFace: Centroids gives the K×d unit centroids);
	// nil for a PyTorch state_dict, which has no classes.
	Head loss.Head
	// Config holds the sections of the recorded training config that built
	// the network and head.
	Config ModelConfig
	// Checkpoint is the file the weights came from, with its metadata.
	Checkpoint *Checkpoint
}

// LoadModel reads the checkpoint at path, builds the network and the loss
// head its config describes and loads their weights and batch-norm
// statistics; the file, the config and every tensor are checked before
// anything is copied. The net runs on threads goroutines (0: all cores).
func LoadModel(path string, threads int) (*Model, error) {
	ck, err := Read(path)
	if err != nil {
		return nil, err
	}
	cfg := ModelConfig{Model: model.DefaultConfig(), Loss: loss.DefaultConfig(), Data: data.DefaultConfig()}
	if err := ck.DecodeConfig(&cfg); err != nil {
		return nil, err
	}
	bad := func(err error) error { return fmt.Errorf("%s (metadata %s): %w", path, MetaConfig, err) }
	if err := cfg.Model.Validate(); err != nil {
		return nil, bad(err)
	}
	if err := cfg.Data.Validate(); err != nil {
		return nil, bad(err)
	}
	a := params.New()
	net, err := model.New(cfg.Model, a)
	if err != nil {
		return nil, bad(err)
	}
	var head loss.Head
	if len(ck.Classes) > 0 { // a PyTorch state_dict has none (Read)
		if head, err = loss.New(cfg.Loss, net.EmbeddingDim(), len(ck.Classes), a); err != nil {
			return nil, bad(err)
		}
	}
	a.Alloc()
	if err := ck.LoadParams(a); err != nil {
		return nil, err
	}
	net.SetTraining(false)
	net.SetThreads(threads)
	return &Model{Net: net, Head: head, Config: cfg, Checkpoint: ck}, nil
}

// Preprocess is the preprocessing the model was trained with: its input
// size and channels and the config's crop.
func (m *Model) Preprocess() data.Preprocess {
	return m.Config.Data.Preprocess(m.Config.Model.InputSize, m.Config.Model.Channels)
}
