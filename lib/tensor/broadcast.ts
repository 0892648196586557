/** NumPy broadcasting: the shape two operands broadcast to, and the reverse (summing a gradient back). */
import { formatShape, sameShape } from "./shape";
import type { Tensor } from "./tensor";
import { sum } from "./ops/reduce";
import { reshape } from "./ops/layout";

export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `shapes ${formatShape(a)} and ${formatShape(b)} do not broadcast: dimension ${i - n} is ${da} vs ${db} (each pair must be equal or 1)`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides (in elements) for reading a contiguous tensor of `shape` as if it had `target` shape: 0 where broadcast. */
export function broadcastStrides(shape: readonly number[], target: readonly number[]): number[] {
  const strides = new Array<number>(target.length).fill(0);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const t = target.length - shape.length + i;
    strides[t] = shape[i] === 1 && target[t] !== 1 ? 0 : step;
    step *= shape[i];
  }
  return strides;
}

/**
 * Undoes broadcasting: sums `t` over the axes that broadcasting added or stretched so the result has
 * `shape`. This is what every gate's backward does to hand each input a gradient of its own shape.
 */
export function sumToShape(t: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(t.shape, shape)) return t;
  const lead = t.ndim - shape.length;
  if (lead < 0) throw new RangeError(`cannot sum a gradient of shape ${formatShape(t.shape)} down to ${formatShape(shape)}`);
  const axes: number[] = [];
  for (let i = 0; i < t.ndim; i++) {
    if (i < lead) axes.push(i);
    else if (shape[i - lead] === 1 && t.shape[i] !== 1) axes.push(i);
    else if (shape[i - lead] !== t.shape[i]) {
      throw new RangeError(`cannot sum a gradient of shape ${formatShape(t.shape)} down to ${formatShape(shape)}`);
    }
  }
  const summed = axes.length ? sum(t, axes, true) : t;
  return reshape(summed, [...shape]);
}
