/**
 * Tensor: an n-dimensional array of float64 (default, for gradient checks) or float32, stored row-major
 * in one contiguous typed array with its shape and strides. This file holds the data, creation, access
 * and display; the computing methods are installed by ./methods.ts and the op table (lib/gates/table.ts).
 * They compute with the raw kernels in ops/; on a tensor that requires a gradient they go through the
 * autograd hook instead, which records the operation as a gate (see lib/autograd) so that `backward()`
 * can run it in reverse.
 */
import type { TensorMethods } from "../gates/table";
import { getAutogradHook } from "./autograd-hook";
import { formatTensor, tensorHTML } from "./format";
import { toRandom, type Random } from "./random";
import { checkedSize, formatShape, normalizeAxis, resolveReshape, rowMajorStrides, sameShape } from "./shape";

export type DType = "float64" | "float32";
export type TypedData = Float64Array | Float32Array;
export type Operand = Tensor | number;
/** What `tensor(...)` accepts: a number, nested arrays of numbers, a typed array, or a Tensor. */
export type TensorLike = number | readonly TensorLike[] | ArrayLike<number> | Tensor;

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
  name?: string;
  /** With flat data (a typed array or a flat list): the shape to read it as. */
  shape?: number[];
}


function allocate(dtype: DType, n: number): TypedData {
  if (dtype === "float64") return new Float64Array(n);
  if (dtype === "float32") return new Float32Array(n);
  throw new TypeError(`unknown dtype '${dtype as string}': use "float64" or "float32"`);
}

function dtypeOf(data: TypedData): DType {
  return data instanceof Float32Array ? "float32" : "float64";
}

/** The elementwise methods of the op table (lib/gates/table.ts installs them). */
export interface Tensor extends TensorMethods<Tensor, Operand> {}

export class Tensor {
  data: TypedData;
  readonly shape: number[];
  readonly strides: number[];
  readonly dtype: DType;
  /** When true, operations on this tensor are recorded and `backward()` fills `grad`. */
  requiresGrad = false;
  /** The gradient of the last `backward()` with respect to this tensor (same shape), or null. */
  grad: Tensor | null = null;
  /** A label for displays, graph drawings and error messages. */
  name?: string;

  /** Wraps a contiguous typed array (no copy). */
  constructor(data: TypedData, shape: number[]) {
    if (!(data instanceof Float64Array) && !(data instanceof Float32Array)) {
      throw new TypeError("Tensor data must be a Float64Array or a Float32Array (use tensor(...) for arrays)");
    }
    const size = checkedSize(shape);
    if (size !== data.length) throw new RangeError(`shape ${formatShape(shape)} needs ${size} elements, got ${data.length}`);
    this.data = data;
    this.shape = shape.slice();
    this.strides = rowMajorStrides(shape);
    this.dtype = dtypeOf(data);
  }

  get size(): number {
    return this.data.length;
  }

  get ndim(): number {
    return this.shape.length;
  }

  // ---------------------------------------------------------------- creation

  static empty(shape: number[], dtype: DType = "float64"): Tensor {
    return new Tensor(allocate(dtype, checkedSize(shape)), shape);
  }

  static scalar(value: number, dtype: DType = "float64"): Tensor {
    const t = Tensor.empty([], dtype);
    t.data[0] = value;
    return t;
  }

  static from(x: TensorLike, opts: TensorOptions = {}): Tensor {
    let out: Tensor;
    if (x instanceof Tensor) {
      out = x.astype(opts.dtype ?? x.dtype);
      if (out === x) out = x.clone();
    } else if (typeof x === "number") {
      out = Tensor.scalar(x, opts.dtype);
    } else if (x instanceof Float64Array || x instanceof Float32Array) {
      const dtype = opts.dtype ?? dtypeOf(x);
      const data = allocate(dtype, x.length);
      data.set(x);
      out = new Tensor(data, [x.length]);
    } else if (Array.isArray(x) || ArrayBuffer.isView(x)) {
      const shape = inferShape(x as readonly TensorLike[]);
      const data = allocate(opts.dtype ?? "float64", checkedSize(shape));
      fillFlat(x as readonly TensorLike[], shape, 0, data, 0);
      out = new Tensor(data, shape);
    } else {
      throw new TypeError(`cannot make a tensor from ${x === null ? "null" : typeof x}`);
    }
    if (opts.shape) out = new Tensor(out.data, resolveReshape(opts.shape, out.size, out.shape));
    if (opts.requiresGrad) out.requiresGrad = true;
    if (opts.name) out.name = opts.name;
    return out;
  }

