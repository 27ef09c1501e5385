#!/usr/bin/env python3
"""PyTorch twins of cocotrain's networks (tiny, small, mobilefacenet, iresnet18):
fixtures and checkpoint checks.

The networks themselves are python/cocotrain_torch/model.py (the one source,
also what `cocotrain export --format torch` writes as model.py): module and
attribute names reproduce cocotrain's parameter names minus the "backbone."
prefix, so a cocotrain checkpoint's "backbone.*" tensors load into them with
load_state_dict.

Run with Debian's python3-torch:

    /usr/bin/python3 scripts/torch_model.py [--out internal/model/testdata]
    /usr/bin/python3 scripts/torch_model.py --checkpoint run/checkpoints/last.safetensors [--batch 4]

The second form builds the twin a cocotrain checkpoint's config describes,
loads every "backbone.*" tensor into it by name (strict: a missing, extra or
misshapen tensor is an error) and prints the eval-mode embeddings of the
formula input; load_checkpoint does the same from Python.

It writes the fixtures internal/model/testdata uses to check that the Go
forward and backward agree with PyTorch: weights and inputs come from a
deterministic integer formula both sides compute (fill_value below), so only
outputs are stored. It also prints and stores the parameter and MAC counts of
the full-size networks.
"""
import argparse
import json
import math
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from cocotrain_torch.model import ARCHS, build, load_backbone  # noqa: E402  (python/cocotrain_torch: the one source of the networks)


# ------------------------------------------------- deterministic values
def fill_value(name, shape, trainable):
    """The formula internal/model's agreement test computes too: from the
    tensor's full name ("backbone.<...>"), shape and index only."""
    h = sum(name.encode()) % 1009
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.int64)
    u = ((i * 7919 + h) % 1009).astype(np.float64) / 1009.0 - 0.5
    last = name.rsplit(".", 1)[1]
    if last == "running_mean":
        v = 0.2 * u
    elif last == "running_var":
        v = 1.0 + 0.8 * u
    elif len(shape) >= 2:  # conv / linear weight
        v = u * math.sqrt(6.0 / float(np.prod(shape[1:])))
    elif last == "weight" and not trainable:  # frozen BN scale
        v = np.ones(n)
    elif last == "weight" and "prelu" in name:
        v = 0.25 + 0.2 * u
    elif last == "weight":  # BN scale
        v = 1.0 + 0.4 * u
    else:  # biases, BN shift
        v = 0.2 * u
    return v.astype(np.float32).reshape(shape)


def fill_input(n, offset=17):
    """Inputs and output gradients: 2·(((j·104729 + offset) mod 2003)/2003 − 0.5)."""
    j = np.arange(n, dtype=np.int64)
    return (2.0 * (((j * 104729 + offset) % 2003).astype(np.float64) / 2003.0 - 0.5)).astype(np.float32)


def fill_model(m):
    trainable = {k for k, p in m.named_parameters() if p.requires_grad}
    sd = m.state_dict()
    for k, t in sd.items():
        if k.endswith("num_batches_tracked"):
            continue
        name = "backbone." + k
        t.copy_(torch.from_numpy(fill_value(name, tuple(t.shape), k in trainable)))


def counts(m, channels, size):
    """Trainable parameters and conv/linear multiply-accumulates per image."""
    macs = [0]

    def hook(mod, inp, out):
        if isinstance(mod, nn.Conv2d):
            macs[0] += out.numel() // out.shape[0] * (mod.in_channels // mod.groups) * mod.kernel_size[0] * mod.kernel_size[1]
        elif isinstance(mod, nn.Linear):
            macs[0] += mod.in_features * mod.out_features
    hs = [mod.register_forward_hook(hook) for mod in m.modules() if isinstance(mod, (nn.Conv2d, nn.Linear))]
    m.eval()
    with torch.no_grad():
        m(torch.zeros(1, channels, size, size))
    for h in hs:
        h.remove()
    params = sum(p.numel() for p in m.parameters() if p.requires_grad)
    return params, macs[0]


# Small configurations the Go test runs (kept small for the test budget).
CASES = [
    ("tiny", dict(channels=3, input_size=64, emb=128), 8),
    ("small", dict(channels=3, input_size=64, emb=128), 8),
    ("mobilefacenet", dict(channels=3, input_size=64, emb=128), 8),
    ("iresnet18", dict(channels=3, input_size=16, emb=64), 8),
]
FULL = [
    ("tiny", dict(channels=3, input_size=64, emb=128)),
    ("small", dict(channels=3, input_size=64, emb=128)),
    ("mobilefacenet", dict(channels=3, input_size=112, emb=128)),
    ("iresnet18", dict(channels=3, input_size=112, emb=512)),
    ("tiny", dict(channels=1, input_size=64, emb=128)),
]


