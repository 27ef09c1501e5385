#!/usr/bin/python3
"""Golden fixtures for internal/loss and internal/npy.

Run from the repository root with Debian's python3-torch:

    /usr/bin/python3 scripts/gen_loss_fixtures.py

internal/loss/testdata: for every case in cases.json (a loss config in the
YAML keys of loss.Config), the float32 inputs <case>.emb.npy, <case>.labels.npy
and <case>.<param>.npy (the head's tensors by arena name), and the expected
results computed by PyTorch autograd in float64 from those float32 values:
<case>.loss.npy, <case>.acc.npy, <case>.grad.emb.npy, <case>.grad.<param>.npy
and, for the center head, <case>.after.head.centers.npy (the centres after the
update rule of Wen et al. 2016).

internal/npy/testdata: small arrays written by NumPy itself (every supported
dtype, 0-d to 3-d, an empty array, a version 2.0 header) that the Go reader
must read and the Go writer must reproduce byte for byte.
"""
import json
import math
import os
import zlib

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOSS_DIR = os.path.join(ROOT, "internal", "loss", "testdata")
NPY_DIR = os.path.join(ROOT, "internal", "npy", "testdata")
NORM_EPS = 1e-6  # loss.NormEps
ARC_SIN_SQ_MIN = 1e-12  # loss.arcSinSqMin

M, D, K = 6, 8, 5


def normalize(x):
    return F.normalize(x, dim=1, eps=NORM_EPS)


def cross_entropy(z, y):
    return F.cross_entropy(z, y)  # mean over the batch, log-sum-exp stabilised


def cosine_logits(f, c, y, s, margin, m):
    cos = normalize(f) @ normalize(c).T
    onehot = F.one_hot(y, cos.shape[1]).to(cos.dtype)
    ct = cos.gather(1, y[:, None]).squeeze(1)
    if margin == "cos":
        phi = ct - m
    elif margin == "arc":
        cc = ct.clamp(-1, 1)
        sin = torch.sqrt(torch.clamp(1 - cc * cc, min=ARC_SIN_SQ_MIN))
        phi = cc * math.cos(m) - sin * math.sin(m)
        phi = torch.where(cc > math.cos(math.pi - m), phi, cc - math.sin(math.pi - m) * m)
    else:
        phi = ct
    z = s * (cos * (1 - onehot) + phi[:, None] * onehot)
    return z, cos


def auto_alpha(k, eps):
    return (k - 1) / k * math.log((k - 1) * eps / (1 - eps))


def case(name, cfg, tensors, fn, extra=None):
    """Write inputs, then run fn(f, y, params) -> (loss, scores) with autograd."""
    g = torch.Generator().manual_seed(zlib.crc32(name.encode()))
    emb = torch.randn(M, D, generator=g, dtype=torch.float32)
    labels = torch.tensor([0, 1, 2, 3, 4, 2], dtype=torch.int64)
    params = {}
    for pname, shape in tensors:
        params[pname] = torch.randn(*shape, generator=g, dtype=torch.float32)
    if extra:
        extra(emb, labels, params)
    save = lambda suffix, t: np.save(os.path.join(LOSS_DIR, f"{name}.{suffix}.npy"), t.detach().numpy())
    save("emb", emb)
    save("labels", labels)
    for pname, t in params.items():
        save(pname, t)
    f = emb.double().requires_grad_(True)
    p64 = {k: v.double().requires_grad_(k != "head.centers") for k, v in params.items()}
    loss, scores = fn(f, labels, p64)
    loss.backward()
    acc = (scores.argmax(dim=1) == labels).double().mean()
    save("loss", loss)
    save("acc", acc)
    save("grad.emb", f.grad)
    for pname, t in p64.items():
        if t.requires_grad:
            save("grad." + pname, t.grad)
    return f.detach(), labels, p64