  static zeros(shape: number[], opts: TensorOptions = {}): Tensor {
    return Tensor.full(shape, 0, opts);
  }

  static ones(shape: number[], opts: TensorOptions = {}): Tensor {
    return Tensor.full(shape, 1, opts);
  }

  static full(shape: number[], value: number, opts: TensorOptions = {}): Tensor {
    const t = Tensor.empty(shape, opts.dtype);
    if (value !== 0) t.data.fill(value);
    return withOptions(t, opts);
  }

  static zerosLike(t: Tensor): Tensor {
    return Tensor.zeros(t.shape, { dtype: t.dtype });
  }

  static onesLike(t: Tensor): Tensor {
    return Tensor.ones(t.shape, { dtype: t.dtype });
  }

  static eye(n: number, opts: TensorOptions = {}): Tensor {
    const t = Tensor.zeros([n, n], opts);
    for (let i = 0; i < n; i++) t.data[i * n + i] = 1;
    return t;
  }

  /** Like NumPy: arange(stop), arange(start, stop), arange(start, stop, step). */
  static arange(start: number, stop?: number, step = 1): Tensor {
    if (stop === undefined) [start, stop] = [0, start];
    if (step === 0) throw new RangeError("arange: step must not be 0");
    const n = Math.max(0, Math.ceil((stop - start) / step));
    const t = Tensor.empty([n]);
    for (let i = 0; i < n; i++) t.data[i] = start + i * step;
    return t;
  }

  /** n evenly spaced numbers from a to b inclusive. */
  static linspace(a: number, b: number, n: number): Tensor {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`linspace needs a whole number of points, got ${n}`);
    const t = Tensor.empty([n]);
    for (let i = 0; i < n; i++) t.data[i] = n === 1 ? a : a + ((b - a) * i) / (n - 1);
    return t;
  }

  /** Standard normal samples; `rng` is a Random or a seed (default: the shared generator, see `seed`). */
  static randn(shape: number[], rng?: Random | number, opts: TensorOptions = {}): Tensor {
    const r = toRandom(rng);
    const t = Tensor.empty(shape, opts.dtype);
    for (let i = 0; i < t.size; i++) t.data[i] = r.normal();
    return withOptions(t, opts);
  }

  /** Uniform samples in [0, 1). */
  static rand(shape: number[], rng?: Random | number, opts: TensorOptions = {}): Tensor {
    const r = toRandom(rng);
    const t = Tensor.empty(shape, opts.dtype);
    for (let i = 0; i < t.size; i++) t.data[i] = r.random();
    return withOptions(t, opts);
  }

  /** Uniform integers in [low, high). */
  static randint(low: number, high: number, shape: number[], rng?: Random | number): Tensor {
    const r = toRandom(rng);
    const t = Tensor.empty(shape);
    for (let i = 0; i < t.size; i++) t.data[i] = r.int(low, high);
    return t;
  }

  // ---------------------------------------------------------------- access

  private flatIndex(index: number[]): number {
    if (index.length !== this.ndim) {
      throw new RangeError(`expected ${this.ndim} indices for shape ${formatShape(this.shape)}, got ${index.length}`);
    }
    let flat = 0;
    for (let d = 0; d < index.length; d++) {
      const len = this.shape[d];
      const i = index[d] < 0 ? index[d] + len : index[d];
      if (!Number.isInteger(i) || i < 0 || i >= len) {
        throw new RangeError(`index ${index[d]} is out of range for axis ${d} of size ${len} (shape ${formatShape(this.shape)})`);
      }
      flat += i * this.strides[d];
    }
    return flat;
  }

  /** One element; negative indices count from the end. */
  get(...index: number[]): number {
    return this.data[this.flatIndex(index)];
  }

  set(index: number[], value: number): void {
    this.data[this.flatIndex(index)] = value;
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new RangeError(`item() needs a tensor with one element, got shape ${formatShape(this.shape)}`);
    return this.data[0];
  }

  /** Nested arrays (a number for a 0-d tensor). */
  toArray(): any {
    if (this.ndim === 0) return this.data[0];
    const build = (d: number, offset: number): any[] => {
      const out = new Array(this.shape[d]);
      for (let i = 0; i < this.shape[d]; i++) {
        out[i] = d === this.ndim - 1 ? this.data[offset + i] : build(d + 1, offset + i * this.strides[d]);
      }
      return out;
    };
    return build(0, 0);
  }

  toFlat(): number[] {
    return Array.from(this.data);
  }

  clone(): Tensor {
    const t = new Tensor(this.data.slice(), this.shape);
    if (this.name) t.name = this.name;
    return t;
  }

  /** The same values in another dtype (this tensor itself when the dtype already matches). */
  astype(dtype: DType): Tensor {
    if (dtype === this.dtype) return this;
    const data = allocate(dtype, this.size);
    data.set(this.data);
    return new Tensor(data, this.shape);
  }

  /** The same data, cut off from gradient tracking. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  requireGrad(flag = true): this {
    this.requiresGrad = flag;
    return this;
  }

  zeroGrad(): void {
    this.grad = null;
  }

  /** Reverse-mode autodiff from this tensor (a scalar, or with `grad` of this tensor's shape). */
  backward(grad?: Tensor | number): void {
    const hook = getAutogradHook();
    if (!hook) throw new Error("backward(): autograd is not loaded (import from \"gradlab\", which loads it)");
    hook.backward(this, grad);
  }

  // Layout, reductions, comparisons, matmul, concat and stack: ./methods.ts; add, exp, ...: the op
  // table (lib/gates/table.ts). Both install them on Tensor, so that kernels can import this class.

  /** Applies fn to every element (not differentiable: write a gate for that). */
  map(fn: (x: number, i: number) => number): Tensor {
    const out = Tensor.empty(this.shape, this.dtype);
    const src = this.data, dst = out.data;
    for (let i = 0; i < src.length; i++) dst[i] = fn(src[i], i);
    return out;
  }

  // ---------------------------------------------------------------- comparison and display

  /** Same shape and |a - b| <= atol + rtol·|b| everywhere (NumPy's allclose, without broadcasting). */
  allClose(other: Tensor | TensorLike, rtol = 1e-5, atol = 1e-8): boolean {
    const o = other instanceof Tensor ? other : Tensor.from(other);
    if (!sameShape(this.shape, o.shape)) return false;
    for (let i = 0; i < this.size; i++) {
      const a = this.data[i], b = o.data[i];
      if (Number.isNaN(a) || Number.isNaN(b)) return false;
      if (Math.abs(a - b) > atol + rtol * Math.abs(b)) return false;
    }
    return true;
  }

  /** Same shape and exactly equal values. */
  equals(other: Tensor | TensorLike): boolean {
    const o = other instanceof Tensor ? other : Tensor.from(other);
    return sameShape(this.shape, o.shape) && this.data.every((v, i) => v === o.data[i] || (Number.isNaN(v) && Number.isNaN(o.data[i])));
  }

  toString(): string {
    return formatTensor(this);
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return formatTensor(this);
  }

  /** Rich display in notebooks (the gradlab kernel and Deno's convention). */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return { "text/plain": formatTensor(this), "text/html": tensorHTML(this) };
  }
}