def load_checkpoint(path):
    """Return (twin, model config) for a cocotrain checkpoint: the network its
    resolved config names, with every backbone tensor and running statistic
    loaded by name."""
    import yaml
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from read_safetensors import load
    meta, tensors = load(path)
    cfg = yaml.safe_load(meta["config"])["model"]
    m = load_backbone(build(cfg), tensors, path)
    return m, cfg


def run_checkpoint(path, batch):
    m, cfg = load_checkpoint(path)
    shape = (batch, cfg["channels"], cfg["input_size"], cfg["input_size"])
    x = torch.from_numpy(fill_input(int(np.prod(shape)))).reshape(shape)
    m.eval()
    with torch.no_grad():
        y = m(x)
    n = sum(1 for k in m.state_dict() if not k.endswith("num_batches_tracked"))
    print(f"{path}: {cfg['arch']} {shape[1]}x{shape[2]}x{shape[3]} -> {cfg['embedding_dim']}, {n} tensors loaded by name")
    for i in range(batch):
        print(f"embedding[{i}][:6] = {[round(v, 6) for v in y[i, :6].tolist()]}  norm {float(y[i].norm()):.6f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "internal", "model", "testdata"))
    ap.add_argument("--checkpoint", help="load this cocotrain checkpoint into its twin and print embeddings")
    ap.add_argument("--batch", type=int, default=4, help="formula inputs to embed with --checkpoint")
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    if args.checkpoint:
        run_checkpoint(args.checkpoint, args.batch)
        return
    os.makedirs(args.out, exist_ok=True)
    print(f"torch {torch.__version__}, numpy {np.__version__}")

    full = []
    for arch, kw in FULL:
        p, macs = counts(ARCHS[arch](**kw), kw["channels"], kw["input_size"])
        full.append(dict(arch=arch, channels=kw["channels"], input_size=kw["input_size"], embedding_dim=kw["emb"], params=p, macs=macs))
        print(f"{arch:14s} {kw}: {p} trainable parameters ({p / 1e6:.3f} M), {macs} MACs ({macs / 1e9:.4f} G)")
    with open(os.path.join(args.out, "counts.json"), "w") as f:
        json.dump(full, f, indent=1)

    # The reference runs in float64 (the float32 formula values are exact in
    # float64): training-mode batch norm over few samples is ill-conditioned
    # enough that PyTorch's own float32 gradients differ from float64 by ~1e-3.
    for arch, kw, batch in CASES:
        m = ARCHS[arch](**kw)
        fill_model(m)
        m = m.double()
        shape = (batch, kw["channels"], kw["input_size"], kw["input_size"])
        x = torch.from_numpy(fill_input(int(np.prod(shape)))).reshape(shape).double()
        m.eval()
        with torch.no_grad():
            y_eval = m(x)
        m.train()
        y_train = m(x)
        d_emb = torch.from_numpy(fill_input(y_train.numel(), offset=5)).reshape(y_train.shape).double()
        (y_train * d_emb).sum().backward()
        prefix = os.path.join(args.out, arch)
        np.save(prefix + "_eval.npy", y_eval.numpy().astype(np.float32))
        np.save(prefix + "_train.npy", y_train.detach().numpy().astype(np.float32))
        # Running statistics after the training forward, and per-tensor
        # gradient summaries (sum of g·u and of g², u the tensor's fill
        # pattern), all in sorted name order.
        sd = m.state_dict()
        buffers = sorted(k for k in sd if k.endswith("running_mean") or k.endswith("running_var"))
        np.save(prefix + "_running.npy", np.concatenate([sd[k].numpy().ravel() for k in buffers]).astype(np.float32))
        grads = {}
        for k, p in sorted(m.named_parameters()):
            if not p.requires_grad:
                continue
            g = p.grad.numpy().ravel()
            u = fill_value("backbone." + k, tuple(p.shape), True).astype(np.float64).ravel()
            grads["backbone." + k] = [float(g @ u), float(g @ g)]
        with open(prefix + "_grads.json", "w") as f:
            json.dump(grads, f, indent=0, sort_keys=True)
        print(f"{arch:14s} {kw} batch {batch}: eval out[0,:4] {y_eval[0, :4].tolist()}, train out[0,:4] {y_train[0, :4].tolist()}, "
              f"{len(buffers)} running-stat tensors, {len(grads)} gradient tensors")


if __name__ == "__main__":
    main()
