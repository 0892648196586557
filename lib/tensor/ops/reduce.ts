/**
 * Reductions along axes (NumPy semantics: `axis` one, several or none = all; `keepdims`). Raw kernels.
 * One axis at a time over a contiguous [outer, len, inner] view: simple, cache-friendly, and easy to
 * swap for a faster kernel later.
 */
import { formatShape, normalizeAxes, normalizeAxis, sameShape, sizeOf } from "../shape";
import { Tensor, type TypedData } from "../tensor";
import { square, sub } from "./elementwise";
import { reshape } from "./layout";

export type Axis = number | number[] | undefined | null;

/**
 * One reduction over a contiguous [outer, len, inner] view into dst[outer, inner]. Each reducer has its
 * loop written out so that V8 inlines its arithmetic (a step function called per element was not).
 */
type ReduceLoop = (src: TypedData, dst: TypedData, outer: number, len: number, inner: number) => void;

interface Reducer {
  init: number;
  loop: ReduceLoop;
  name: string;
}

const SUM: Reducer = {
  init: 0, name: "sum",
  loop: (src, dst, outer, len, inner) => {
    for (let o = 0; o < outer; o++) {
      for (let k = 0, row = o * len * inner; k < len; k++, row += inner) {
        for (let i = 0, j = o * inner; i < inner; i++, j++) dst[j] += src[row + i];
      }
    }
  },
};
// NaN wins (NumPy's max/min): once a NaN is the accumulator, no comparison with it is true.
const MAX: Reducer = {
  init: -Infinity, name: "max",
  loop: (src, dst, outer, len, inner) => {
    for (let o = 0; o < outer; o++) {
      for (let k = 0, row = o * len * inner; k < len; k++, row += inner) {
        for (let i = 0, j = o * inner; i < inner; i++, j++) {
          const x = src[row + i];
          if (x > dst[j] || x !== x) dst[j] = x;
        }
      }
    }
  },
};
const MIN: Reducer = {
  init: Infinity, name: "min",
  loop: (src, dst, outer, len, inner) => {
    for (let o = 0; o < outer; o++) {
      for (let k = 0, row = o * len * inner; k < len; k++, row += inner) {
        for (let i = 0, j = o * inner; i < inner; i++, j++) {
          const x = src[row + i];
          if (x < dst[j] || x !== x) dst[j] = x;
        }
      }
    }
  },
};

function reduceOneAxis(t: Tensor, axis: number, r: Reducer): Tensor {
  const shape = t.shape;
  const len = shape[axis];
  if (len === 0 && r !== SUM) throw new RangeError(`${r.name} over an empty axis ${axis} of shape ${formatShape(shape)}`);
  const outer = sizeOf(shape.slice(0, axis)), inner = sizeOf(shape.slice(axis + 1));
  const outShape = shape.slice();
  outShape[axis] = 1;
  const out = Tensor.empty(outShape, t.dtype);
  if (r.init !== 0) out.data.fill(r.init);
  r.loop(t.data, out.data, outer, len, inner);
  return out;
}

function reduce(t: Tensor, axis: Axis, keepdims: boolean, r: Reducer): Tensor {
  const axes = normalizeAxes(axis, t.ndim);
  let out = t;
  for (const a of axes) out = reduceOneAxis(out, a, r);
  if (out === t) out = t.clone();
  if (keepdims) return out;
  const shape = t.shape.filter((_, i) => !axes.includes(i));
  return new Tensor(out.data, shape);
}

function countOver(t: Tensor, axis: Axis): number {
  return normalizeAxes(axis, t.ndim).reduce((n, a) => n * t.shape[a], 1);
}

export function sum(t: Tensor, axis?: Axis, keepdims = false): Tensor {
  return reduce(t, axis, keepdims, SUM);
}

export function mean(t: Tensor, axis?: Axis, keepdims = false): Tensor {
  const n = countOver(t, axis);
  if (n === 0) throw new RangeError(`mean over zero elements (shape ${formatShape(t.shape)}, axis ${JSON.stringify(axis)})`);
  const s = sum(t, axis, keepdims);
  const d = s.data;
  for (let i = 0; i < d.length; i++) d[i] /= n;
  return s;
}

export function max(t: Tensor, axis?: Axis, keepdims = false): Tensor {
  return reduce(t, axis, keepdims, MAX);
}

export function min(t: Tensor, axis?: Axis, keepdims = false): Tensor {
  return reduce(t, axis, keepdims, MIN);
}

/** Population variance (ddof = 0, as NumPy's default); `ddof = 1` for the sample variance. */
export function variance(t: Tensor, axis?: Axis, keepdims = false, ddof = 0): Tensor {
  const n = countOver(t, axis);
  if (n - ddof <= 0) throw new RangeError(`variance needs more than ${ddof} element(s), got ${n}`);
  const s = sum(square(sub(t, mean(t, axis, true))), axis, keepdims);
  const d = s.data;
  for (let i = 0; i < d.length; i++) d[i] /= n - ddof;
  return s;
}

export function std(t: Tensor, axis?: Axis, keepdims = false, ddof = 0): Tensor {
  const v = variance(t, axis, keepdims, ddof);
  const d = v.data;
  for (let i = 0; i < d.length; i++) d[i] = Math.sqrt(d[i]);
  return v;
}

function argReduce(t: Tensor, axis: number | undefined, largest: boolean, name: string): Tensor {
  if (t.size === 0) throw new RangeError(`${name} of an empty tensor`);
  if (axis === undefined) {
    const out = Tensor.scalar(0, "float64");
    argBest(t.data, out.data, 1, t.size, 1, largest);
    return out;
  }
  const a = normalizeAxis(axis, t.ndim);
  const shape = t.shape, len = shape[a];
  const outer = sizeOf(shape.slice(0, a)), inner = sizeOf(shape.slice(a + 1));
  const out = Tensor.empty(shape.filter((_, i) => i !== a), "float64");
  argBest(t.data, out.data, outer, len, inner, largest);
  return out;
}

/**
 * dst[o, i] = the first k with the largest (or smallest) src[o, k, i] over a contiguous
 * [outer, len, inner] view. One loop for both, told apart by a flag rather than a comparison function:
 * a freshly started process compiles it once, with nothing to inline.
 */
function argBest(src: TypedData, dst: TypedData, outer: number, len: number, inner: number, largest: boolean): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * len * inner + i;
      let best = 0, bestValue = src[base];
      for (let k = 1, at = base + inner; k < len; k++, at += inner) {
        const x = src[at];
        if (largest ? x > bestValue : x < bestValue) {
          best = k;
          bestValue = x;
        }
      }
      dst[o * inner + i] = best;
    }
  }
}

/** Index of the largest element (first one on ties), over everything or along one axis. */
export function argmax(t: Tensor, axis?: number): Tensor {
  return argReduce(t, axis, true, "argmax");
}

export function argmin(t: Tensor, axis?: number): Tensor {
  return argReduce(t, axis, false, "argmin");
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
