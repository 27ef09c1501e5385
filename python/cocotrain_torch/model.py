"""cocotrain's networks (tiny, small, mobilefacenet, iresnet18) in plain PyTorch.

The module and attribute names reproduce cocotrain's parameter names minus
the "backbone." prefix (mobilefacenet follows TreB1eN's InsightFace_Pytorch,
iresnet18 insightface's arcface_torch), so a cocotrain checkpoint's
"backbone.*" tensors load into these modules with load_state_dict. Needs
torch and numpy only (PyYAML to read config.yaml in load).

This file is the one source of the networks: cocotrain's own tests import it
(scripts/torch_model.py), and `cocotrain export --format torch --out DIR`
writes it as DIR/model.py beside DIR/weights.safetensors (every "backbone.*"
and "head.*" tensor of the checkpoint, float32) and DIR/config.yaml (the
run's resolved config):

    import sys; sys.path.insert(0, DIR)
    import model
    net, tensors, cfg = model.load(DIR)      # eval mode, weights loaded
    emb = net(x)                             # x: N×C×S×S, pixels v as (v - 127.5) / 127.5

The input is N×C×S×S float32 (C = 3: RGB planes; 1: grey), each 8-bit pixel
value v normalised as (v − 127.5)/127.5; the output N×D is the embedding
before L2 normalisation. tensors["head.centroids"] holds the CoCo loss's
class centroids (K×D, not normalised), cfg the config as a dict.
"""
import json
import os
import struct

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


# ---------------------------------------------------------------- small
class Small(nn.Module):
    """Tiny with two convolutions per stage: conv3x3 (no bias) -> BN ->
    PReLU (conv{i}a, bn{i}a, prelu{i}a), then conv3x3 (no bias) -> BN ->
    ReLU -> maxpool2, for 32, 64, 128, 256 channels; flatten -> Linear (no
    bias) -> BatchNorm1d."""

    def __init__(self, channels=3, input_size=64, emb=128, dropout=0.0):
        super().__init__()
        c_in, s = channels, input_size
        for i, c in enumerate([32, 64, 128, 256], 1):
            setattr(self, f"conv{i}a", nn.Conv2d(c_in, c, 3, 1, 1, bias=False))
            setattr(self, f"bn{i}a", nn.BatchNorm2d(c))
            setattr(self, f"prelu{i}a", nn.PReLU(c))
            setattr(self, f"conv{i}", nn.Conv2d(c, c, 3, 1, 1, bias=False))
            setattr(self, f"bn{i}", nn.BatchNorm2d(c))
            c_in, s = c, s // 2
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.fc = nn.Linear(c_in * s * s, emb, bias=False)
        self.features = nn.BatchNorm1d(emb)

    def forward(self, x):
        for i in range(1, 5):
            x = getattr(self, f"prelu{i}a")(getattr(self, f"bn{i}a")(getattr(self, f"conv{i}a")(x)))
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


ARCHS = {"tiny": Tiny, "small": Small, "mobilefacenet": MobileFaceNet, "iresnet18": IResNet18}


def build(model_cfg):
    """The network a config's model section (a dict: arch, channels,
    input_size, embedding_dim, dropout) describes, freshly initialised."""
    return ARCHS[model_cfg["arch"]](channels=model_cfg["channels"], input_size=model_cfg["input_size"],
                                    emb=model_cfg["embedding_dim"], dropout=model_cfg.get("dropout", 0.0))


def read_safetensors(path):
    """(metadata dict, {name: float32 numpy array}) of a safetensors file
    of F32 tensors, with json and numpy only."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = memoryview(raw)[8 + n:]
    tensors = {}
    for name, t in header.items():
        if t["dtype"] != "F32":
            raise ValueError(f"{path}: {name}: dtype {t['dtype']}, want F32")
        b, e = t["data_offsets"]
        tensors[name] = np.frombuffer(data[b:e], dtype="<f4").reshape(t["shape"])
    return meta, tensors


def load_backbone(net, tensors, where="the weights"):
    """Copies every "backbone.*" tensor into net by name; a tensor missing
    on either side or of another shape is an error naming it."""
    sd = {k[len("backbone."):]: torch.from_numpy(np.array(v)) for k, v in tensors.items() if k.startswith("backbone.")}
    own = net.state_dict()
    for k, v in sd.items():
        if k in own and tuple(own[k].shape) != tuple(v.shape):
            raise ValueError(f"{where}: backbone.{k} has shape {tuple(v.shape)}, the network wants {tuple(own[k].shape)}")
    missing, unexpected = net.load_state_dict(sd, strict=False)  # strict would demand num_batches_tracked
    missing = [k for k in missing if not k.endswith("num_batches_tracked")]
    if missing or unexpected:
        raise ValueError(f"{where}: tensors missing {missing}, unknown to the network {unexpected}")
    return net


def load(folder):
    """(network in eval mode, {name: numpy array} of every tensor, config
    dict) from a folder written by `cocotrain export --format torch`."""
    import yaml
    with open(os.path.join(folder, "config.yaml")) as f:
        cfg = yaml.safe_load(f)
    path = os.path.join(folder, "weights.safetensors")
    _, tensors = read_safetensors(path)
    net = load_backbone(build(cfg["model"]), tensors, path)
    net.eval()
    return net, tensors, cfg


if __name__ == "__main__":
    import sys
    if len(sys.argv) != 2:
        sys.exit("usage: python3 model.py FOLDER  (a folder written by cocotrain export --format torch)")
    net, tensors, cfg = load(sys.argv[1])
    m = cfg["model"]
    n = sum(p.numel() for p in net.parameters() if p.requires_grad)
    print(f"{m['arch']} {m['channels']}x{m['input_size']}x{m['input_size']} -> {m['embedding_dim']}: "
          f"{n} trainable parameters, {len(tensors)} tensors in weights.safetensors")
