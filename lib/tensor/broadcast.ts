/**
 * NumPy broadcasting, as shape arithmetic only: the shape two operands broadcast to, and the strides
 * that read an operand as if it had that shape. (Summing a gradient back, sumToShape, is a reduction:
 * ops/reduce.ts.) Imports nothing but shape.ts, so every kernel can use it without an import circle.
 */
import { formatShape } from "./shape";

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
