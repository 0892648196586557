import { Tensor } from "../tensor";
import { stableSigmoid, stableSoftplus } from "../tensor/ops/elementwise";

/** A loss value and its gradient with respect to the loss's first argument (CS231n's `loss, dx`). */
export interface LossResult {
  loss: number;
  dx: Tensor;
}

export type Labels = Tensor | ArrayLike<number>;

/**
 * Softmax cross-entropy, averaged over the N rows of `scores` [N, C]; `y` holds class indices 0..C-1.
 * Computed from log-softmax with the row maximum subtracted, so logits of ±1000 give a finite loss
 * and gradient. Gradient: (softmax − one_hot(y)) / N.
 */
export function softmaxCrossEntropy(scores: Tensor, y: Labels): LossResult {
  const [n, c] = scoreShape(scores, "softmaxCrossEntropy");
  const labels = checkLabels(y, n, c, "softmaxCrossEntropy");
  const dx = new Float64Array(n * c);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const row = i * c;
    let max = -Infinity;
    for (let j = 0; j < c; j++) max = Math.max(max, scores.data[row + j]);
    let sum = 0;
    for (let j = 0; j < c; j++) sum += Math.exp(scores.data[row + j] - max);
    const logSum = Math.log(sum);
    loss -= scores.data[row + labels[i]] - max - logSum;
    for (let j = 0; j < c; j++) dx[row + j] = Math.exp(scores.data[row + j] - max - logSum) / n;
    dx[row + labels[i]] -= 1 / n;
  }
  return { loss: loss / n, dx: new Tensor(dx, [n, c]) };
}

/** Row-wise softmax of scores [N, C] (the row maximum is subtracted first, so large scores do not overflow). */
export function softmax(scores: Tensor): Tensor {
  const [n, c] = scoreShape(scores, "softmax");
  const out = new Float64Array(n * c);
  for (let i = 0; i < n; i++) {
    const row = i * c;
    let max = -Infinity, sum = 0;
    for (let j = 0; j < c; j++) max = Math.max(max, scores.data[row + j]);
    for (let j = 0; j < c; j++) sum += out[row + j] = Math.exp(scores.data[row + j] - max);
    for (let j = 0; j < c; j++) out[row + j] /= sum;
  }
  return new Tensor(out, [n, c]);
}

/**
 * Multiclass SVM (hinge) loss in CS231n's form: Σ_{j≠y} max(0, s_j − s_y + 1), averaged over rows.
 * Each violating class j gets +1/N in its gradient and the true class −1/N per violation.
 */
export function svmLoss(scores: Tensor, y: Labels, margin = 1): LossResult {
  const [n, c] = scoreShape(scores, "svmLoss");
  const labels = checkLabels(y, n, c, "svmLoss");
  const dx = new Float64Array(n * c);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const row = i * c, correct = scores.data[row + labels[i]];
    for (let j = 0; j < c; j++) {
      if (j === labels[i]) continue;
      const m = scores.data[row + j] - correct + margin;
      if (!(m <= 0)) { // a NaN score counts too (NaN in, NaN out)
        const g = m > 0 ? 1 / n : NaN;
        loss += m;
        dx[row + j] += g;
        dx[row + labels[i]] -= g;
      }
    }
  }
  return { loss: loss / n, dx: new Tensor(dx, [n, c]) };
}

/** Mean squared error over all elements, mean((pred − target)²); gradient 2(pred − target)/size. */
export function mseLoss(pred: Tensor, target: Tensor): LossResult {
  sameShape(pred, target, "mseLoss", "pred", "target");
  const n = pred.size, dx = new Float64Array(n);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const d = pred.data[i] - target.data[i];
    loss += d * d;
    dx[i] = (2 * d) / n;
  }
  return { loss: loss / n, dx: new Tensor(dx, pred.shape.slice()) };
}

/**
 * Binary cross-entropy on logits z with targets t in [0, 1], averaged over all elements:
 * softplus(z) − z·t = max(z, 0) − z·t + log(1 + e^−|z|) (never exponentiates a large positive number);
 * gradient (σ(z) − t)/size.
 */
export function bceWithLogits(logits: Tensor, targets: Tensor | ArrayLike<number>): LossResult {
  const t = targets instanceof Tensor ? targets : new Tensor(Float64Array.from(targets), logits.shape.slice());
  sameShape(logits, t, "bceWithLogits", "logits", "targets");
  const n = logits.size, dx = new Float64Array(n);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const z = logits.data[i], ti = t.data[i];
    if (!(ti >= 0 && ti <= 1)) throw new RangeError(`bceWithLogits: targets must lie in [0, 1], got ${ti} at flat index ${i}`);
    loss += stableSoftplus(z) - z * ti;
    dx[i] = (stableSigmoid(z) - ti) / n;
  }
  return { loss: loss / n, dx: new Tensor(dx, logits.shape.slice()) };
}

/**
 * L2 regularisation as in CS231n's networks: returns 0.5·reg·Σ‖W‖² and adds reg·W into each weight's
 * `.grad`. Pass the weight matrices only; biases are conventionally not regularised.
 */
export function l2Regularization(weights: Tensor[], reg: number): number {
  if (!(reg >= 0 && Number.isFinite(reg))) throw new RangeError(`l2Regularization: reg must be a finite number >= 0, got ${reg}`);
  let penalty = 0;
  for (const W of weights) {
    if (!W.grad) W.grad = Tensor.zeros(W.shape);
    for (let i = 0; i < W.size; i++) {
      penalty += W.data[i] * W.data[i];
      W.grad.data[i] += reg * W.data[i];
    }
  }
  return 0.5 * reg * penalty;
}

function scoreShape(scores: Tensor, who: string): [number, number] {
  if (!(scores instanceof Tensor) || scores.ndim !== 2) {
    throw new RangeError(`${who}: scores must be a 2-D Tensor [N, C], got ${scores instanceof Tensor ? `shape [${scores.shape.join(", ")}]` : typeof scores}`);
  }
  return [scores.shape[0], scores.shape[1]];
}

/** Class indices as integers, checked against N rows and C classes. */
export function checkLabels(y: Labels, n: number, c: number, who: string): Int32Array {
  const values = y instanceof Tensor ? y.data : y;
  if (y instanceof Tensor && y.ndim !== 1) throw new RangeError(`${who}: labels must be 1-D [N], got shape [${y.shape.join(", ")}]`);
  if (values.length !== n) throw new RangeError(`${who}: ${values.length} labels for ${n} rows of scores`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= c) throw new RangeError(`${who}: label ${v} at row ${i} is not a class index 0..${c - 1}`);
    out[i] = v;
  }
  return out;
}

function sameShape(a: Tensor, b: Tensor, who: string, an: string, bn: string): void {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new TypeError(`${who}: ${an} and ${bn} must be Tensors`);
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new RangeError(`${who}: ${an} has shape [${a.shape.join(", ")}] but ${bn} has shape [${b.shape.join(", ")}]`);
  }
}
