#!/usr/bin/env python3
"""PyTorch twins of cocotrain's networks (tiny, mobilefacenet, iresnet18).

The module and attribute names reproduce cocotrain's parameter names minus
the "backbone." prefix (mobilefacenet follows TreB1eN's InsightFace_Pytorch,
iresnet18 insightface's arcface_torch), so a cocotrain checkpoint's
"backbone.*" tensors load into these modules with load_state_dict.

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


# ---------------------------------------------------------------- tiny
class Tiny(nn.Module):
    """conv3x3 (no bias) -> BN -> ReLU -> maxpool2, for 32, 64, 128, 256
    channels; flatten -> Linear (no bias) -> BatchNorm1d."""

    def __init__(self, channels=3, input_size=64, emb=128, dropout=0.0):
        super().__init__()
        c_in, s = channels, input_size
        for i, c in enumerate([32, 64, 128, 256], 1):
            setattr(self, f"conv{i}", nn.Conv2d(c_in, c, 3, 1, 1, bias=False))
            setattr(self, f"bn{i}", nn.BatchNorm2d(c))
            c_in, s = c, s // 2
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.fc = nn.Linear(c_in * s * s, emb, bias=False)
        self.features = nn.BatchNorm1d(emb)

    def forward(self, x):
        for i in range(1, 5):
            x = getattr(self, f"bn{i}")(getattr(self, f"conv{i}")(x))
            x = nn.functional.max_pool2d(torch.relu(x), 2)
        return self.features(self.fc(self.dropout(torch.flatten(x, 1))))


# ------------------------------------------------------- mobilefacenet
class ConvBlock(nn.Module):
    def __init__(self, c_in, c_out, k=1, s=1, p=0, groups=1, act=True):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, k, s, p, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(c_out)
        if act:
            self.prelu = nn.PReLU(c_out)
        self.act = act

    def forward(self, x):
        x = self.bn(self.conv(x))
        return self.prelu(x) if self.act else x


class DepthWise(nn.Module):
    def __init__(self, c_in, c_out, residual=False, stride=2, groups=1):
        super().__init__()
        self.conv = ConvBlock(c_in, groups)
        self.conv_dw = ConvBlock(groups, groups, 3, stride, 1, groups=groups)
        self.project = ConvBlock(groups, c_out, act=False)
        self.residual = residual

    def forward(self, x):
        y = self.project(self.conv_dw(self.conv(x)))
        return x + y if self.residual else y


class Residual(nn.Module):
    def __init__(self, c, num_block, groups):
        super().__init__()
        self.model = nn.Sequential(*[DepthWise(c, c, True, 1, groups) for _ in range(num_block)])

    def forward(self, x):
        return self.model(x)


class MobileFaceNet(nn.Module):
    """Chen et al. 2018 as TreB1eN's InsightFace_Pytorch builds it."""

    def __init__(self, channels=3, input_size=112, emb=128, dropout=0.0):
        super().__init__()
        self.conv1 = ConvBlock(channels, 64, 3, 2, 1)
        self.conv2_dw = ConvBlock(64, 64, 3, 1, 1, groups=64)
        self.conv_23 = DepthWise(64, 64, stride=2, groups=128)
        self.conv_3 = Residual(64, 4, 128)
        self.conv_34 = DepthWise(64, 128, stride=2, groups=256)
        self.conv_4 = Residual(128, 6, 256)
        self.conv_45 = DepthWise(128, 128, stride=2, groups=512)
        self.conv_5 = Residual(128, 2, 256)
        self.conv_6_sep = ConvBlock(128, 512)
        s = input_size
        for _ in range(4):
            s = (s + 2 - 3) // 2 + 1
        self.conv_6_dw = ConvBlock(512, 512, s, 1, 0, groups=512, act=False)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.linear = nn.Linear(512, emb, bias=False)
        self.bn = nn.BatchNorm1d(emb)

    def forward(self, x):
        for name in ["conv1", "conv2_dw", "conv_23", "conv_3", "conv_34", "conv_4",
                     "conv_45", "conv_5", "conv_6_sep", "conv_6_dw"]:
            x = getattr(self, name)(x)
        return self.bn(self.linear(self.dropout(torch.flatten(x, 1))))


# ----------------------------------------------------------- iresnet18
class IBasicBlock(nn.Module):
    def __init__(self, inplanes, planes, stride=1, downsample=None):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(inplanes, eps=1e-05)
        self.conv1 = nn.Conv2d(inplanes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes, eps=1e-05)
        self.prelu = nn.PReLU(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes, eps=1e-05)
        self.downsample = downsample

    def forward(self, x):
        out = self.bn3(self.conv2(self.prelu(self.bn2(self.conv1(self.bn1(x))))))
        return out + (self.downsample(x) if self.downsample is not None else x)


class IResNet18(nn.Module):
    """insightface arcface_torch iresnet18 (layers [2, 2, 2, 2])."""

    def __init__(self, channels=3, input_size=112, emb=512, dropout=0.0):
        super().__init__()
        self.inplanes = 64
        self.conv1 = nn.Conv2d(channels, 64, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64, eps=1e-05)
        self.prelu = nn.PReLU(64)
        s = input_size
        for i, planes in enumerate([64, 128, 256, 512], 1):
            setattr(self, f"layer{i}", self._make_layer(planes, 2, 2))
            s = (s + 2 - 3) // 2 + 1
        self.bn2 = nn.BatchNorm2d(512, eps=1e-05)
        self.dropout = nn.Dropout(p=dropout)
        self.fc = nn.Linear(512 * s * s, emb)
        self.features = nn.BatchNorm1d(emb, eps=1e-05)
        nn.init.constant_(self.features.weight, 1.0)
        self.features.weight.requires_grad = False

    def _make_layer(self, planes, blocks, stride):
        downsample = nn.Sequential(
            nn.Conv2d(self.inplanes, planes, 1, stride, bias=False),
            nn.BatchNorm2d(planes, eps=1e-05))
        layers = [IBasicBlock(self.inplanes, planes, stride, downsample)]
        self.inplanes = planes
        layers += [IBasicBlock(planes, planes) for _ in range(1, blocks)]
        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.prelu(self.bn1(self.conv1(x)))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        x = self.dropout(torch.flatten(self.bn2(x), 1))
        return self.features(self.fc(x))


ARCHS = {"tiny": Tiny, "mobilefacenet": MobileFaceNet, "iresnet18": IResNet18}


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
    ("mobilefacenet", dict(channels=3, input_size=64, emb=128), 8),
    ("iresnet18", dict(channels=3, input_size=16, emb=64), 8),
]
FULL = [
    ("tiny", dict(channels=3, input_size=64, emb=128)),
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
    m = ARCHS[cfg["arch"]](channels=cfg["channels"], input_size=cfg["input_size"],
                           emb=cfg["embedding_dim"], dropout=cfg.get("dropout", 0.0))
    sd = {k[len("backbone."):]: torch.from_numpy(np.array(v)) for k, v in tensors.items() if k.startswith("backbone.")}
    missing, unexpected = m.load_state_dict(sd, strict=False)  # strict would demand num_batches_tracked
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise ValueError(f"{path}: tensors missing from the checkpoint {missing}, unknown to the twin {unexpected}")
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
