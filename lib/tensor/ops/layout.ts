/** Shape and indexing kernels: reshape, transpose, broadcast, slice, gather, concatenate. Raw kernels. */
import { broadcastShapes, broadcastStrides } from "../broadcast";
import { formatShape, normalizeAxis, resolveReshape, rowMajorStrides, sameShape, sizeOf } from "../shape";
import { Tensor, type TypedData } from "../tensor";

/** Same data, new shape (tensors are contiguous, so this shares the buffer like a NumPy view). */
export function reshape(t: Tensor, shape: number[]): Tensor {
  return new Tensor(t.data, resolveReshape(shape, t.size, t.shape));
}

/** Permutes axes (default: reverses them) into a new contiguous tensor. */
export function transpose(t: Tensor, axes?: number[]): Tensor {
  // A matrix's x.T (every dense layer's backward) apart: a cold process compiles this path alone,
  // not the permutation checks around it.
  if (t.ndim === 2 && (!axes || axes.length === 0)) return transposeMatrix(t);
  const nd = t.ndim;
  const perm = axes && axes.length ? axes.map((a) => normalizeAxis(a, nd)) : Array.from({ length: nd }, (_, i) => nd - 1 - i);
  if (perm.length !== nd || new Set(perm).size !== nd) {
    throw new RangeError(`transpose: axes ${JSON.stringify(axes)} are not a permutation of the ${nd} axes of shape ${formatShape(t.shape)}`);
  }
  if (nd === 2 && perm[0] === 1) return transposeMatrix(t);
  const shape = perm.map((p) => t.shape[p]);
  const out = Tensor.empty(shape, t.dtype);
  const srcStrides = rowMajorStrides(t.shape);
  copyStrided(t.data, perm.map((p) => srcStrides[p]), 0, out.data, shape);
  return out;
}

function transposeMatrix(t: Tensor): Tensor {
  const r = t.shape[0], c = t.shape[1];
  const out = Tensor.empty([c, r], t.dtype);
  transposeInto(t.data, out.data, r, c);
  return out;
}

/** dst (c×r) = srcᵀ (r×c), both row-major: written in order, read down the columns. */
function transposeInto(src: TypedData, dst: TypedData, r: number, c: number): void {
  for (let j = 0, o = 0; j < c; j++) for (let i = 0, s = j; i < r; i++, s += c, o++) dst[o] = src[s];
}

/** Writes dst[i] = src[offset + Σ idx·strides] over the row-major walk of `shape`. */
function copyStrided(src: ArrayLike<number>, strides: number[], offset: number, dst: Float64Array | Float32Array, shape: number[]): void {
  const nd = shape.length, n = sizeOf(shape);
  const idx = new Array<number>(nd).fill(0);
  let s = offset;
  for (let i = 0; i < n; i++) {
    dst[i] = src[s];
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      s += strides[d];
      if (idx[d] < shape[d]) break;
      s -= strides[d] * shape[d];
      idx[d] = 0;
    }
  }
}

export function broadcastTo(t: Tensor, shape: number[]): Tensor {
  const target = broadcastShapes(t.shape, shape);
  if (!sameShape(target, shape)) {
    throw new RangeError(`cannot broadcast shape ${formatShape(t.shape)} to ${formatShape(shape)}`);
  }
  const out = Tensor.empty(shape, t.dtype);
  copyStrided(t.data, broadcastStrides(t.shape, shape), 0, out.data, shape);
  return out;
}

/** One entry per axis: a number picks one index (the axis disappears), [start, stop, step] a range, null all. */
export type SliceSpec = number | [(number | null)?, (number | null)?, (number | null)?] | null | undefined;

export function slice(t: Tensor, specs: SliceSpec[]): Tensor {
  if (specs.length > t.ndim) {
    throw new RangeError(`slice: ${specs.length} indices given for a tensor of shape ${formatShape(t.shape)}`);
  }
  const strides = rowMajorStrides(t.shape);
  let offset = 0;
  const outShape: number[] = [], keptShape: number[] = [], keptStrides: number[] = [];
  for (let d = 0; d < t.ndim; d++) {
    const spec = specs[d];
    const len = t.shape[d];
    if (typeof spec === "number") {
      const i = spec < 0 ? spec + len : spec;
      if (!Number.isInteger(i) || i < 0 || i >= len) {
        throw new RangeError(`slice: index ${spec} is out of range for axis ${d} of size ${len} (shape ${formatShape(t.shape)})`);
      }
      offset += i * strides[d];
      continue;
    }
    const [start, stop, step] = rangeOf(spec ?? [], len, d);
    const count = Math.max(0, Math.ceil((stop - start) / step));
    offset += start * strides[d];
    outShape.push(count);
    keptShape.push(count);
    keptStrides.push(strides[d] * step);
  }
  const out = Tensor.empty(outShape, t.dtype);
  if (out.size > 0) copyStrided(t.data, keptStrides, offset, out.data, keptShape);
  return out;
}

