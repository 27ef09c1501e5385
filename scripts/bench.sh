#!/usr/bin/env bash
# cocotrain vs PyTorch CPU: training and inference images/s and peak memory.
#
# Builds cocotrain, then for each network and thread count runs
# `cocotrain bench train --json` and scripts/bench_torch.py --json one after
# the other, ROUNDS times (alternating, so all see the same machine load),
# and prints markdown tables of medians (scripts/bench_table.py): ours vs
# each PyTorch configuration at the largest thread count (with the ratio to
# the fastest PyTorch figure and each process's peak RSS), and the scaling
# over THREADS, and the training ratio of every round beside the machine's
# memory copy bandwidth and FMA peak (`cocotrain bench machine`, run at the
# start of each round: on a virtual machine they change over minutes, and
# with them our throughput). The raw JSON lines stay in $OUT/bench.jsonl
# when OUT is given.
#
# PyTorch runs twice per round: as installed ("pytorch"), and with jemalloc
# preloaded and never returning memory to the system ("pytorch+jemalloc").
# Eager PyTorch allocates every activation afresh; glibc's malloc hands
# blocks over 32 MB straight back to the kernel, so each step page-faults its
# activations in again, which on a virtual machine can cost more than the
# arithmetic. jemalloc (Debian: apt-get install libjemalloc2; the tuning
# guides for PyTorch on CPU recommend it) keeps and reuses the memory. The
# second run is skipped when the library is not at $JEMALLOC.
#
# KERNELS=avx2 holds both sides to one vector ISA, so that an AVX-512
# machine measures the AVX2 comparison too: COCOTRAIN_KERNELS=avx2 for
# cocotrain, ATEN_CPU_CAPABILITY=avx2 and ONEDNN_MAX_CPU_ISA=AVX2 for
# PyTorch. Each JSON line records what its side ran with ("kernels"), and the
# tables name it.
#
#   scripts/bench.sh                      # defaults below
#   ROUNDS=5 ARCHS="tiny" THREADS="1 2 4" MIN_TIME=10 scripts/bench.sh
#   KERNELS=avx2 scripts/bench.sh         # both sides on AVX2
#
# Environment: ROUNDS (3), ARCHS ("tiny mobilefacenet"), THREADS ("1 2"),
# BATCH (64), MIN_TIME seconds per timed phase (5), PYTHON (/usr/bin/python3,
# Debian's python3-torch), JEMALLOC (/usr/lib/x86_64-linux-gnu/libjemalloc.so.2),
# KERNELS (unset: each side's best; avx512 or avx2), OUT (a directory for
# the raw JSON lines; default a temporary one, removed at the end).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
ARCHS=${ARCHS:-tiny mobilefacenet}
THREADS=${THREADS:-1 2}
BATCH=${BATCH:-64}
MIN_TIME=${MIN_TIME:-5}
PYTHON=${PYTHON:-/usr/bin/python3}
JEMALLOC=${JEMALLOC:-/usr/lib/x86_64-linux-gnu/libjemalloc.so.2}
KERNELS=${KERNELS:-}

if [ -n "$KERNELS" ]; then
  export COCOTRAIN_KERNELS=$KERNELS
  case $KERNELS in
  avx512) export ATEN_CPU_CAPABILITY=avx512 ONEDNN_MAX_CPU_ISA=AVX512_CORE ;;
  avx2) export ATEN_CPU_CAPABILITY=avx2 ONEDNN_MAX_CPU_ISA=AVX2 ;;
  *) echo "bench.sh: KERNELS=$KERNELS: want avx512 or avx2" >&2; exit 2 ;;
  esac
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=${OUT:-$tmp}
mkdir -p "$out"
raw="$out/bench.jsonl"
: >"$raw"

go build -o "$tmp/cocotrain" ./cmd/cocotrain

# torch_run IMPL [ENV...]: one bench_torch.py run, its line tagged IMPL.
torch_run() {
  local impl=$1
  shift
  env "$@" "$PYTHON" scripts/bench_torch.py --json --arch "$arch" --batch "$BATCH" --threads "$th" --min-time "$MIN_TIME" |
    sed "s/^{/{\"impl\":\"$impl\",/" >>"$raw"
}

for arch in $ARCHS; do
  for th in $THREADS; do
    for r in $(seq "$ROUNDS"); do
      echo "# $arch, $th threads, round $r/$ROUNDS" >&2
      "$tmp/cocotrain" bench machine --json --threads "$th" |
        sed "s/^{/{\"impl\":\"machine\",\"arch\":\"$arch\",/" >>"$raw"
      "$tmp/cocotrain" bench train --json --arch "$arch" --batch "$BATCH" --threads "$th" --min-time "${MIN_TIME}s" |
        sed 's/^{/{"impl":"cocotrain",/' >>"$raw"
      torch_run pytorch
      if [ -e "$JEMALLOC" ]; then
        torch_run pytorch+jemalloc LD_PRELOAD="$JEMALLOC" MALLOC_CONF=dirty_decay_ms:-1,muzzy_decay_ms:-1
      fi
    done
  done
done

"$PYTHON" scripts/bench_table.py "$raw"
