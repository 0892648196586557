"""numpy reference for gradcheck-twolayer: CS231n's eval_numerical_gradient over every parameter of a
TwoLayerNet (D-H-C, softmax, L2 0.1, N rows, float64), each evaluation the assignment's loss(X, y),
which also computes the analytic gradients, as gradlab's does. 1 warm-up run, then timed runs.
Prints one JSON line: {"times_ms": [...]}."""
import argparse

import numpy as np
from train_digits import loss_and_grads
from timing import report

p = argparse.ArgumentParser()
p.add_argument("--runs", type=int, default=3)
p.add_argument("--root")
for name in ["d", "h", "c", "n"]:
    p.add_argument("--" + name, type=int, required=True)
args = p.parse_args()
rng = np.random.default_rng(0)
reg = 0.1
params = {
    "W1": 1e-1 * rng.standard_normal((args.d, args.h)), "b1": np.zeros(args.h),
    "W2": 1e-1 * rng.standard_normal((args.h, args.c)), "b2": np.zeros(args.c),
}
X = rng.standard_normal((args.n, args.d))
y = np.arange(args.n) % args.c


def loss():
    return loss_and_grads(params, X, y, reg)


def eval_numerical_gradient(f, x, h=1e-5):
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        ix = it.multi_index
        old = x[ix]
        x[ix] = old + h
        plus = f()
        x[ix] = old - h
        minus = f()
        x[ix] = old
        grad[ix] = (plus - minus) / (2 * h)
        it.iternext()
    return grad


def check():
    for x in params.values():
        eval_numerical_gradient(lambda: loss()[0], x)


report(check, args.runs, warmup=1)
