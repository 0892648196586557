"""numpy reference for the matmul-256 workload: float64 n x n @ n x n, 2 warm-up runs, then timed runs.
Prints one JSON line: {"times_ms": [...], "flops": 2 n^3}."""
import argparse
import json
import time

import numpy as np

p = argparse.ArgumentParser()
p.add_argument("--runs", type=int, default=10)
p.add_argument("--root")
p.add_argument("--n", type=int, default=256)
args = p.parse_args()
rng = np.random.default_rng(0)
a, b = rng.standard_normal((args.n, args.n)), rng.standard_normal((args.n, args.n))
for _ in range(2):
    a @ b
times = []
for _ in range(args.runs):
    start = time.perf_counter()
    a @ b
    times.append((time.perf_counter() - start) * 1000)
print(json.dumps({"times_ms": times, "flops": 2 * args.n ** 3}))
