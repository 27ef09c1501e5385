#!/usr/bin/env python3
"""numpy's float32 matmul on the shapes of `cocotrain bench gemm`: the BLAS
peer of cocotrain's SGEMM (Debian's numpy calls whatever libblas.so.3 the
system's alternatives select: OpenBLAS when libopenblas0 is installed, the
reference BLAS otherwise; the "blas" key says which library was loaded).

Threads are the BLAS library's: set OPENBLAS_NUM_THREADS (and
OMP_NUM_THREADS) before this script starts, and give the same count as
--threads so that the JSON rows say it. Each shape is timed like cocotrain
times its own: batches of calls lasting at least 20 ms, the median GFLOP/s
of --rounds batches.

    OPENBLAS_NUM_THREADS=2 /usr/bin/python3 scripts/bench_gemm_numpy.py --threads 2 --shapes 1024x1024x1024,64x3136x576

Prints one JSON object per shape and line: m, n, k, threads, gflops, blas.
"""
import argparse
import json
import os
import statistics
import time

import numpy as np

DEFAULT_SHAPES = "256x256x256,512x512x512,1024x1024x1024,64x3136x576,128x784x1152,256x196x2304,512x49x4608"


def loaded_blas():
    """The BLAS shared library this process mapped (basename), or '?'."""
    with open("/proc/self/maps") as f:
        libs = {os.path.basename(l.split()[-1]) for l in f if "/" in l}
    for name in sorted(libs):
        if "openblas" in name or "mkl_rt" in name or "blis" in name:
            return name
    return next((n for n in sorted(libs) if n.startswith("libblas")), "?")


def rate(flops, f, min_sample=0.02):
    """GFLOP/s of f over a batch of calls lasting at least min_sample seconds."""
    calls, start = 0, time.perf_counter()
    while True:
        f()
        calls += 1
        el = time.perf_counter() - start
        if el >= min_sample:
            return flops * calls / el / 1e9


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, required=True, help="the BLAS thread count set in the environment (recorded)")
    ap.add_argument("--rounds", type=int, default=5, help="timed batches per shape (median)")
    ap.add_argument("--shapes", default=DEFAULT_SHAPES, help="comma-separated MxNxK")
    args = ap.parse_args()
    rng = np.random.default_rng(1)
    for text in args.shapes.split(","):
        m, n, k = (int(v) for v in text.split("x"))
        a = rng.uniform(-1, 1, (m, k)).astype(np.float32)
        b = rng.uniform(-1, 1, (k, n)).astype(np.float32)
        c = np.empty((m, n), np.float32)
        run = lambda: np.matmul(a, b, out=c)
        run()
        rates = [rate(2.0 * m * n * k, run) for _ in range(args.rounds)]
        print(json.dumps({"m": m, "n": n, "k": k, "threads": args.threads,
                          "gflops": statistics.median(rates), "blas": loaded_blas()}), flush=True)


if __name__ == "__main__":
    main()
