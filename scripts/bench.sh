#!/usr/bin/env bash
# cocotrain vs PyTorch CPU: training and inference images/s and peak memory.
#
# Builds cocotrain, then for each network and thread count runs
# `cocotrain bench train --json` and scripts/bench_torch.py --json one after
# the other, ROUNDS times (alternating, so both see the same machine load),
# and prints two markdown tables of medians: ours vs PyTorch at the largest
# thread count (with the ratios ours/PyTorch and each process's peak RSS),
# and the scaling over THREADS.
#
#   scripts/bench.sh                      # defaults below
#   ROUNDS=5 ARCHS="tiny" THREADS="1 2 4" MIN_TIME=10 scripts/bench.sh
#
# Environment: ROUNDS (3), ARCHS ("tiny mobilefacenet"), THREADS ("1 2"),
# BATCH (64), MIN_TIME seconds per timed phase (5), PYTHON (/usr/bin/python3,
# Debian's python3-torch), OUT (a directory for the raw JSON lines; default a
# temporary one, removed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
ARCHS=${ARCHS:-tiny mobilefacenet}
THREADS=${THREADS:-1 2}
BATCH=${BATCH:-64}
MIN_TIME=${MIN_TIME:-5}
PYTHON=${PYTHON:-/usr/bin/python3}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=${OUT:-$tmp}
mkdir -p "$out"
raw="$out/bench.jsonl"
: >"$raw"

go build -o "$tmp/cocotrain" ./cmd/cocotrain

for arch in $ARCHS; do
  for th in $THREADS; do
    for r in $(seq "$ROUNDS"); do
      echo "# $arch, $th threads, round $r/$ROUNDS" >&2
      "$tmp/cocotrain" bench train --json --arch "$arch" --batch "$BATCH" --threads "$th" --min-time "${MIN_TIME}s" |
        sed 's/^{/{"impl":"cocotrain",/' >>"$raw"
      "$PYTHON" scripts/bench_torch.py --json --arch "$arch" --batch "$BATCH" --threads "$th" --min-time "$MIN_TIME" |
        sed 's/^{/{"impl":"pytorch",/' >>"$raw"
    done
  done
done

"$PYTHON" - "$raw" "$ROUNDS" <<'EOF'
import json, statistics, sys
from collections import defaultdict

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rounds = sys.argv[2]
runs = defaultdict(list)
for r in rows:
    runs[(r["arch"], r["threads"], r["impl"])].append(r)
med = lambda rs, k: statistics.median(x[k] for x in rs)
archs = list(dict.fromkeys(r["arch"] for r in rows))
threads = sorted({r["threads"] for r in rows})
top = threads[-1]

print(f"Medians of {rounds} alternating rounds, batch {rows[0]['batch']}, {top} threads.\n")
print("| network | train img/s ours | train img/s PyTorch | train ratio | infer img/s ours | infer img/s PyTorch | infer ratio | peak RSS ours (MB) | peak RSS PyTorch (MB) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for a in archs:
    o, p = runs[(a, top, "cocotrain")], runs[(a, top, "pytorch")]
    ot, pt = med(o, "train_images_per_s"), med(p, "train_images_per_s")
    oi, pi = med(o, "infer_images_per_s"), med(p, "infer_images_per_s")
    print(f"| `{a}` | {ot:.1f} | {pt:.1f} | {ot / pt:.2f}× | {oi:.1f} | {pi:.1f} | {oi / pi:.2f}× | {med(o, 'peak_rss_mb'):.0f} | {med(p, 'peak_rss_mb'):.0f} |")

print(f"\nScaling (medians, images/s):\n")
print("| network | threads | train ours | train PyTorch | infer ours | infer PyTorch |")
print("|---|---:|---:|---:|---:|---:|")
for a in archs:
    for t in threads:
        o, p = runs[(a, t, "cocotrain")], runs[(a, t, "pytorch")]
        print(f"| `{a}` | {t} | {med(o, 'train_images_per_s'):.1f} | {med(p, 'train_images_per_s'):.1f} | "
              f"{med(o, 'infer_images_per_s'):.1f} | {med(p, 'infer_images_per_s'):.1f} |")
EOF