def main():
    os.makedirs(LOSS_DIR, exist_ok=True)
    for fn in os.listdir(LOSS_DIR):
        if fn.endswith(".npy"):
            os.remove(os.path.join(LOSS_DIR, fn))
    cases = {}

    def cosine(name, cfg, s, margin="", m=0.0, aux=0.0, extra=None):
        tensors = [("head.centroids", (K, D))]
        if aux > 0:
            tensors += [("head.aux.weight", (K, D)), ("head.aux.bias", (K,))]

        def fn(f, y, p):
            z, cos = cosine_logits(f, p["head.centroids"], y, s, margin, m)
            loss = cross_entropy(z, y)
            if aux > 0:
                loss = loss + aux * cross_entropy(f @ p["head.aux.weight"].T + p["head.aux.bias"], y)
            return loss, cos

        cases[name] = cfg
        case(name, cfg, tensors, fn, extra)

    cosine("coco", {"type": "coco", "alpha": "12"}, 12.0)
    cosine("coco_auto", {"type": "coco", "alpha": "auto", "epsilon": 0.99}, auto_alpha(K, 0.99))
    cosine("coco_aux", {"type": "coco", "alpha": "auto", "epsilon": 0.9, "aux_softmax_weight": 0.4},
           auto_alpha(K, 0.9), aux=0.4)
    cosine("normface", {"type": "normface", "s": 16}, 16.0)
    cosine("cosface", {"type": "cosface"}, 64.0, "cos", 0.35)
    cosine("cosface_s30", {"type": "cosface", "s": 30, "m": 0.2}, 30.0, "cos", 0.2)

    def opposite(emb, labels, p):
        # sample 0 opposite its class vector: arcface's fallback branch
        emb[0] = -3 * p["head.centroids"][labels[0]] + 0.05 * emb[0]

    cosine("arcface", {"type": "arcface"}, 64.0, "arc", 0.5, extra=opposite)
    cosine("arcface_s10", {"type": "arcface", "s": 10, "m": 0.3}, 10.0, "arc", 0.3, extra=opposite)

    def softmax(f, y, p):
        z = f @ p["head.weight"].T + p["head.bias"]
        return cross_entropy(z, y), z

    cases["softmax"] = {"type": "softmax"}
    case("softmax", cases["softmax"], [("head.weight", (K, D)), ("head.bias", (K,))], softmax)

    lam, rate = 0.1, 0.5

    def center(f, y, p):
        z = f @ p["head.weight"].T + p["head.bias"]
        c = p["head.centers"]
        return cross_entropy(z, y) + lam * ((f - c[y]) ** 2).sum() / (2 * f.shape[0]), z

    cases["center"] = {"type": "center", "center_lambda": lam, "center_alpha": rate}
    f, y, p = case("center", cases["center"],
                   [("head.weight", (K, D)), ("head.bias", (K,)), ("head.centers", (K, D))], center)
    c = p["head.centers"].detach().clone()
    new = c.clone()
    for j in range(K):
        idx = (y == j).nonzero().squeeze(1)
        if len(idx):
            new[j] = c[j] + rate * (f[idx] - c[j]).sum(0) / (1 + len(idx))
    np.save(os.path.join(LOSS_DIR, "center.after.head.centers.npy"), new.numpy())

    with open(os.path.join(LOSS_DIR, "cases.json"), "w") as fh:
        json.dump(cases, fh, indent=1, sort_keys=True)
        fh.write("\n")

    os.makedirs(NPY_DIR, exist_ok=True)
    arrays = {
        "f4_2x3": (np.arange(6, dtype=np.float32) * 0.5 - 1).reshape(2, 3),
        "f8_scalar": np.array(math.pi, dtype=np.float64),
        "i8_vec": np.arange(-3, 4, dtype=np.int64) * 1000000007,
        "i4_2x2x2": np.arange(8, dtype=np.int32).reshape(2, 2, 2) - 4,
        "b1_2x2": np.array([[True, False], [False, True]]),
        "f4_0x3": np.zeros((0, 3), dtype=np.float32),
    }
    for name, a in arrays.items():
        np.save(os.path.join(NPY_DIR, name + ".npy"), a)
    with open(os.path.join(NPY_DIR, "f4_2x3_v2.npy"), "wb") as fh:
        np.lib.format.write_array(fh, arrays["f4_2x3"], version=(2, 0))
    print("torch", torch.__version__, "numpy", np.__version__, "->", LOSS_DIR, NPY_DIR)


if __name__ == "__main__":
    main()
