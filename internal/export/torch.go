package export

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/cocotrain/cocotrain/internal/safetensors"
	"github.com/cocotrain/cocotrain/python"
)

// The files of a torch export folder.
const (
	TorchModelFile   = "model.py"            // python/cocotrain_torch/model.py
	TorchWeightsFile = "weights.safetensors" // backbone.* and head.* tensors
	TorchConfigFile  = "config.yaml"         // the resolved training config
	TorchLossesFile  = "losses.py"           // python/cocotrain_torch/losses.py
	TorchDDPFile     = "train_ddp.py"        // python/cocotrain_torch/train_ddp.py
)

// checkNewDir fails unless dir can become a new folder: it must not exist,
// or be an empty directory.
func checkNewDir(dir string) error {
	st, err := os.Stat(dir)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s: exists and is not a directory", dir)
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) > 0 {
		return fmt.Errorf("%s: exists and is not empty (an export writes a new folder)", dir)
	}
	return nil
}

// writeTorch writes the folder dir for PyTorch: model.py (the networks),
// weights.safetensors (every backbone and head tensor of the checkpoint,
// with its class names and architecture as metadata), config.yaml, and
// train_ddp.py with losses.py (the training under torchrun). The
// files go to a temporary folder beside dir, renamed to dir once complete.
func writeTorch(dir string, ck *loaded) (*Result, error) {
	w := safetensors.New()
	for _, t := range ck.file.Tensors {
		if strings.HasPrefix(t.Name, "backbone.") || strings.HasPrefix(t.Name, "head.") {
			if err := w.Add(t); err != nil {
				return nil, err
			}
		}
	}
	classes, err := json.Marshal(ck.classes)
	if err != nil {
		return nil, err
	}
	w.Metadata["classes"] = string(classes)
	w.Metadata["arch"] = ck.net.Config().Arch
	parent, base := filepath.Split(filepath.Clean(dir))
	if parent == "" {
		parent = "."
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".tmp-*")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	defer os.RemoveAll(tmp) // a no-op once renamed
	if err := safetensors.WriteFile(filepath.Join(tmp, TorchWeightsFile), w); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	files := map[string][]byte{TorchModelFile: python.TorchModel, TorchConfigFile: []byte(ck.config),
		TorchLossesFile: python.TorchLosses, TorchDDPFile: python.TorchTrainDDP}
	size := 0
	for name, b := range files {
		size += len(b)
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o644); err != nil {
			return nil, fmt.Errorf("%s: %w", dir, err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	if err := os.Remove(dir); err != nil && !os.IsNotExist(err) { // an empty folder (checkNewDir), which os.Rename would not replace
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	if st, err := os.Stat(filepath.Join(dir, TorchWeightsFile)); err == nil {
		size += int(st.Size())
	}
	return &Result{Arch: ck.net.Config().Arch, Tensors: len(w.Tensors), Bytes: size}, nil
}
