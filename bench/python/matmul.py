"""numpy reference for the matrix-product workloads (matmul-256, gemm-*): float64 op(A) @ op(B) with
op(A) m x k and op(B) k x n, where --op tn reads A transposed (A.T @ B, a weight gradient) and nt B
transposed (A @ B.T, an input gradient). 2 warm-up runs, then timed runs.
Prints one JSON line: {"times_ms": [...], "flops": 2 m n k}."""
import argparse

import numpy as np
from timing import report

p = argparse.ArgumentParser()
p.add_argument("--runs", type=int, default=10)
p.add_argument("--root")
p.add_argument("--n", type=int, default=256)
p.add_argument("--m", type=int)
p.add_argument("--k", type=int)
p.add_argument("--op", choices=["nn", "tn", "nt"], default="nn")
args = p.parse_args()
m, k, n = args.m or args.n, args.k or args.n, args.n
rng = np.random.default_rng(0)
a = rng.standard_normal((k, m) if args.op == "tn" else (m, k))
b = rng.standard_normal((n, k) if args.op == "nt" else (k, n))
product = {"nn": lambda: a @ b, "tn": lambda: a.T @ b, "nt": lambda: a @ b.T}[args.op]
report(product, args.runs, warmup=2, flops=2 * m * n * k)
