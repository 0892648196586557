/**
 * Elementwise kernels with NumPy broadcasting. Raw: they never record gradients.
 *
 * Each named operation has its own inner loop written out (see LOOPS): a single loop that called a
 * function per element was most of a training step's time, because V8 cannot inline a call that sees a
 * dozen different functions. The broadcasting driver walks every axis but the last and hands each run
 * of the last axis to the loop, with stride 0 where an operand is broadcast.
 */
import { broadcastShapes, broadcastStrides } from "../broadcast";
import { sameShape } from "../shape";
import { Tensor, type DType, type TypedData } from "../tensor";

export type Operand = Tensor | number;

/** out[oi + k] = a[ai + k·sa] ∘ b[bi + k·sb] for k < n: one run of a binary operation. */
export type BinaryLoop = (a: TypedData, ai: number, sa: number, b: TypedData, bi: number, sb: number, out: TypedData, oi: number, n: number) => void;
/** out[k] = f(a[k]) for k < n: a unary operation over a whole tensor. */
export type UnaryLoop = (a: TypedData, out: TypedData, n: number) => void;

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

/** A number as a one-element array with stride 0: every element sees the same value. */
function scalarData(x: number): Float64Array {
  const d = new Float64Array(1);
  d[0] = x;
  return d;
}

/** Runs `loop` over a and b broadcast together (the driver shared by every binary operation). */
function broadcastApply(a: Operand, b: Operand, loop: BinaryLoop, op: string): Tensor {
  checkOperand(a, op);
  checkOperand(b, op);
  const dtype = resultDType(a, b);
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) {
    // A plain number broadcasts to anything: one run over the other operand, stride 0 for the number.
    const shape = a instanceof Tensor ? a.shape : b instanceof Tensor ? b.shape : [];
    const out = Tensor.empty(shape, dtype);
    const ad = a instanceof Tensor ? a.data : scalarData(a), bd = b instanceof Tensor ? b.data : scalarData(b);
    loop(ad, 0, a instanceof Tensor ? 1 : 0, bd, 0, b instanceof Tensor ? 1 : 0, out.data, 0, out.data.length);
    return out;
  }
  if (sameShape(a.shape, b.shape)) {
    const out = Tensor.empty(a.shape, dtype);
    loop(a.data, 0, 1, b.data, 0, 1, out.data, 0, out.data.length);
    return out;
  }
  return broadcastRuns(a, b, loop, op, dtype);
}

/**
 * Operands of different shapes: every run of the last axis in turn. Apart from broadcastApply, whose
 * common cases a freshly started process then compiles without this walk.
 */
