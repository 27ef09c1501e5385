// Package python holds the Python that cocotrain ships: cocotrain_torch,
// the networks in plain PyTorch (the one source: scripts/torch_model.py
// imports it, and `cocotrain export --format torch` writes its model.py),
// the loss heads and the DistributedDataParallel training that the export
// folder carries beside it.
package python

import _ "embed"

// TorchModel is cocotrain_torch/model.py: the networks, build(model
// config), read_safetensors and load(folder), needing torch, numpy and
// PyYAML only.
//
//go:embed cocotrain_torch/model.py
var TorchModel []byte

// TorchLosses is cocotrain_torch/losses.py: the loss heads with
// internal/loss's formulas, and the partial-FC CoCo head.
//
//go:embed cocotrain_torch/losses.py
var TorchLosses []byte

// TorchTrainDDP is cocotrain_torch/train_ddp.py: the training under
// torchrun with DistributedDataParallel, writing cocotrain checkpoints.
//
//go:embed cocotrain_torch/train_ddp.py
var TorchTrainDDP []byte
