"""numpy reference for the train-digits workload (bench/workloads/train-digits.ts).

The same recipe as gradlab's: TwoLayerNet 64-H-10 (ReLU, softmax, L2 0.5*reg*|W|^2), Adam, mini-batches
from a seeded permutation per epoch, best epoch by validation accuracy, stratified 80/20 train/test split
with 10% of train for validation, standardised by training statistics. numpy's generator differs from
gradlab's, so the numbers of the split and the initial weights differ; the amount of work does not.
Prints one JSON line: {"times_ms": [...], "accuracy": test accuracy of the last run}.
"""
import argparse
import gzip
import json
import os
import time

import numpy as np


def load_digits(root):
    with gzip.open(os.path.join(root, "data", "digits.csv.gz"), "rt") as f:
        table = np.loadtxt(f, delimiter=",")
    return table[:, :64], table[:, 64].astype(int)


def stratified_split(y, fraction, rng):
    test, train = [], []
    for label in np.unique(y):
        rows = rng.permutation(np.flatnonzero(y == label))
        k = int(round(len(rows) * fraction))
        test.extend(rows[:k])
        train.extend(rows[k:])
    return rng.permutation(train), rng.permutation(test)


def loss_and_grads(params, X, y, reg):
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    h = np.maximum(0, X @ W1 + b1)
    scores = h @ W2 + b2
    shifted = scores - scores.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = X.shape[0]
    loss = -log_probs[np.arange(n), y].mean() + 0.5 * reg * ((W1 * W1).sum() + (W2 * W2).sum())
    dscores = np.exp(log_probs)
    dscores[np.arange(n), y] -= 1
    dscores /= n
    dh = dscores @ W2.T
    dh[h <= 0] = 0
    grads = {"W2": h.T @ dscores + reg * W2, "b2": dscores.sum(axis=0), "W1": X.T @ dh + reg * W1, "b1": dh.sum(axis=0)}
    return loss, grads


def accuracy(params, X, y):
    h = np.maximum(0, X @ params["W1"] + params["b1"])
    return float(((h @ params["W2"] + params["b2"]).argmax(axis=1) == y).mean())


def train(data, args, rng):
    Xtr, ytr, Xval, yval, Xte, yte = data
    params = {
        "W1": args.weightScale * rng.standard_normal((64, args.hidden)), "b1": np.zeros(args.hidden),
        "W2": args.weightScale * rng.standard_normal((args.hidden, 10)), "b2": np.zeros(10),
    }
    m = {k: np.zeros_like(v) for k, v in params.items()}
    v = {k: np.zeros_like(p) for k, p in params.items()}
    t, best, best_params = 0, -1.0, None
    for _ in range(args.epochs):
        order = rng.permutation(len(ytr))
        for start in range(0, len(ytr), args.batchSize):
            idx = order[start:start + args.batchSize]
            _, grads = loss_and_grads(params, Xtr[idx], ytr[idx], args.reg)
            t += 1
            for k in params:
                m[k] = 0.9 * m[k] + 0.1 * grads[k]
                v[k] = 0.999 * v[k] + 0.001 * grads[k] ** 2
                params[k] -= args.lr * (m[k] / (1 - 0.9 ** t)) / (np.sqrt(v[k] / (1 - 0.999 ** t)) + 1e-8)
        val = accuracy(params, Xval, yval)
        if val > best:
            best, best_params = val, {k: p.copy() for k, p in params.items()}
    return accuracy(best_params, Xte, yte)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--root", required=True)
    for name, kind in [("hidden", int), ("weightScale", float), ("reg", float), ("lr", float), ("batchSize", int), ("epochs", int), ("seed", int)]:
        p.add_argument("--" + name, type=kind, required=True)
    args = p.parse_args()
    X, y = load_digits(args.root)
    rng = np.random.default_rng(args.seed)
    rest, test = stratified_split(y, 0.2, rng)
    tr, val = stratified_split(y[rest], 0.1, rng)
    tr, val = rest[tr], rest[val]
    mean, std = X[tr].mean(axis=0), X[tr].std(axis=0)
    std[std < 1e-12] = 1
    data = tuple(a for idx in (tr, val, test) for a in ((X[idx] - mean) / std, y[idx]))
    times, acc = [], None
    for _ in range(args.runs):
        start = time.perf_counter()
        acc = train(data, args, np.random.default_rng(args.seed))
        times.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"times_ms": times, "accuracy": acc}))


if __name__ == "__main__":
    main()
