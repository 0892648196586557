/** Elementwise kernels with NumPy broadcasting. Raw: they never record gradients. */
import { broadcastShapes, broadcastStrides } from "../broadcast";
import { sameShape, sizeOf } from "../shape";
import { Tensor, type DType } from "../tensor";

export type Operand = Tensor | number;

/** float64 wins; a plain number adapts to the tensor's dtype (NumPy's weak scalars). */
export function resultDType(a: Operand, b: Operand): DType {
  const da = a instanceof Tensor ? a.dtype : null;
  const db = b instanceof Tensor ? b.dtype : null;
  if (da === "float64" || db === "float64") return "float64";
  return da ?? db ?? "float64";
}

function checkOperand(x: Operand, op: string): void {
  if (!(x instanceof Tensor) && typeof x !== "number") {
    throw new TypeError(`${op}: expected a Tensor or a number, got ${x === null ? "null" : typeof x}`);
  }
}

export function binary(a: Operand, b: Operand, f: (x: number, y: number) => number, op: string): Tensor {
  checkOperand(a, op);
  checkOperand(b, op);
  const dtype = resultDType(a, b);
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) return Tensor.scalar(f(a, b), dtype);
  if (!(b instanceof Tensor)) {
    const A = a as Tensor;
    const out = Tensor.empty(A.shape, dtype);
    const ad = A.data, od = out.data;
    for (let i = 0; i < od.length; i++) od[i] = f(ad[i], b);
    return out;
  }
  if (!(a instanceof Tensor)) {
    const out = Tensor.empty(b.shape, dtype);
    const bd = b.data, od = out.data;
    for (let i = 0; i < od.length; i++) od[i] = f(a, bd[i]);
    return out;
  }
  if (sameShape(a.shape, b.shape)) {
    const out = Tensor.empty(a.shape, dtype);
    const ad = a.data, bd = b.data, od = out.data;
    for (let i = 0; i < od.length; i++) od[i] = f(ad[i], bd[i]);
    return out;
  }
  let shape: number[];
  try {
    shape = broadcastShapes(a.shape, b.shape);
  } catch (e) {
    throw new RangeError(`${op}: ${(e as Error).message}`);
  }
  const out = Tensor.empty(shape, dtype);
  const as = broadcastStrides(a.shape, shape), bs = broadcastStrides(b.shape, shape);
  const ad = a.data, bd = b.data, od = out.data;
  const nd = shape.length, n = sizeOf(shape);
  const idx = new Array<number>(nd).fill(0);
  let ai = 0, bi = 0;
  for (let i = 0; i < n; i++) {
    od[i] = f(ad[ai], bd[bi]);
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]++;
      ai += as[d];
      bi += bs[d];
      if (idx[d] < shape[d]) break;
      ai -= as[d] * shape[d];
      bi -= bs[d] * shape[d];
      idx[d] = 0;
    }
  }
  return out;
}

export function unary(a: Tensor, f: (x: number) => number, op: string): Tensor {
  if (!(a instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${typeof a}`);
  const out = Tensor.empty(a.shape, a.dtype);
  const ad = a.data, od = out.data;
  for (let i = 0; i < od.length; i++) od[i] = f(ad[i]);
  return out;
}

/** Logistic sigmoid, written so that neither branch overflows (|x| up to 1e3 and beyond). */
export function stableSigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** log(1 + e^x), written so that e^x never overflows: x + log(1 + e^-x) for positive x. */
export function stableSoftplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

export const add = (a: Operand, b: Operand) => binary(a, b, (x, y) => x + y, "add");
export const sub = (a: Operand, b: Operand) => binary(a, b, (x, y) => x - y, "sub");
export const mul = (a: Operand, b: Operand) => binary(a, b, (x, y) => x * y, "mul");
export const div = (a: Operand, b: Operand) => binary(a, b, (x, y) => x / y, "div");
export const pow = (a: Operand, b: Operand) => binary(a, b, Math.pow, "pow");
// NaN in, NaN out (NumPy's maximum/minimum/relu): the last branch is reached only when x or y is NaN.
export const maximum = (a: Operand, b: Operand) => binary(a, b, (x, y) => (x >= y ? x : x < y ? y : NaN), "maximum");
export const minimum = (a: Operand, b: Operand) => binary(a, b, (x, y) => (x <= y ? x : x > y ? y : NaN), "minimum");
export const eq = (a: Operand, b: Operand) => binary(a, b, (x, y) => (x === y ? 1 : 0), "eq");
export const ne = (a: Operand, b: Operand) => binary(a, b, (x, y) => (x !== y ? 1 : 0), "ne");
export const lt = (a: Operand, b: Operand) => binary(a, b, (x, y) => (x < y ? 1 : 0), "lt");
export const le = (a: Operand, b: Operand) => binary(a, b, (x, y) => (x <= y ? 1 : 0), "le");
export const gt = (a: Operand, b: Operand) => binary(a, b, (x, y) => (x > y ? 1 : 0), "gt");
export const ge = (a: Operand, b: Operand) => binary(a, b, (x, y) => (x >= y ? 1 : 0), "ge");

export const neg = (a: Tensor) => unary(a, (x) => -x, "neg");
export const exp = (a: Tensor) => unary(a, Math.exp, "exp");
export const log = (a: Tensor) => unary(a, Math.log, "log");
export const sin = (a: Tensor) => unary(a, Math.sin, "sin");
export const cos = (a: Tensor) => unary(a, Math.cos, "cos");
export const tanh = (a: Tensor) => unary(a, Math.tanh, "tanh");
export const sigmoid = (a: Tensor) => unary(a, stableSigmoid, "sigmoid");
export const relu = (a: Tensor) => unary(a, (x) => (x <= 0 ? 0 : x), "relu");
export const abs = (a: Tensor) => unary(a, Math.abs, "abs");
export const sqrt = (a: Tensor) => unary(a, Math.sqrt, "sqrt");
export const square = (a: Tensor) => unary(a, (x) => x * x, "square");
export const sign = (a: Tensor) => unary(a, Math.sign, "sign");

export function clip(a: Tensor, lo: number, hi: number): Tensor {
  if (lo > hi) throw new RangeError(`clip: lower bound ${lo} is above upper bound ${hi}`);
  return unary(a, (x) => (x < lo ? lo : x > hi ? hi : x), "clip");
}
