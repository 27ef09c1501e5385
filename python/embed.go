// Package python holds the Python that cocotrain ships: cocotrain_torch,
// the networks in plain PyTorch (the one source: scripts/torch_model.py
// imports it, and `cocotrain export --format torch` writes its model.py).
package python

import _ "embed"

// TorchModel is cocotrain_torch/model.py: the networks, build(model
// config), read_safetensors and load(folder), needing torch, numpy and
// PyYAML only.
//
//go:embed cocotrain_torch/model.py
var TorchModel []byte