function broadcastRuns(a: Tensor, b: Tensor, loop: BinaryLoop, op: string, dtype: DType): Tensor {
  let shape: number[];
  try {
    shape = broadcastShapes(a.shape, b.shape);
  } catch (e) {
    throw new RangeError(`${op}: ${(e as Error).message}`);
  }
  const out = Tensor.empty(shape, dtype);
  const n = out.data.length;
  if (n === 0) return out;
  const as = broadcastStrides(a.shape, shape), bs = broadcastStrides(b.shape, shape);
  const nd = shape.length, run = shape[nd - 1], sa = as[nd - 1], sb = bs[nd - 1];
  const ad = a.data, bd = b.data, od = out.data;
  // idx counts over every axis but the last; ai and bi follow it through each operand's strides.
  const idx = new Array<number>(nd).fill(0);
  let ai = 0, bi = 0;
  for (let oi = 0; oi < n; oi += run) {
    loop(ad, ai, sa, bd, bi, sb, od, oi, run);
    for (let d = nd - 2; d >= 0; d--) {
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

/** A binary operation given as a function of two numbers (slower than the named ones: a call per element). */
export function binary(a: Operand, b: Operand, f: (x: number, y: number) => number, op: string): Tensor {
  return broadcastApply(a, b, (ad, ai, sa, bd, bi, sb, od, oi, n) => {
    for (let k = 0; k < n; k++, ai += sa, bi += sb) od[oi + k] = f(ad[ai], bd[bi]);
  }, op);
}

/** A unary operation given as a function of a number (slower than the named ones: a call per element). */
export function unary(a: Tensor, f: (x: number) => number, op: string): Tensor {
  return applyUnary(a, (ad, od, n) => {
    for (let i = 0; i < n; i++) od[i] = f(ad[i]);
  }, op);
}

function applyUnary(a: Tensor, loop: UnaryLoop, op: string): Tensor {
  if (!(a instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${typeof a}`);
  const out = Tensor.empty(a.shape, a.dtype);
  loop(a.data, out.data, out.data.length);
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

// One loop per operation, each its own function so that V8 compiles the arithmetic inline.
const ADD: BinaryLoop = (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++, ai += sa, bi += sb) o[oi + k] = a[ai] + b[bi]; };
const SUB: BinaryLoop = (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++, ai += sa, bi += sb) o[oi + k] = a[ai] - b[bi]; };
const MUL: BinaryLoop = (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++, ai += sa, bi += sb) o[oi + k] = a[ai] * b[bi]; };
const DIV: BinaryLoop = (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++, ai += sa, bi += sb) o[oi + k] = a[ai] / b[bi]; };
const POW: BinaryLoop = (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++, ai += sa, bi += sb) o[oi + k] = Math.pow(a[ai], b[bi]); };
// NaN in, NaN out (NumPy's maximum/minimum/relu): the last branch is reached only when x or y is NaN.
const MAXIMUM: BinaryLoop = (a, ai, sa, b, bi, sb, o, oi, n) => {
  for (let k = 0; k < n; k++, ai += sa, bi += sb) { const x = a[ai], y = b[bi]; o[oi + k] = x >= y ? x : x < y ? y : NaN; }
};
const MINIMUM: BinaryLoop = (a, ai, sa, b, bi, sb, o, oi, n) => {
  for (let k = 0; k < n; k++, ai += sa, bi += sb) { const x = a[ai], y = b[bi]; o[oi + k] = x <= y ? x : x > y ? y : NaN; }
};
// Comparisons as +(x < y), not x < y ? 1 : 0: V8 compiles the first without a branch, which matters on
// data such as a ReLU's inputs, half above zero in no order (the branch mispredicted half the time).
const EQ: BinaryLoop = (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++, ai += sa, bi += sb) o[oi + k] = +(a[ai] === b[bi]); };
const NE: BinaryLoop = (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++, ai += sa, bi += sb) o[oi + k] = +(a[ai] !== b[bi]); };
const LT: BinaryLoop = (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++, ai += sa, bi += sb) o[oi + k] = +(a[ai] < b[bi]); };
const LE: BinaryLoop = (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++, ai += sa, bi += sb) o[oi + k] = +(a[ai] <= b[bi]); };
const GT: BinaryLoop = (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++, ai += sa, bi += sb) o[oi + k] = +(a[ai] > b[bi]); };
const GE: BinaryLoop = (a, ai, sa, b, bi, sb, o, oi, n) => { for (let k = 0; k < n; k++, ai += sa, bi += sb) o[oi + k] = +(a[ai] >= b[bi]); };

export const add = (a: Operand, b: Operand) => broadcastApply(a, b, ADD, "add");
export const sub = (a: Operand, b: Operand) => broadcastApply(a, b, SUB, "sub");
export const mul = (a: Operand, b: Operand) => broadcastApply(a, b, MUL, "mul");
export const div = (a: Operand, b: Operand) => broadcastApply(a, b, DIV, "div");
export const pow = (a: Operand, b: Operand) => broadcastApply(a, b, POW, "pow");
export const maximum = (a: Operand, b: Operand) => broadcastApply(a, b, MAXIMUM, "maximum");
export const minimum = (a: Operand, b: Operand) => broadcastApply(a, b, MINIMUM, "minimum");
export const eq = (a: Operand, b: Operand) => broadcastApply(a, b, EQ, "eq");
export const ne = (a: Operand, b: Operand) => broadcastApply(a, b, NE, "ne");
export const lt = (a: Operand, b: Operand) => broadcastApply(a, b, LT, "lt");
export const le = (a: Operand, b: Operand) => broadcastApply(a, b, LE, "le");
export const gt = (a: Operand, b: Operand) => broadcastApply(a, b, GT, "gt");
export const ge = (a: Operand, b: Operand) => broadcastApply(a, b, GE, "ge");

const NEG: UnaryLoop = (a, o, n) => { for (let i = 0; i < n; i++) o[i] = -a[i]; };
const EXP: UnaryLoop = (a, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.exp(a[i]); };
const LOG: UnaryLoop = (a, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.log(a[i]); };
const SIN: UnaryLoop = (a, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sin(a[i]); };
const COS: UnaryLoop = (a, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.cos(a[i]); };
const TANH: UnaryLoop = (a, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.tanh(a[i]); };
const SIGMOID: UnaryLoop = (a, o, n) => { for (let i = 0; i < n; i++) o[i] = stableSigmoid(a[i]); };
const RELU: UnaryLoop = (a, o, n) => { for (let i = 0; i < n; i++) { const x = a[i]; o[i] = x <= 0 ? 0 : x; } };
const ABS: UnaryLoop = (a, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.abs(a[i]); };
const SQRT: UnaryLoop = (a, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sqrt(a[i]); };
const SQUARE: UnaryLoop = (a, o, n) => { for (let i = 0; i < n; i++) { const x = a[i]; o[i] = x * x; } };
const SIGN: UnaryLoop = (a, o, n) => { for (let i = 0; i < n; i++) o[i] = Math.sign(a[i]); };

export const neg = (a: Tensor) => applyUnary(a, NEG, "neg");
export const exp = (a: Tensor) => applyUnary(a, EXP, "exp");
export const log = (a: Tensor) => applyUnary(a, LOG, "log");
export const sin = (a: Tensor) => applyUnary(a, SIN, "sin");
export const cos = (a: Tensor) => applyUnary(a, COS, "cos");
export const tanh = (a: Tensor) => applyUnary(a, TANH, "tanh");
export const sigmoid = (a: Tensor) => applyUnary(a, SIGMOID, "sigmoid");
export const relu = (a: Tensor) => applyUnary(a, RELU, "relu");
export const abs = (a: Tensor) => applyUnary(a, ABS, "abs");
export const sqrt = (a: Tensor) => applyUnary(a, SQRT, "sqrt");
export const square = (a: Tensor) => applyUnary(a, SQUARE, "square");
export const sign = (a: Tensor) => applyUnary(a, SIGN, "sign");

export function clip(a: Tensor, lo: number, hi: number): Tensor {
  if (lo > hi) throw new RangeError(`clip: lower bound ${lo} is above upper bound ${hi}`);
  return applyUnary(a, (d, o, n) => {
    for (let i = 0; i < n; i++) { const x = d[i]; o[i] = x < lo ? lo : x > hi ? hi : x; }
  }, "clip");
}
