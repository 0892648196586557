"""numpy reference for mlp-step and mlp-step-autograd (bench/workloads/mlp-step.ts): one training step of
a two-layer network, N x D inputs, H hidden (ReLU), C classes, softmax cross-entropy, full backward, SGD
on W1, b1, W2, b2, float64, seeded. 2 warm-up steps, then timed steps.
Prints one JSON line: {"times_ms": [...]}."""
import argparse

import numpy as np
from train_digits import loss_and_grads
from timing import report

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
    # The same loss and gradients as train-digits' twin (reg 0), then the SGD update.
    loss, grads = loss_and_grads(params, X, y, 0.0)
    for k in params:
        params[k] -= args.lr * grads[k]
    return loss


report(step, args.runs, warmup=2)
