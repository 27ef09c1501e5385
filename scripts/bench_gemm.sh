#!/usr/bin/env bash
# cocotrain's SGEMM vs numpy's float32 matmul (OpenBLAS on Debian) in one run.
#
# Builds cocotrain, then ROUNDS times, one after the other so that both see
# the same machine load: `cocotrain bench gemm --json` (1 thread and THREADS
# threads, with the FMA peak of each) and scripts/bench_gemm_numpy.py with
# OPENBLAS_NUM_THREADS=1 and =THREADS. Prints a markdown table of medians:
# ours, the BLAS, their ratio, and both against the FMA peak of the path
# cocotrain ran. The raw JSON lines stay in $OUT/gemm.jsonl when OUT is given.
#
# KERNELS=avx2 holds both sides to AVX2 on an AVX-512 machine:
# COCOTRAIN_KERNELS=avx2 (so the peak column is the AVX2 FMA peak) and
# OPENBLAS_CORETYPE=Haswell (OpenBLAS's AVX2 kernels). numpy's BLAS is the
# system's libblas.so.3; OPENBLAS_DIR, a directory holding OpenBLAS's
# libblas.so.3 (e.g. /usr/lib/x86_64-linux-gnu/openblas-pthread, or one
# extracted from Debian's libopenblas0-pthread package with dpkg-deb -x), is
# put first on LD_LIBRARY_PATH for numpy when the system's is the
# reference BLAS. The table names the library numpy loaded.
#
#   scripts/bench_gemm.sh
#   KERNELS=avx2 ROUNDS=3 SHAPES=1024x1024x1024,64x3136x576 scripts/bench_gemm.sh
#
# Environment: ROUNDS (1), THREADS (2), SHAPES (the default shapes of
# `cocotrain bench gemm`), INNER (5: interleaved rounds inside each program),
# KERNELS (avx512 or avx2; unset: each side's best), OPENBLAS_DIR, PYTHON
# (/usr/bin/python3), OUT.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-1}
THREADS=${THREADS:-2}
SHAPES=${SHAPES:-256x256x256,512x512x512,1024x1024x1024,64x3136x576,128x784x1152,256x196x2304,512x49x4608}
INNER=${INNER:-5}
PYTHON=${PYTHON:-/usr/bin/python3}
KERNELS=${KERNELS:-}
OPENBLAS_DIR=${OPENBLAS_DIR:-}

blasenv=()
if [ -n "$KERNELS" ]; then
  export COCOTRAIN_KERNELS=$KERNELS
  case $KERNELS in
  avx512) blasenv+=(OPENBLAS_CORETYPE=SkylakeX) ;;
  avx2) blasenv+=(OPENBLAS_CORETYPE=Haswell) ;;
  *) echo "bench_gemm.sh: KERNELS=$KERNELS: want avx512 or avx2" >&2; exit 2 ;;
  esac
fi
if [ -n "$OPENBLAS_DIR" ]; then
  blasenv+=(LD_LIBRARY_PATH="$OPENBLAS_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=${OUT:-$tmp}
mkdir -p "$out"
raw="$out/gemm.jsonl"
: >"$raw"

go build -o "$tmp/cocotrain" ./cmd/cocotrain

for r in $(seq "$ROUNDS"); do
  echo "# round $r/$ROUNDS" >&2
  "$tmp/cocotrain" bench gemm --json --threads "$THREADS" --rounds "$INNER" --shapes "$SHAPES" |
    "$PYTHON" -c 'import json, sys; [print(json.dumps(dict(r, impl="cocotrain"))) for r in json.load(sys.stdin)]' >>"$raw"
  for th in 1 "$THREADS"; do
    env "${blasenv[@]}" OPENBLAS_NUM_THREADS="$th" OMP_NUM_THREADS="$th" \
      "$PYTHON" scripts/bench_gemm_numpy.py --threads "$th" --rounds "$INNER" --shapes "$SHAPES" |
      sed 's/^{/{"impl":"numpy",/' >>"$raw"
    [ "$th" = 1 ] && [ "$THREADS" = 1 ] && break
  done
done

"$PYTHON" - "$raw" <<'PY'
import json, statistics, sys
from collections import defaultdict

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
med = defaultdict(list)
for r in rows:
    key = (r["m"], r["n"], r["k"], r["threads"])
    med[key + (r["impl"],)].append(r["ours_gflops"] if r["impl"] == "cocotrain" else r["gflops"])
    if r["impl"] == "cocotrain":
        med[key + ("peak",)].append(r["peak_gflops"])
m = lambda key: statistics.median(med[key]) if med[key] else float("nan")
kernels = sorted({r["kernels"] for r in rows if r["impl"] == "cocotrain"})
blas = sorted({r["blas"] for r in rows if r["impl"] == "numpy"})
rounds = max(len(v) for v in med.values())
print(f"cocotrain {', '.join(kernels)} kernels vs numpy on {', '.join(blas)}; medians of {rounds} rounds, GFLOP/s.\n")
print("| M×N×K | threads | ours | numpy | ours / numpy | FMA peak | ours / peak | numpy / peak |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
shapes = list(dict.fromkeys((r["m"], r["n"], r["k"]) for r in rows))
for t in sorted({r["threads"] for r in rows}):
    for s in shapes:
        o, n, p = m(s + (t, "cocotrain")), m(s + (t, "numpy")), m(s + (t, "peak"))
        print(f"| {s[0]}×{s[1]}×{s[2]} | {t} | {o:.1f} | {n:.1f} | {o / n:.2f}× | {p:.1f} | {100 * o / p:.0f}% | {100 * n / p:.0f}% |")
PY
