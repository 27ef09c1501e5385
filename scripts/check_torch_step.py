#!/usr/bin/env python3
"""Checks that train_ddp.py's training step is cocotrain's (TestTorchStepAgrees).

    /usr/bin/python3 scripts/check_torch_step.py CASE_DIR...

Each CASE_DIR, written by the Go test, holds config.yaml (model, loss, optim
sections and run: steps, steps_per_epoch, total), init.safetensors (every
tensor before), batches.safetensors (x<i>, y<i> of step i) and
after.safetensors (every tensor after cocotrain's steps). This builds the
network (model.py) and head (losses.py) from the config, loads init, runs
the steps with train_ddp.train_step (one process, no distribution, the
learning rate of train_ddp.Schedule) and compares every tensor with after:
max |got − want| / max(|want|, rms(want)) must be ≤ 1e-4. It also prints
the error of the change (after − init), relative to its RMS. Exit status 1
when a tensor disagrees.
"""
import os
import sys

import numpy as np
import torch
import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python", "cocotrain_torch"))
import losses  # noqa: E402
import model  # noqa: E402
import train_ddp  # noqa: E402

TOL = 1e-4


def rel_err(got, want):
    rms = float(np.sqrt(np.mean(want.astype(np.float64) ** 2))) or 1e-30
    return float(np.max(np.abs(got.astype(np.float64) - want) / np.maximum(np.abs(want), rms)))


def check(case):
    with open(os.path.join(case, "config.yaml")) as f:
        cfg = yaml.safe_load(f)
    _, init = model.read_safetensors(os.path.join(case, "init.safetensors"))
    _, batches = model.read_safetensors(os.path.join(case, "batches.safetensors"))
    _, want = model.read_safetensors(os.path.join(case, "after.safetensors"))
    run = cfg["run"]
    k = init["head.centers" if "head.centers" in init else "head.weight" if "head.weight" in init else "head.centroids"].shape[0]
    net = model.load_backbone(model.build(cfg["model"]), init, "init.safetensors")
    head = losses.build_head(cfg["loss"], cfg["model"]["embedding_dim"], k)
    with torch.no_grad():
        for name, t in list(head.named_parameters()) + list(head.named_buffers()):
            t.copy_(torch.from_numpy(np.array(init["head." + name])))
    net.train()
    trainable = train_ddp.named_trainable(net, head)
    opt = train_ddp.make_optimizer(cfg["optim"], trainable)
    sched = train_ddp.Schedule(cfg["optim"]["schedule"], cfg["optim"]["lr"], run["steps_per_epoch"], run["total"])
    for s in range(run["steps"]):
        x = torch.from_numpy(np.array(batches[f"x{s}"]))
        y = torch.from_numpy(np.array(batches[f"y{s}"])).long()
        train_ddp.train_step(net, head, opt, [p for _, p, _ in trainable], x, y, sched.lr(s),
                             float(cfg["optim"].get("clip_grad_norm") or 0))
    got = {"backbone." + n: v.detach().numpy() for n, v in net.state_dict().items() if not n.endswith("num_batches_tracked")}
    got.update({"head." + n: v.detach().numpy() for n, v in head.state_dict().items()})
    if sorted(got) != sorted(want):
        print(f"{case}: tensors differ: only torch {sorted(set(got) - set(want))}, only cocotrain {sorted(set(want) - set(got))}")
        return False
    worst, worst_delta, bad = 0.0, 0.0, []
    for n in sorted(want):
        e = rel_err(got[n], want[n])
        delta_want = want[n].astype(np.float64) - init[n]
        if np.any(delta_want):
            worst_delta = max(worst_delta, float(np.max(np.abs(got[n] - init[n] - delta_want)) / np.sqrt(np.mean(delta_want ** 2))))
        worst = max(worst, e)
        if e > TOL:
            bad.append(f"{n} ({e:.3g})")
    print(f"{os.path.basename(case)}: {len(want)} tensors after {run['steps']} steps, max relative error {worst:.3g} "
          f"(the changes: {worst_delta:.3g} of their RMS)" + (f"; above {TOL}: {', '.join(bad)}" if bad else ""))
    return not bad


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    torch.set_num_threads(1)
    ok = all([check(c) for c in sys.argv[1:]])
    sys.exit(0 if ok else 1)