/** Python-style range resolution (negative indices count from the end, out-of-range bounds clamp). */
function rangeOf(spec: [(number | null)?, (number | null)?, (number | null)?], len: number, axis: number): [number, number, number] {
  const step = spec[2] ?? 1;
  const from = spec[0] ?? undefined, to = spec[1] ?? undefined;
  if (!Number.isInteger(step) || step === 0) throw new RangeError(`slice: step must be a non-zero whole number on axis ${axis}, got ${step}`);
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const norm = (v: number) => (v < 0 ? v + len : v);
  if (step > 0) {
    const start = from === undefined ? 0 : clamp(norm(from), 0, len);
    const stop = to === undefined ? len : clamp(norm(to), 0, len);
    return [start, Math.max(start, stop), step];
  }
  const start = from === undefined ? len - 1 : clamp(norm(from), -1, len - 1);
  const stop = to === undefined ? -1 : clamp(norm(to), -1, len - 1);
  return [start, Math.min(start, stop), step];
}

/** Gathers entries along an axis: take(X, batchIndices) picks the rows of a mini-batch. */
export function take(t: Tensor, indices: ArrayLike<number>, axis = 0): Tensor {
  const a = normalizeAxis(axis, t.ndim);
  const len = t.shape[a];
  const outer = sizeOf(t.shape.slice(0, a)), inner = sizeOf(t.shape.slice(a + 1));
  const shape = t.shape.slice();
  shape[a] = indices.length;
  checkIndices(indices, len, a, t.shape);
  const out = Tensor.empty(shape, t.dtype);
  gather(t.data, out.data, indices, outer, len, inner);
  return out;
}

function checkIndices(indices: ArrayLike<number>, len: number, axis: number, shape: number[]): void {
  for (let j = 0; j < indices.length; j++) {
    const raw = indices[j];
    const k = raw < 0 ? raw + len : raw;
    if (!Number.isInteger(k) || k < 0 || k >= len) {
      throw new RangeError(`take: index ${raw} is out of range for axis ${axis} of size ${len} (shape ${formatShape(shape)})`);
    }
  }
}

/** dst[o, j, :] = src[o, indices[j], :] over a contiguous [outer, len, inner] source (indices checked). */
function gather(src: TypedData, dst: TypedData, indices: ArrayLike<number>, outer: number, len: number, inner: number): void {
  const count = indices.length;
  for (let o = 0, to = 0; o < outer; o++) {
    for (let j = 0; j < count; j++) {
      const k = indices[j] < 0 ? indices[j] + len : indices[j];
      for (let i = 0, from = (o * len + k) * inner; i < inner; i++, to++) dst[to] = src[from + i];
    }
  }
}

export function concat(ts: Tensor[], axis = 0): Tensor {
  if (ts.length === 0) throw new RangeError("concat needs at least one tensor");
  const first = ts[0];
  const a = normalizeAxis(axis, first.ndim);
  for (const t of ts) {
    const ok = t.ndim === first.ndim && t.shape.every((d, i) => i === a || d === first.shape[i]);
    if (!ok) {
      throw new RangeError(`concat along axis ${a}: shapes ${ts.map((x) => formatShape(x.shape)).join(", ")} differ outside that axis`);
    }
  }
  const shape = first.shape.slice();
  shape[a] = ts.reduce((n, t) => n + t.shape[a], 0);
  const dtype = ts.some((t) => t.dtype === "float64") ? "float64" : first.dtype;
  const out = Tensor.empty(shape, dtype);
  const outer = sizeOf(shape.slice(0, a)), inner = sizeOf(shape.slice(a + 1));
  const rowOut = shape[a] * inner;
  let at = 0;
  for (const t of ts) {
    const rowIn = t.shape[a] * inner;
    for (let o = 0; o < outer; o++) out.data.set(t.data.subarray(o * rowIn, (o + 1) * rowIn), o * rowOut + at);
    at += rowIn;
  }
  return out;
}

export function stack(ts: Tensor[], axis = 0): Tensor {
  if (ts.length === 0) throw new RangeError("stack needs at least one tensor");
  const a = normalizeAxis(axis, ts[0].ndim + 1);
  for (const t of ts) {
    if (!sameShape(t.shape, ts[0].shape)) throw new RangeError(`stack: shapes ${ts.map((x) => formatShape(x.shape)).join(", ")} differ`);
  }
  return concat(ts.map((t) => unsqueeze(t, a)), a);
}

export function unsqueeze(t: Tensor, axis: number): Tensor {
  const a = normalizeAxis(axis, t.ndim + 1);
  const shape = t.shape.slice();
  shape.splice(a, 0, 1);
  return new Tensor(t.data, shape);
}

export function squeeze(t: Tensor, axis?: number): Tensor {
  if (axis === undefined) return new Tensor(t.data, t.shape.filter((d) => d !== 1));
  const a = normalizeAxis(axis, t.ndim);
  if (t.shape[a] !== 1) throw new RangeError(`squeeze: axis ${a} has size ${t.shape[a]}, not 1 (shape ${formatShape(t.shape)})`);
  return new Tensor(t.data, t.shape.filter((_, i) => i !== a));
}
