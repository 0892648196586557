import { Tensor } from "../tensor";

/**
 * A labelled data set: `X` is [N, D] (one example per row), `y` holds N class labels 0..K-1 (float64,
 * as Tensor's argmax returns them), `classes` names the labels when known.
 */
export interface Dataset {
  X: Tensor;
  y: Tensor;
  classes?: string[];
}

export interface Split {
  train: Dataset;
  test: Dataset;
}

/** Builds a Dataset from rows and labels, checking that they match. */
export function dataset(rows: number[][] | Tensor, labels: ArrayLike<number> | Tensor, classes?: string[]): Dataset {
  const X = rows instanceof Tensor ? rows : rows.length ? Tensor.from(rows) : Tensor.zeros([0, 0]);
  const y = labels instanceof Tensor ? labels : new Tensor(Float64Array.from(labels as ArrayLike<number>), [labels.length]);
  if (X.ndim !== 2) throw new RangeError(`dataset: X must be 2-D [N, D], got shape [${X.shape.join(", ")}]`);
  if (y.ndim !== 1 || y.shape[0] !== X.shape[0]) {
    throw new RangeError(`dataset: y must be 1-D with one label per row of X: X is [${X.shape.join(", ")}], y is [${y.shape.join(", ")}]`);
  }
  return classes ? { X, y, classes } : { X, y };
}

/** The rows `indices` of a data set (a subset, a shuffled copy, a mini-batch). */
export function subset(ds: Dataset, indices: ArrayLike<number>): Dataset {
  const idx = Array.from(indices);
  const X = Tensor.empty([idx.length, ds.X.shape[1]], ds.X.dtype);
  const y = Tensor.empty([idx.length], ds.y.dtype);
  const d = ds.X.shape[1], n = ds.X.shape[0];
  idx.forEach((r, i) => {
    if (!Number.isInteger(r) || r < 0 || r >= n) throw new RangeError(`subset: row index ${r} out of range for ${n} rows`);
    X.data.set(ds.X.data.subarray(r * d, (r + 1) * d), i * d);
    y.data[i] = ds.y.data[r];
  });
  return ds.classes ? { X, y, classes: ds.classes } : { X, y };
}

/** Number of distinct classes: the `classes` list if given, else 1 + the largest label. */
export function numClasses(ds: Dataset): number {
  if (ds.classes) return ds.classes.length;
  let max = -1;
  for (const v of ds.y.data) max = Math.max(max, v);
  return max + 1;
}
