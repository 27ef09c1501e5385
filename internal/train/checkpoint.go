package train

import (
	"github.com/cocotrain/cocotrain/internal/checkpoint"
	"github.com/cocotrain/cocotrain/internal/config"
	"github.com/cocotrain/cocotrain/internal/optim"
	"github.com/cocotrain/cocotrain/internal/params"
)

// Position is where a run's data stream stands, as a checkpoint records it.
type Position = checkpoint.Position

// LogWindow is what a run has summed since its last metrics line, as a
// checkpoint records it.
type LogWindow = checkpoint.LogWindow

// Checkpoint is a checkpoint read to resume a run: the validated file and
// metadata (internal/checkpoint) and the training config it records.
type Checkpoint struct {
	*checkpoint.Checkpoint
	// Config is the recorded config, decoded over DefaultConfig and
	// validated.
	Config Config
}

// ReadCheckpoint reads and validates the checkpoint at path and decodes its
// config. Errors name the file and the offending key.
func ReadCheckpoint(path string) (*Checkpoint, error) {
	ck, err := checkpoint.Read(path)
	if err != nil {
		return nil, err
	}
	cfg, err := decodeConfig([]byte(ck.ConfigYAML), path+" (metadata "+checkpoint.MetaConfig+")")
	if err != nil {
		return nil, err
	}
	return &Checkpoint{Checkpoint: ck, Config: cfg}, nil
}

// checkpointMeta is what the loop knows at a checkpoint besides tensors.
type checkpointMeta struct {
	cfg     Config
	step    int
	epoch   int
	classes []string
	digest  string
	pos     Position
	bestVal float64 // NaN: none
	valAcc  float64 // NaN: not measured at this step
	window  LogWindow
}

// saveCheckpoint writes the run's arena (network, loss head, buffers), the
// optimizer state and m to path with checkpoint.Save, atomically.
func saveCheckpoint(path string, a *params.Arena, opt *optim.Optimizer, m checkpointMeta) error {
	cfgYAML, err := config.Marshal(m.cfg)
	if err != nil {
		return err
	}
	return checkpoint.Save(path, a, opt, checkpoint.Meta{
		ConfigYAML: string(cfgYAML), Step: m.step, Epoch: m.epoch, Classes: m.classes, DataDigest: m.digest,
		Position: m.pos, BestVal: m.bestVal, ValAcc: m.valAcc, Window: m.window,
	})
}
