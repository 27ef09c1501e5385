#!/usr/bin/env python3
"""Markdown tables of `cocotrain bench train` vs scripts/bench_torch.py.

Reads the JSON lines scripts/bench.sh collects (each a bench result with an
"impl" key, cocotrain or pytorch) from one or more files and prints the
medians per network and thread count: ours vs PyTorch at the largest thread
count (ratios ours/PyTorch, also against PyTorch's TorchScript-optimized
inference when the lines have it, peak RSS of each process), then the scaling
table over the thread counts present.

    /usr/bin/python3 scripts/bench_table.py bench.jsonl [more.jsonl ...]
"""
import json, statistics, sys
from collections import defaultdict

rows = [json.loads(l) for path in sys.argv[1:] for l in open(path) if l.strip()]
runs = defaultdict(list)
for r in rows:
    runs[(r["arch"], r["threads"], r["impl"])].append(r)
med = lambda rs, k: statistics.median(x[k] for x in rs)
archs = list(dict.fromkeys(r["arch"] for r in rows))
threads = sorted({r["threads"] for r in rows})
top = threads[-1]

rounds = max(len(v) for v in runs.values())
print(f"Medians of up to {rounds} alternating rounds, batch {rows[0]['batch']}, {top} threads.\n")
print("| network | train img/s ours | train img/s PyTorch | train ratio | infer img/s ours | infer img/s PyTorch | infer ratio | infer img/s PyTorch optimized | ratio to optimized | peak RSS ours (MB) | peak RSS PyTorch (MB) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for a in archs:
    o, p = runs[(a, top, "cocotrain")], runs[(a, top, "pytorch")]
    if not o or not p:
        continue
    ot, pt = med(o, "train_images_per_s"), med(p, "train_images_per_s")
    oi, pi = med(o, "infer_images_per_s"), med(p, "infer_images_per_s")
    popt = [x for x in p if "infer_optimized_images_per_s" in x]
    po = f"{med(popt, 'infer_optimized_images_per_s'):.1f} | {oi / med(popt, 'infer_optimized_images_per_s'):.2f}×" if popt else "– | –"
    print(f"| `{a}` | {ot:.1f} | {pt:.1f} | {ot / pt:.2f}× | {oi:.1f} | {pi:.1f} | {oi / pi:.2f}× | {po} | {med(o, 'peak_rss_mb'):.0f} | {med(p, 'peak_rss_mb'):.0f} |")

print(f"\nScaling (medians, images/s):\n")
print("| network | threads | train ours | train PyTorch | infer ours | infer PyTorch |")
print("|---|---:|---:|---:|---:|---:|")
for a in archs:
    for t in threads:
        o, p = runs[(a, t, "cocotrain")], runs[(a, t, "pytorch")]
        if not o or not p:
            continue
        print(f"| `{a}` | {t} | {med(o, 'train_images_per_s'):.1f} | {med(p, 'train_images_per_s'):.1f} | "
              f"{med(o, 'infer_images_per_s'):.1f} | {med(p, 'infer_images_per_s'):.1f} |")
