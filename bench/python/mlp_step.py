"""numpy reference for mlp-step and mlp-step-autograd (bench/workloads/mlp-step.ts): one training step of
a two-layer network, N x D inputs, H hidden (ReLU), C classes, softmax cross-entropy, full backward, SGD
on W1, b1, W2, b2, float64, seeded. 2 warm-up steps, then timed steps.
Prints one JSON line: {"times_ms": [...]}."""
import argparse
import json
import time

import numpy as np

p = argparse.ArgumentParser()
p.add_argument("--runs", type=int, default=10)
p.add_argument("--root")
for name, kind in [("n", int), ("d", int), ("h", int), ("c", int), ("lr", float), ("seed", int)]:
    p.add_argument("--" + name, type=kind, required=True)
args = p.parse_args()
rng = np.random.default_rng(args.seed)
params = {
    "W1": 1e-3 * rng.standard_normal((args.d, args.h)), "b1": np.zeros(args.h),
    "W2": 1e-3 * rng.standard_normal((args.h, args.c)), "b2": np.zeros(args.c),
}
X = rng.standard_normal((args.n, args.d))
y = np.arange(args.n) % args.c


def step():
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    h = np.maximum(0, X @ W1 + b1)
    scores = h @ W2 + b2
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = X.shape[0]
    loss = -log_probs[np.arange(n), y].mean()
    dscores = np.exp(log_probs)
    dscores[np.arange(n), y] -= 1
    dscores /= n
    dh = dscores @ W2.T
    dh[h <= 0] = 0
    grads = {"W2": h.T @ dscores, "b2": dscores.sum(axis=0), "W1": X.T @ dh, "b1": dh.sum(axis=0)}
    for k in params:
        params[k] -= args.lr * grads[k]
    return loss


for _ in range(2):
    step()
times = []
for _ in range(args.runs):
    start = time.perf_counter()
    step()
    times.append((time.perf_counter() - start) * 1000)
print(json.dumps({"times_ms": times}))
