import { Tensor } from "../tensor";
import { checkLabels, Labels } from "./losses";

/**
 * What the Trainer trains (CS231n's Solver contract): named parameters, and `loss(X)` giving class
 * scores [N, C] or `loss(X, y)` giving the loss and one gradient per parameter name.
 */
export interface Model {
  params: Record<string, Tensor>;
  loss(X: Tensor): Tensor;
  loss(X: Tensor, y: Labels): { loss: number; grads: Record<string, Tensor> };
  /** Switch dropout and the like on (training) or off (evaluation); optional. */
  train?(mode?: boolean): unknown;
}

/** The arg-max class of each row of scores, as a float tensor [N] (like Tensor.argmax). */
export function predictClasses(scores: Tensor): Tensor {
  if (scores.ndim !== 2) throw new RangeError(`predictClasses: scores must be [N, C], got [${scores.shape.join(", ")}]`);
  const [n, c] = scores.shape;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (scores.data[i * c + j] > scores.data[i * c + best]) best = j;
    out[i] = best;
  }
  return new Tensor(out, [n]);
}

/** Fraction of rows whose arg-max score is the label. */
export function accuracy(scores: Tensor, y: Labels): number {
  const pred = predictClasses(scores);
  const labels = checkLabels(y, pred.size, scores.shape[1], "accuracy");
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (pred.data[i] === labels[i]) right++;
  return labels.length ? right / labels.length : NaN;
}
