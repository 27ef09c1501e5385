#!/usr/bin/env python3
"""Markdown tables of `cocotrain bench train` vs scripts/bench_torch.py.

Reads the JSON lines scripts/bench.sh collects (each a bench result with an
"impl" key: cocotrain, pytorch, pytorch+jemalloc) from one or more files and
prints the medians per network and thread count: at the largest thread
count, one row per network and phase with ours, every PyTorch figure
(eager; TorchScript-optimized for inference, when present) and the ratio of
ours to the fastest of them, then peak RSS per process, then the scaling
over the thread counts present (ours and the fastest PyTorch), then every
round's training ratio at the largest thread count beside the machine's
memory copy bandwidth and FMA peak measured in that round ("machine" lines
of `cocotrain bench machine`), when present. The line under the title names
the vector ISA each side ran with (the "kernels" keys).

    /usr/bin/python3 scripts/bench_table.py bench.jsonl [more.jsonl ...]
"""
import json, statistics, sys
from collections import defaultdict

rows = [json.loads(l) for path in sys.argv[1:] for l in open(path) if l.strip()]
runs = defaultdict(list)
for r in rows:
    runs[(r["arch"], r["threads"], r["impl"])].append(r)
archs = list(dict.fromkeys(r["arch"] for r in rows))
threads = sorted({r["threads"] for r in rows})
peers = [i for i in dict.fromkeys(r["impl"] for r in rows) if i not in ("cocotrain", "machine")]
top = threads[-1]


def med(arch, t, impl, key):
    """Median of key over the runs of (arch, t, impl), or None."""
    vals = [x[key] for x in runs[(arch, t, impl)] if key in x]
    return statistics.median(vals) if vals else None


def columns(arch, t, phase):
    """(label, value) of every PyTorch figure of a phase."""
    cols = []
    for p in peers:
        name = "PyTorch" + p[len("pytorch"):]
        cols.append((f"{name} eager", med(arch, t, p, f"{phase}_images_per_s")))
        if phase == "infer":
            cols.append((f"{name} TorchScript", med(arch, t, p, "infer_optimized_images_per_s")))
    return cols


fmt = lambda v: "–" if v is None else f"{v:.1f}"
rounds = max(len(v) for v in runs.values())
batch = next(r["batch"] for r in rows if r["impl"] == "cocotrain")
print(f"Medians of up to {rounds} alternating rounds, batch {batch}, {top} threads, images/s.\n")
kernels = {i: sorted({str(r.get("kernels", "?")) for r in rows if r["impl"] == i}) for i in ["cocotrain"] + peers}
print("Kernels: " + "; ".join(f"{i} {', '.join(k)}" for i, k in kernels.items()) + ".\n")
labels = [l for l, _ in columns(archs[0], top, "infer")]
print("| network | phase | ours | " + " | ".join(labels) + " | ours / fastest PyTorch |")
print("|---|---|---:|" + "---:|" * len(labels) + "---:|")
for a in archs:
    for phase in ("train", "infer"):
        ours = med(a, top, "cocotrain", f"{phase}_images_per_s")
        cols = dict(columns(a, top, phase))
        vals = [cols.get(l) for l in labels]
        best = max((v for v in vals if v is not None), default=None)
        ratio = "–" if ours is None or best is None else f"{ours / best:.2f}×"
        print(f"| `{a}` | {phase} | {fmt(ours)} | " + " | ".join(fmt(v) for v in vals) + f" | {ratio} |")

print(f"\nPeak RSS (MB, medians, {top} threads; the PyTorch process includes the interpreter):\n")
print("| network | ours | " + " | ".join(peers) + " |")
print("|---|---:|" + "---:|" * len(peers))
for a in archs:
    print(f"| `{a}` | {fmt(med(a, top, 'cocotrain', 'peak_rss_mb'))} | " +
          " | ".join(fmt(med(a, top, p, 'peak_rss_mb')) for p in peers) + " |")

print("\nScaling (medians, images/s; PyTorch: the fastest of its configurations):\n")
print("| network | threads | train ours | train PyTorch | infer ours | infer PyTorch |")
print("|---|---:|---:|---:|---:|---:|")
for a in archs:
    for t in threads:
        best = lambda phase: max((v for _, v in columns(a, t, phase) if v is not None), default=None)
        print(f"| `{a}` | {t} | {fmt(med(a, t, 'cocotrain', 'train_images_per_s'))} | {fmt(best('train'))} | "
              f"{fmt(med(a, t, 'cocotrain', 'infer_images_per_s'))} | {fmt(best('infer'))} |")

print(f"\nTraining by round ({top} threads, images/s; PyTorch: the fastest of its configurations in the round; "
      "machine: `cocotrain bench machine` just before the round):\n")
print("| network | round | ours | PyTorch | ours / PyTorch | copy GB/s | FMA GFLOP/s |")
print("|---|---:|---:|---:|---:|---:|---:|")
for a in archs:
    ours = runs[(a, top, "cocotrain")]
    mach = runs[(a, top, "machine")]
    for i, o in enumerate(ours):
        theirs = [runs[(a, top, p)][i]["train_images_per_s"] for p in peers if i < len(runs[(a, top, p)])]
        best = max(theirs, default=None)
        ratio = "–" if best is None else f"{o['train_images_per_s'] / best:.2f}×"
        m = mach[i] if i < len(mach) else {}
        print(f"| `{a}` | {i + 1} | {fmt(o['train_images_per_s'])} | {fmt(best)} | {ratio} | "
              f"{fmt(m.get('copy_gb_per_s'))} | {fmt(m.get('fma_peak_gflops'))} |")
