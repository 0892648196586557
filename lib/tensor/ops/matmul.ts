/** Matrix product with NumPy's rules (1-D operands promoted, leading batch dimensions broadcast). Raw kernel. */
import { broadcastShapes } from "../broadcast";
import { formatShape, sizeOf } from "../shape";
import { Tensor } from "../tensor";
import { resultDType } from "./elementwise";
import { gemm } from "../backend/select";

export function matmul(a: Tensor, b: Tensor): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new TypeError("matmul: both operands must be Tensors");
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(`matmul: operands must have at least one dimension, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} (use mul for scalars)`);
  }
  const aShape = a.ndim === 1 ? [1, a.shape[0]] : a.shape;
  const bShape = b.ndim === 1 ? [b.shape[0], 1] : b.shape;
  const m = aShape[aShape.length - 2], k = aShape[aShape.length - 1];
  const k2 = bShape[bShape.length - 2], n = bShape[bShape.length - 1];
  if (k !== k2) {
    throw new RangeError(
      `matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} are not aligned: ${k} (last dim of the first) != ${k2} (${b.ndim === 1 ? "length" : "second-to-last dim"} of the second)`,
    );
  }
  const aBatch = aShape.slice(0, -2), bBatch = bShape.slice(0, -2);
  let batch: number[];
  try {
    batch = broadcastShapes(aBatch, bBatch);
  } catch {
    throw new RangeError(`matmul: batch dimensions of ${formatShape(a.shape)} and ${formatShape(b.shape)} do not broadcast`);
  }
  const out = Tensor.zeros([...batch, m, n], { dtype: resultDType(a, b) });
  const batches = sizeOf(batch);
  const aMat = m * k, bMat = k * n, cMat = m * n;
  const aCount = sizeOf(aBatch), bCount = sizeOf(bBatch);
  for (let t = 0; t < batches; t++) {
    const ai = batchIndex(t, batch, aBatch), bi = batchIndex(t, batch, bBatch);
    // beta = 0: each block of C is written, not added to, so a backend need not read the zeros first.
    gemm(false, false, m, n, k, 1, a.data, (aCount === 1 ? 0 : ai) * aMat, k, b.data, (bCount === 1 ? 0 : bi) * bMat, n, 0, out.data, t * cMat, n);
  }
  // Drop the dimensions that 1-D operands were promoted with.
  let shape = [...batch, m, n];
  if (b.ndim === 1) shape = shape.slice(0, -1);
  if (a.ndim === 1) shape.splice(shape.length - (b.ndim === 1 ? 1 : 2), 1);
  return new Tensor(out.data, shape);
}

/**
 * op(a)·op(b) for 2-D a and b, where op transposes when asked: the transpose is read in place by the
 * kernel, never copied (matmul's backward: dA = dOut·Bᵀ, dB = Aᵀ·dOut). Raw kernel.
 */
export function matmul2d(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  if (a.ndim !== 2 || b.ndim !== 2) throw new RangeError(`matmul2d: operands must be 2-D, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  const [ar, ac] = a.shape, [br, bc] = b.shape;
  const m = transA ? ac : ar, k = transA ? ar : ac, k2 = transB ? bc : br, n = transB ? br : bc;
  if (k !== k2) throw new RangeError(`matmul2d: op(a) of shape [${m}, ${k}] and op(b) of shape [${k2}, ${n}] are not aligned`);
  const out = Tensor.zeros([m, n], { dtype: resultDType(a, b) });
  gemm(transA, transB, m, n, k, 1, a.data, 0, ac, b.data, 0, bc, 0, out.data, 0, n);
  return out;
}

/** Flat batch index into an operand whose batch shape broadcasts to `full`. */
function batchIndex(flat: number, full: number[], own: number[]): number {
  let index = 0, step = 1;
  for (let d = full.length - 1, o = own.length - 1; d >= 0; d--, o--) {
    const coord = flat % full[d];
    flat = Math.floor(flat / full[d]);
    if (o >= 0) {
      if (own[o] !== 1) index += coord * step;
      step *= own[o];
    }
  }
  return index;
}
