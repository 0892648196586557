import type { Tensor } from "../tensor";

/** Where the first non-finite number of some named tensors is, e.g. "W1 (NaN at flat index 3)"; null if all are finite. */
export function firstNonFinite(tensors: Record<string, Tensor>): string | null {
  for (const [name, t] of Object.entries(tensors)) {
    const d = t.data;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return `${name} (${d[i]} at flat index ${i})`;
  }
  return null;
}

/** The first row of X (counted as `rows` says, e.g. the rows of the full training set) holding a non-finite number. */
export function firstNonFiniteRow(X: Tensor, rows: ArrayLike<number>): number | null {
  const d = X.data, width = X.shape[0] ? d.length / X.shape[0] : 0;
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return rows[Math.floor(i / width)];
  return null;
}

/**
 * Why training stopped on a non-finite loss: the first parameter or gradient that is not finite and
 * any NaN in the batch's data (the usual cause), or else the usual cure (a smaller learning rate).
 */
export function explainNonFinite(loss: number, where: string, lr: number, params: Record<string, Tensor>, grads: Record<string, Tensor>, badRow: number | null): string {
  const param = firstNonFinite(params), grad = firstNonFinite(grads);
  const causes: string[] = [];
  if (param) causes.push(`the first parameter that is not finite is ${param}`);
  else if (grad) causes.push(`the first parameter whose gradient is not finite is ${grad}`);
  if (badRow !== null) causes.push(`training row ${badRow} holds a non-finite number (clean the data first)`);
  const why = causes.length ? causes.join("; ") : `the learning rate ${lr} is probably too high`;
  return `Trainer: the loss became ${loss} at ${where}: ${why}`;
}
