#!/usr/bin/env python3
"""PyTorch CPU peer of `cocotrain bench train`: training and inference
images/s of the same networks, timed the same way.

The networks are the twins in scripts/torch_model.py (the module the
internal/model agreement fixtures come from), imported, not copied. One
training step is: zero the gradients, forward the batch in training mode, a
1000-class softmax head (nn.Linear with bias + cross-entropy) on the
embedding, backward, one SGD step (momentum 0.9, weight decay 5e-4 on
convolution/linear weights only, as cocotrain's optim defaults). Inference is
the forward pass in eval mode under torch.no_grad(). Data are random (a
normal batch and uniform labels, fixed seed), drawn once.

A second inference figure, infer_optimized_images_per_s, times what a
PyTorch user tuning for CPU inference would deploy: the eval-mode network
traced with torch.jit.trace and passed through
torch.jit.optimize_for_inference (frozen; batch norm folded into the
convolutions, oneDNN-friendly layouts), under torch.no_grad().

Each phase runs --warmup untimed steps, then timed steps until at least
--min-time seconds and --min-steps steps have passed; images/s = steps ·
batch / elapsed. peak_rss_mb is getrusage(RUSAGE_SELF).ru_maxrss of this
process (the whole Python + torch process, as a user would run it).

Run with Debian's python3-torch:

    /usr/bin/python3 scripts/bench_torch.py --arch tiny [--batch 64] [--threads 2] [--json]

--json prints one JSON object with the keys of `cocotrain bench train
--json`: arch, batch, threads, train_images_per_s, infer_images_per_s,
peak_rss_mb, kernels (PyTorch's CPU capability, e.g. "AVX2", and oneDNN's
ISA limit when ONEDNN_MAX_CPU_ISA is set), and infer_optimized_images_per_s.
"""
import argparse
import json
import os
import resource
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_model  # noqa: E402  (scripts/torch_model.py, beside this file)

# Per-architecture input and embedding defaults (cocotrain bench train uses
# the same table): channels, input side, embedding dimension.
DEFAULTS = {
    "tiny": (1, 64, 128),
    "small": (3, 64, 128),
    "mobilefacenet": (3, 112, 128),
    "iresnet18": (3, 112, 512),
}


def timed(step, warmup, min_time, min_steps):
    """Runs step warmup times, then until min_time seconds and min_steps
    steps have passed; returns (steps, seconds) of the timed part."""
    for _ in range(warmup):
        step()
    n, t0 = 0, time.perf_counter()
    while True:
        step()
        n += 1
        dt = time.perf_counter() - t0
        if n >= min_steps and dt >= min_time:
            return n, dt


def cpu_capability():
    """The vector ISA PyTorch's own kernels run ("AVX2", "AVX512", ...: what
    torch.__config__.show() reports, ATEN_CPU_CAPABILITY lowers it), with
    oneDNN's limit when ONEDNN_MAX_CPU_ISA sets one."""
    cap = "?"
    for line in torch.__config__.show().splitlines():
        if "CPU capability usage:" in line:
            cap = line.split(":", 1)[1].strip()
    isa = os.environ.get("ONEDNN_MAX_CPU_ISA")
    return f"{cap}, ONEDNN_MAX_CPU_ISA={isa}" if isa else cap


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--arch", default="tiny", choices=sorted(DEFAULTS))
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    ap.add_argument("--classes", type=int, default=1000, help="classes of the softmax head")
    ap.add_argument("--channels", type=int, default=0, help="input channels (0: the arch default)")
    ap.add_argument("--input-size", type=int, default=0, help="input side (0: the arch default)")
    ap.add_argument("--embedding-dim", type=int, default=0, help="embedding dimension (0: the arch default)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed steps before each phase")
    ap.add_argument("--min-time", type=float, default=5.0, help="seconds each timed phase runs at least")
    ap.add_argument("--min-steps", type=int, default=5, help="steps each timed phase runs at least")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    if args.batch < 1 or args.threads < 1 or args.classes < 1:
        ap.error("--batch, --threads and --classes must be ≥ 1")

    channels, size, emb = DEFAULTS[args.arch]
    channels = args.channels or channels
    size = args.input_size or size
    emb = args.embedding_dim or emb

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    net = torch_model.ARCHS[args.arch](channels=channels, input_size=size, emb=emb)
    head = nn.Linear(emb, args.classes)
    decay, no_decay = [], []
    for m in (net, head):
        for p in m.parameters():
            if p.requires_grad:
                (decay if p.dim() >= 2 else no_decay).append(p)
    opt = torch.optim.SGD([{"params": decay, "weight_decay": 5e-4},
                           {"params": no_decay, "weight_decay": 0.0}],
                          lr=0.01, momentum=0.9)
    ce = nn.CrossEntropyLoss()
    x = torch.randn(args.batch, channels, size, size)
    y = torch.randint(0, args.classes, (args.batch,))

    losses = []

    def train_step():
        opt.zero_grad(set_to_none=False)
        loss = ce(head(net(x)), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())

    def infer_step():
        net(x)

    net.train()
    head.train()
    tn, tt = timed(train_step, args.warmup, args.min_time, args.min_steps)
    if not all(map(lambda v: v == v and abs(v) != float("inf"), losses)):
        sys.exit(f"bench_torch: non-finite training loss {losses[-1]}")
    net.eval()
    with torch.no_grad():
        inn, it = timed(infer_step, args.warmup, args.min_time, args.min_steps)
        opt_net = torch.jit.optimize_for_inference(torch.jit.trace(net, x))
        on, ot = timed(lambda: opt_net(x), args.warmup, args.min_time, args.min_steps)

    res = {
        "arch": args.arch,
        "batch": args.batch,
        "threads": args.threads,
        "train_images_per_s": tn * args.batch / tt,
        "infer_images_per_s": inn * args.batch / it,
        "infer_optimized_images_per_s": on * args.batch / ot,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "kernels": cpu_capability(),
    }
    if args.json:
        print(json.dumps(res))
    else:
        print(f"pytorch {torch.__version__} {args.arch} {channels}×{size}×{size} → {emb}, batch {args.batch}, "
              f"{args.threads} threads: train {res['train_images_per_s']:.1f} images/s ({tn} steps), "
              f"inference {res['infer_images_per_s']:.1f} images/s ({inn} batches), "
              f"optimized inference {res['infer_optimized_images_per_s']:.1f} images/s ({on} batches), "
              f"peak RSS {res['peak_rss_mb']:.0f} MB, CPU capability {res['kernels']}")


if __name__ == "__main__":
    main()
