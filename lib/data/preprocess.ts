import { Tensor } from "../tensor";
import { Dataset, Split } from "./dataset";

/**
 * Per-feature standardisation, (x - mean) / std, with the statistics of the training set only (using
 * the test set's would leak it into training). Features that never vary (the digits' border pixels)
 * get std 1, so they become 0 instead of NaN.
 */
export class Standardizer {
  private constructor(readonly mean: Tensor, readonly std: Tensor) {}

  static fit(X: Tensor): Standardizer {
    if (X.ndim !== 2 || X.shape[0] === 0) throw new RangeError(`Standardizer.fit: X must be [N, D] with N > 0, got [${X.shape.join(", ")}]`);
    const [n, d] = X.shape;
    const mean = new Float64Array(d), std = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += X.data[i * d + j] / n;
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) std[j] += (X.data[i * d + j] - mean[j]) ** 2 / n;
    for (let j = 0; j < d; j++) std[j] = std[j] > 1e-12 ? Math.sqrt(std[j]) : 1;
    return new Standardizer(new Tensor(mean, [d]), new Tensor(std, [d]));
  }

  transform(X: Tensor): Tensor {
    const d = this.mean.size;
    if (X.ndim !== 2 || X.shape[1] !== d) throw new RangeError(`Standardizer.transform: expected [N, ${d}], got [${X.shape.join(", ")}]`);
    const out = Tensor.empty(X.shape, X.dtype);
    for (let i = 0; i < X.size; i++) out.data[i] = (X.data[i] - this.mean.data[i % d]) / this.std.data[i % d];
    return out;
  }
}

/** Standardises both parts of a split with the training part's statistics. */
export function standardizeSplit(split: Split): Split & { standardizer: Standardizer } {
  const s = Standardizer.fit(split.train.X);
  const apply = (ds: Dataset): Dataset => ({ ...ds, X: s.transform(ds.X) });
  return { train: apply(split.train), test: apply(split.test), standardizer: s };
}

/** Labels 0..K-1 as rows of a [N, K] matrix with a single 1 (targets for MSE, or for inspection). */
export function oneHot(y: Tensor | ArrayLike<number>, numClasses?: number): Tensor {
  const labels = Array.from(y instanceof Tensor ? y.data : y);
  const K = numClasses ?? Math.max(-1, ...labels) + 1;
  const out = Tensor.zeros([labels.length, K]);
  labels.forEach((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= K) throw new RangeError(`oneHot: label ${label} at row ${i} is not a class 0..${K - 1}`);
    out.data[i * K + label] = 1;
  });
  return out;
}
