package train

import (
	"github.com/cocotrain/cocotrain/internal/data"
	"github.com/cocotrain/cocotrain/internal/model"
	"github.com/cocotrain/cocotrain/internal/params"
)

// Model is a network restored from a checkpoint for inference, in eval mode.
type Model struct {
	*model.Net
	// Config is the training config recorded in the checkpoint.
	Config Config
	// Classes are the training class names (the loss head's labels).
	Classes []string
	// Checkpoint is the file the weights came from.
	Checkpoint *Checkpoint
}

// LoadModel reads the checkpoint at path, builds the network its config
// describes and loads its weights and batch-norm statistics; the checkpoint
// is validated before anything is built. The net runs on threads goroutines
// (0: all cores).
func LoadModel(path string, threads int) (*Model, error) {
	ck, err := ReadCheckpoint(path)
	if err != nil {
		return nil, err
	}
	a := params.New()
	net, err := model.New(ck.Config.Model, a)
	if err != nil {
		return nil, err
	}
	a.Alloc()
	if err := ck.LoadParams(a); err != nil {
		return nil, err
	}
	net.SetTraining(false)
	net.SetThreads(threads)
	return &Model{Net: net, Config: ck.Config, Classes: ck.Classes, Checkpoint: ck}, nil
}

// Preprocess is the preprocessing the model was trained with: its input
// size and channels and the config's crop.
func (m *Model) Preprocess() data.Preprocess {
	return m.Config.Data.Preprocess(m.Config.Model.InputSize, m.Config.Model.Channels)
}
