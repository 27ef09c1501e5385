#!/usr/bin/env python3
"""Checks a folder written by `cocotrain export --format torch` with
PyTorch alone (Debian python3-torch, python3-yaml): imports its model.py,
loads the network with model.load (every backbone tensor by name and shape),
runs INPUT.npy (float32 N×C×S×S, normalised as cocotrain's loader does) in
eval mode at each batch size and compares each embedding with REF.npy
(`cocotrain embed --no-flip` of the same images): cosine >= 0.99999 per
image. Prints one JSON line per batch size; exits 1 on any failure.

    /usr/bin/python3 scripts/check_torch_export.py FOLDER INPUT.npy REF.npy [BATCH ...]
"""
import importlib.util
import json
import os
import sys

import numpy as np
import torch


def main():
    if len(sys.argv) < 4:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        sys.exit(2)
    folder, inp, ref_file = sys.argv[1:4]
    batches = [int(b) for b in sys.argv[4:]] or [1, 64]
    spec = importlib.util.spec_from_file_location("exported_model", os.path.join(folder, "model.py"))
    model = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(model)
    net, tensors, cfg = model.load(folder)
    d = cfg["model"]["embedding_dim"]
    head = tensors.get("head.centroids")
    if head is None or head.ndim != 2 or head.shape[1] != d:
        raise SystemExit(f"{folder}: head.centroids {None if head is None else head.shape}, want K×{d}")
    x = torch.from_numpy(np.load(inp))
    ref = np.load(ref_file).astype(np.float64)
    torch.set_num_threads(1)
    ok = True
    for bs in batches:
        with torch.no_grad():
            y = torch.cat([net(x[i:i + bs]) for i in range(0, len(x), bs)]).double().numpy()
        cos = (y * ref).sum(1) / (np.linalg.norm(y, axis=1) * np.linalg.norm(ref, axis=1))
        at = int(np.argmin(np.nan_to_num(cos, nan=-2.0)))  # a NaN is the worst
        worst = float(cos[at])
        passed = bool(worst >= 0.99999)
        ok &= passed
        print(json.dumps({"folder": folder, "runtime": f"torch {torch.__version__}", "batch": bs, "images": len(x),
                          "min_cosine": worst, "worst_image": at,
                          "classes": int(head.shape[0]), "tensors": len(tensors), "pass": passed}))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