function withOptions(t: Tensor, opts: TensorOptions): Tensor {
  if (opts.requiresGrad) t.requiresGrad = true;
  if (opts.name) t.name = opts.name;
  return t;
}

function inferShape(x: readonly TensorLike[] | ArrayLike<number>): number[] {
  const shape: number[] = [];
  let level: any = x;
  while (Array.isArray(level) || ArrayBuffer.isView(level)) {
    shape.push((level as ArrayLike<unknown>).length);
    if ((level as ArrayLike<unknown>).length === 0) break;
    level = (level as any)[0];
  }
  return shape;
}

function fillFlat(x: any, shape: number[], depth: number, out: TypedData, offset: number): number {
  const len = x.length;
  if (len !== shape[depth]) {
    throw new RangeError(`ragged nested array: expected ${shape[depth]} entries at depth ${depth}, found ${len}`);
  }
  if (depth === shape.length - 1) {
    for (let i = 0; i < len; i++) {
      const v = x[i];
      if (typeof v !== "number") {
        throw new TypeError(`tensor data must be numbers; found ${Array.isArray(v) ? "an array" : typeof v} at depth ${depth} (ragged nesting?)`);
      }
      out[offset + i] = v;
    }
    return offset + len;
  }
  for (let i = 0; i < len; i++) {
    if (!Array.isArray(x[i]) && !ArrayBuffer.isView(x[i])) {
      throw new RangeError(`ragged nested array: expected an array at depth ${depth + 1}, found ${typeof x[i]}`);
    }
    offset = fillFlat(x[i], shape, depth + 1, out, offset);
  }
  return offset;
}

/** tensor([[1, 2], [3, 4]]), tensor(3.5), tensor(float32Array, { shape: [2, 2] }). */
export function tensor(x: TensorLike, opts?: TensorOptions): Tensor {
  return Tensor.from(x, opts);
}

/** A normalised axis, exported for modules that take an axis argument. */
export { normalizeAxis };
