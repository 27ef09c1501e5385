#!/usr/bin/env bash
# cocotrain vs PyTorch CPU: training and inference images/s and peak memory.
#
# Builds cocotrain, then for each network and thread count runs
# `cocotrain bench train --json` and scripts/bench_torch.py --json one after
# the other, ROUNDS times (alternating, so both see the same machine load),
# and prints two markdown tables of medians (scripts/bench_table.py): ours
# vs PyTorch at the largest thread count (with the ratios ours/PyTorch and
# each process's peak RSS), and the scaling over THREADS. The raw JSON lines
# stay in $OUT/bench.jsonl when OUT is given.
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

"$PYTHON" scripts/bench_table.py "$raw"
