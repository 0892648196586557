/**
 * Arithmetic on "a number or a Tensor", the values that flow through gates.
 *
 * Plain numbers stay plain numbers (so `new MultiplyGate().forward(3, -4) === -12`); anything with a
 * Tensor in it goes to the raw kernels in lib/tensor/ops, which never record gradients. Gates must use
 * these helpers and never Tensor methods: a method on a tensor that requires a gradient would route
 * back through the autograd hook and record the gate's own arithmetic.
 */
import { Tensor } from "../tensor/tensor";
import * as ops from "../tensor/ops";
import { binary as binaryKernel, stableSigmoid } from "../tensor/ops/elementwise";
import { sumToShape } from "../tensor/ops/reduce";
import { formatShape, sameShape } from "../tensor/shape";

/** A value flowing through a gate: a plain number or a Tensor. */
export type Num = number | Tensor;

export const isTensor = (x: unknown): x is Tensor => x instanceof Tensor;

export function shapeOf(x: Num): number[] {
  return isTensor(x) ? x.shape.slice() : [];
}

/** How a value is described in an error: "the number 3" or "a Tensor of shape [2, 3]". */
export function describe(x: unknown): string {
  if (typeof x === "number") return `the number ${x}`;
  if (isTensor(x)) return `a Tensor of shape ${formatShape(x.shape)}`;
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array (wrap it with tensor(...))";
  if (x === undefined) return "undefined";
  const kind = typeof x === "object" ? (x as object).constructor?.name ?? "object" : typeof x;
  return `${/^[aeiou]/i.test(kind) ? "an" : "a"} ${kind === "Object" ? "object" : kind}`;
}

/** Two numbers give a number; a Tensor on either side gives a Tensor. */
export interface Binary {
  (a: number, b: number): number;
  (a: Tensor, b: Num): Tensor;
  (a: Num, b: Tensor): Tensor;
  (a: Num, b: Num): Num;
}
/** A number gives a number, a Tensor a Tensor. */
export interface Unary {
  (a: number): number;
  (a: Tensor): Tensor;
  (a: Num): Num;
}

// The casts state the overloads above for the one function: numbers go to f, anything else to the kernel.
function binary(f: (x: number, y: number) => number, kernel: (a: Tensor | number, b: Tensor | number) => Tensor): Binary {
  return ((a: Num, b: Num) => (typeof a === "number" && typeof b === "number" ? f(a, b) : kernel(a, b))) as Binary;
}

function unary(f: (x: number) => number, kernel: (a: Tensor) => Tensor): Unary {
  return ((a: Num) => (typeof a === "number" ? f(a) : kernel(a))) as Unary;
}

export const add = binary((x, y) => x + y, ops.add);
export const sub = binary((x, y) => x - y, ops.sub);
export const mul = binary((x, y) => x * y, ops.mul);
export const div = binary((x, y) => x / y, ops.div);
export const pow = binary(Math.pow, ops.pow);
// Ties go to the first argument, in forward (here) and in backward (the masks below), consistently.
// NaN in, NaN out: the last branch is reached only when x or y is NaN.
export const maximum = binary((x, y) => (x >= y ? x : x < y ? y : NaN), ops.maximum);
export const minimum = binary((x, y) => (x <= y ? x : x > y ? y : NaN), ops.minimum);

/**
 * A 0/1 routing mask for a gradient, NaN where a or b is NaN: a comparison with NaN routes nowhere,
 * so the gradient there is undefined rather than silently sent to the other input.
 */
function routingMask(test: (x: number, y: number) => boolean, name: string): Binary {
  const f = (x: number, y: number) => (x !== x || y !== y ? NaN : test(x, y) ? 1 : 0);
  return binary(f, (a, b) => binaryKernel(a, b, f, name));
}

/** 1 where a >= b, else 0 (NaN where either is NaN). */
export const geMask = routingMask((x, y) => x >= y, "ge");
/** 1 where a <= b, else 0 (NaN where either is NaN). */
export const leMask = routingMask((x, y) => x <= y, "le");
/** 1 where a > b, else 0 (NaN where either is NaN). */
export const gtMask = routingMask((x, y) => x > y, "gt");
/** 1 where a < b, else 0 (NaN where either is NaN). */
export const ltMask = routingMask((x, y) => x < y, "lt");
/** 1 where a == b, else 0. */
export const eqMask = binary((x, y) => (x === y ? 1 : 0), ops.eq);

export const neg = unary((x) => -x, ops.neg);
export const exp = unary(Math.exp, ops.exp);
export const log = unary(Math.log, ops.log);
export const sin = unary(Math.sin, ops.sin);
export const cos = unary(Math.cos, ops.cos);
export const tanh = unary(Math.tanh, ops.tanh);
export const sigmoid = unary(stableSigmoid, ops.sigmoid);
export const relu = unary((x) => (x <= 0 ? 0 : x), ops.relu);
export const abs = unary(Math.abs, ops.abs);
export const sqrt = unary(Math.sqrt, ops.sqrt);
export const square = unary((x) => x * x, ops.square);
export const sign = unary(Math.sign, ops.sign);

export function clip(a: number, lo: number, hi: number): number;
export function clip(a: Tensor, lo: number, hi: number): Tensor;
export function clip(a: Num, lo: number, hi: number): Num;
export function clip(a: Num, lo: number, hi: number): Num {
  return typeof a === "number" ? Math.min(hi, Math.max(lo, a)) : ops.clip(a, lo, hi);
}

/** Every element of `like`'s shape equal to `value` (a number when `like` is a number). */
export function fillLike(like: Num, value: number): Num {
  return isTensor(like) ? Tensor.full(like.shape, value, { dtype: like.dtype }) : value;
}

export const zerosLike = (like: Num): Num => fillLike(like, 0);

/**
 * Undoes broadcasting: the part of `grad` that belongs to an input shaped like `like`. A number
 * input that was broadcast against a tensor receives the sum of the whole gradient.
 */
export function reduceLike(grad: Num, like: Num): Num {
  if (typeof like === "number") {
    return typeof grad === "number" ? grad : ops.sum(grad).data[0];
  }
  if (typeof grad === "number") return Tensor.full(like.shape, grad, { dtype: like.dtype });
  return sameShape(grad.shape, like.shape) ? grad : sumToShape(grad, like.shape);
}

/** The sum of all elements, as a plain number (inner products in tests and gradient checks). */
export function total(x: Num): number {
  return typeof x === "number" ? x : ops.sum(x).data[0];
}

/** Elementwise values as a flat list (row-major). */
export function flat(x: Num): number[] {
  return typeof x === "number" ? [x] : Array.from(x.data);
}
