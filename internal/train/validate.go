package train

import (
	"fmt"
	"path/filepath"
	"runtime"

	"github.com/cocotrain/cocotrain/internal/model"
)

// MaxThreads bounds train.threads: more goroutines than this only add
// scheduling overhead on any machine cocotrain targets.
const MaxThreads = 256

// checkThreads refuses a thread count outside 0..MaxThreads (0: all cores).
func checkThreads(n int) error {
	if n < 0 || n > MaxThreads {
		return fmt.Errorf("train.threads (--threads) must be 1..%d, or 0 for all cores; got %d", MaxThreads, n)
	}
	return nil
}

// threadsWarning returns a warning when train.threads asks for more
// goroutines than the machine has cores ("" otherwise).
func threadsWarning(n int) string {
	if cores := runtime.NumCPU(); n > cores {
		return fmt.Sprintf("warning: train.threads %d is above the %d cores of this machine: the extra threads only wait", n, cores)
	}
	return ""
}

// describeNet names a network's architecture: what its tensors depend on.
func describeNet(m model.Config) string {
	return fmt.Sprintf("%s (%d×%d×%d input, %d-d embedding)", m.Arch, m.InputSize, m.InputSize, m.Channels, m.EmbeddingDim)
}

// sameNet reports whether a and b build networks with the same tensors.
func sameNet(a, b model.Config) bool {
	return a.Arch == b.Arch && a.InputSize == b.InputSize && a.Channels == b.Channels && a.EmbeddingDim == b.EmbeddingDim
}

// checkArch refuses to resume the checkpoint ck of run directory dir with
// a config (cfg, after --set) that asks for another network, or when ck's
// network is not the one RUNDIR/config.yaml records (a checkpoint copied in
// from another run).
func checkArch(ck *Checkpoint, cfg Config, dir string) error {
	if !sameNet(ck.Config.Model, cfg.Model) {
		return fmt.Errorf("resuming: %s holds a %s network, the config asks for %s: a run keeps its network (start a new run to train another)",
			ck.Path, describeNet(ck.Config.Model), describeNet(cfg.Model))
	}
	path := filepath.Join(dir, ConfigFile)
	if !fileExists(path) {
		return nil
	}
	saved, err := LoadConfig(path, nil)
	if err != nil {
		return fmt.Errorf("resuming: %w", err)
	}
	if !sameNet(ck.Config.Model, saved.Model) {
		return fmt.Errorf("resuming: %s holds a %s network, but %s records %s: the checkpoint belongs to another run",
			ck.Path, describeNet(ck.Config.Model), path, describeNet(saved.Model))
	}
	return nil
}

// checkData refuses a training set a run cannot learn from and a crop
// that does not fit the images (data.NewLoader has checked that an epoch
// holds a batch): a classifier needs at least two classes, and the crop
// must lie inside the first image of the training set and of each
// verification set (every other image is checked as it is read).
func (r *runner) checkData() error {
	name := r.cfg.Data.Path
	if name == "" {
		name = "the built-in synthetic faces"
	}
	if n := len(r.classes); n < 2 {
		return fmt.Errorf("%s: %d class (identity) after data.exclude_pairs and data.min_images_per_class: training needs at least 2", name, n)
	}
	if err := r.loader.CheckFirst(); err != nil {
		return err
	}
	if r.val == nil {
		return nil
	}
	for _, s := range r.val.sets {
		if s.set.Images.Len() == 0 {
			continue
		}
		img, err := s.set.Images.Image(0)
		if err == nil {
			err = r.valPre.Fits(img.Bounds().Size())
		}
		if err != nil {
			return fmt.Errorf("verification set %s: %s: %w", s.name, s.set.Images.Name(0), err)
		}
	}
	return nil
}

// checkSchedule refuses a warmup that does not end before the run does.
func checkSchedule(warmup, total int) error {
	if warmup > 0 && warmup >= total {
		return fmt.Errorf("optim.schedule: a warmup of %d iterations is not shorter than the run (%d iterations): lower warmup_steps/warmup_epochs or train longer", warmup, total)
	}
	return nil
}
