#!/usr/bin/python3
"""Write internal/optim/testdata/torch.json: the PyTorch oracle for
internal/optim. For SGD (plain, momentum, Nesterov, with clipping) and AdamW
it records the parameters after each of several steps over three tensors laid
out like a cocotrain arena (a decayed weight, a batch-norm vector exempt from
decay, decayed loss-head centroids), with the per-step learning rates and
gradients it used; for each LR schedule it records the learning rate of every
iteration, computed by torch.optim.lr_scheduler (LinearLR warmup, then
MultiStepLR / CosineAnnealingLR / PolynomialLR / constant).

Usage: /usr/bin/python3 scripts/optim_fixtures.py [OUT]
"""
import json
import sys

import torch

OUT = sys.argv[1] if len(sys.argv) > 1 else "internal/optim/testdata/torch.json"
SHAPES = [("w", "weight", (3, 4)), ("bn", "norm", (4,)), ("c", "center", (2, 3))]
STEPS = 6


def flat(ts):
    return [float(x) for t in ts for x in t.detach().reshape(-1).tolist()]


def run_optimizer(case):
    g = torch.Generator().manual_seed(case["seed"])
    ps = [torch.randn(*s, generator=g).requires_grad_(True) for _, _, s in SHAPES]
    init = flat(ps)
    decayed = [p for p, (_, kind, _) in zip(ps, SHAPES) if kind != "norm"]
    exempt = [p for p, (_, kind, _) in zip(ps, SHAPES) if kind == "norm"]
    groups = [{"params": decayed, "weight_decay": case["weight_decay"]},
              {"params": exempt, "weight_decay": 0.0}]
    if case["name"] == "sgd":
        opt = torch.optim.SGD(groups, lr=1.0, momentum=case["momentum"], nesterov=case["nesterov"])
    else:
        opt = torch.optim.AdamW(groups, lr=1.0, betas=(case["beta1"], case["beta2"]), eps=case["eps"])
    grads, after, norms = [], [], []
    for step in range(STEPS):
        for p in ps:
            p.grad = torch.randn(p.shape, generator=g) * case["grad_scale"]
        grads.append(flat([p.grad for p in ps]))
        norms.append(float(torch.nn.utils.clip_grad_norm_(ps, case["clip_grad_norm"]))
                     if case["clip_grad_norm"] > 0 else None)
        for group in opt.param_groups:
            group["lr"] = case["lrs"][step]
        opt.step()
        after.append(flat(ps))
    return dict(case, init=init, grads=grads, after=after, norms=norms)


def run_schedule(case):
    base, total, spe = case["base"], case["total"], case["steps_per_epoch"]
    warm = case["warmup_steps"] or round(case["warmup_epochs"] * spe)

    def opt():
        return torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base)

    def record(o, sched, n):
        out = []
        for _ in range(n):
            out.append(o.param_groups[0]["lr"])
            o.step()
            sched.step()
        return out

    lrs = []
    if warm > 0:
        o = opt()
        lrs += record(o, torch.optim.lr_scheduler.LinearLR(o, start_factor=1 / warm, total_iters=warm - 1), warm)
    o, rest = opt(), total - warm
    kind = case["kind"]
    if kind == "multistep":
        ms = [round(m * spe) - warm for m in case["milestones"]]
        s = torch.optim.lr_scheduler.MultiStepLR(o, milestones=ms, gamma=case["gamma"])
    elif kind == "cosine":
        s = torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=rest, eta_min=case["min_lr"])
    elif kind == "poly":
        s = torch.optim.lr_scheduler.PolynomialLR(o, total_iters=rest, power=case["power"])
    else:
        s = torch.optim.lr_scheduler.ConstantLR(o, factor=1.0, total_iters=0)
    lrs += record(o, s, rest)
    return dict(case, lrs=lrs)


base = dict(momentum=0.0, nesterov=False, weight_decay=0.0, beta1=0.9, beta2=0.999, eps=1e-8,
            clip_grad_norm=0.0, grad_scale=1.0, lrs=[0.1, 0.1, 0.05, 0.05, 0.02, 0.01])
optim_cases = [
    dict(base, label="sgd-plain", name="sgd", weight_decay=1e-2, seed=1),
    dict(base, label="sgd-momentum", name="sgd", momentum=0.9, weight_decay=5e-4, seed=2),
    dict(base, label="sgd-nesterov", name="sgd", momentum=0.9, nesterov=True, weight_decay=5e-4, seed=3),
    dict(base, label="sgd-clip", name="sgd", momentum=0.9, weight_decay=5e-4, clip_grad_norm=1.0, grad_scale=2.0, seed=4),
    dict(base, label="adamw", name="adamw", weight_decay=0.05, seed=5, lrs=[1e-3, 1e-3, 5e-4, 5e-4, 2e-4, 1e-4]),
    dict(base, label="adamw-betas", name="adamw", weight_decay=0.1, beta1=0.8, beta2=0.99, eps=1e-6, seed=6,
         lrs=[3e-2, 3e-2, 1e-2, 1e-2, 1e-2, 1e-2]),
]
sched_base = dict(warmup_steps=0, warmup_epochs=0.0, milestones=[], gamma=0.1, power=2.0, min_lr=0.0)
schedule_cases = [
    dict(sched_base, kind="multistep", base=0.1, steps_per_epoch=10, total=60, warmup_steps=5, milestones=[2, 4.5]),
    dict(sched_base, kind="cosine", base=0.1, steps_per_epoch=10, total=50, warmup_epochs=1.0, min_lr=1e-3),
    dict(sched_base, kind="poly", base=0.1, steps_per_epoch=7, total=30, power=2.0),
    dict(sched_base, kind="poly", base=0.05, steps_per_epoch=7, total=30, warmup_steps=4, power=1.5),
    dict(sched_base, kind="constant", base=0.01, steps_per_epoch=3, total=10, warmup_steps=3),
]
fixture = {"torch": torch.__version__,
           "optimizers": [run_optimizer(c) for c in optim_cases],
           "schedules": [run_schedule(c) for c in schedule_cases]}
with open(OUT, "w") as f:
    json.dump(fixture, f, indent=1)
print(f"wrote {OUT} with torch {torch.__version__}")
