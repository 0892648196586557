/**
 * Numerical derivatives and the relative error used to compare them with analytic ones
 * (CS231n's recipe: centred differences, relative error |a - n| / max(1e-8, |a| + |n|)).
 */
import { noGrad } from "../tensor/autograd-hook";
import { formatShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { Num, describe, isTensor } from "../gates/arith";

/** A function's scalar result as a number (a one-element tensor counts as a scalar). */
export function scalarOf(y: unknown, who = "f"): number {
  if (typeof y === "number") return y;
  if (isTensor(y)) {
    if (y.size !== 1) {
      throw new RangeError(`${who} must return a scalar, got a Tensor of shape ${formatShape(y.shape)}: reduce it (e.g. .sum()) first`);
    }
    return y.data[0];
  }
  throw new TypeError(`${who} must return a number or a one-element Tensor, got ${describe(y)}`);
}

/** A float64 copy that gradient checks may perturb freely (float32 cannot resolve h = 1e-5). */
export function float64Copy(t: Tensor): Tensor {
  return new Tensor(Float64Array.from(t.data), t.shape.slice());
}

/**
 * Centred-difference gradient of a scalar function: (f(x + h) - f(x - h)) / 2h per element.
 * Error O(h²) instead of the one-sided O(h). Returns a number for a number, a float64 Tensor of x's
 * shape for a Tensor. f is evaluated without recording gradients.
 *
 * A Tensor x is perturbed IN PLACE, one element at a time, and restored exactly (CS231n's
 * eval_numerical_gradient): f may take x as its argument or ignore it and read a parameter it closes
 * over, e.g. numericGradient(() => net.loss(X, y).loss, net.params.W1). Use float64 tensors: float32
 * cannot resolve a step of 1e-5.
 */
export function numericGradient(f: (x: number) => Num, x: number, h?: number): number;
export function numericGradient(f: (x: Tensor) => Num, x: Tensor, h?: number): Tensor;
export function numericGradient(f: (x: any) => Num, x: Num, h?: number): Num;
export function numericGradient(f: (x: any) => Num, x: Num, h = 1e-5): Num {
  if (!(h > 0)) throw new RangeError(`numericGradient: step h must be positive, got ${h}`);
  if (typeof x === "number") {
    return noGrad(() => centredDifference((step) => scalarOf(f(x + step)), h));
  }
  if (!isTensor(x)) throw new TypeError(`numericGradient: x must be a number or a Tensor, got ${describe(x)}`);
  const grad = Tensor.zeros(x.shape);
  noGrad(() => {
    for (let i = 0; i < x.size; i++) grad.data[i] = elementDifference(x, i, () => scalarOf(f(x)), h);
  });
  return grad;
}

/**
 * The one centred difference (f(+h) - f(-h)) / 2h that every gradient check uses; f receives the
 * step (+h or -h) and returns a number, or a list of numbers (then the difference is elementwise).
 */
export function centredDifference(f: (step: number) => number, h: number): number;
export function centredDifference(f: (step: number) => number[], h: number): number[];
export function centredDifference(f: (step: number) => number | number[], h: number): number | number[] {
  const plus = f(h), minus = f(-h);
  if (typeof plus === "number") return (plus - (minus as number)) / (2 * h);
  return plus.map((p, k) => (p - (minus as number[])[k]) / (2 * h));
}

/**
 * The centred difference of f() with respect to element k of x: x is changed IN PLACE (f reads it)
 * and restored exactly afterwards, even when f throws.
 */
export function elementDifference(x: Tensor, k: number, f: () => number, h: number): number {
  const old = x.data[k];
  try {
    return centredDifference((step) => {
      x.data[k] = old + step;
      return f();
    }, h);
  } finally {
    x.data[k] = old;
  }
}

/** Elementwise relative errors |a - n| / max(1e-8, |a| + |n|) as a flat list (NaN anywhere gives NaN). */
export function relErrors(analytic: Num | ArrayLike<number>, numeric: Num | ArrayLike<number>): number[] {
  const a = values(analytic, "analytic"), n = values(numeric, "numeric");
  if (a.length !== n.length || (isTensor(analytic) && isTensor(numeric) && formatShape(analytic.shape) !== formatShape(numeric.shape))) {
    throw new RangeError(`relError: analytic has shape ${shapeText(analytic)} but numeric has shape ${shapeText(numeric)}`);
  }
  return a.map((ai, i) => Math.abs(ai - n[i]) / Math.max(1e-8, Math.abs(ai) + Math.abs(n[i])));
}

/** The largest elementwise relative error between an analytic and a numeric gradient. */
export function relError(analytic: Num | ArrayLike<number>, numeric: Num | ArrayLike<number>): number {
  let worst = 0;
  for (const e of relErrors(analytic, numeric)) {
    if (Number.isNaN(e)) return NaN;
    if (e > worst) worst = e;
  }
  return worst;
}

function values(x: Num | ArrayLike<number>, what: string): number[] {
  if (typeof x === "number") return [x];
  if (isTensor(x)) return Array.from(x.data);
  if (x && typeof (x as ArrayLike<number>).length === "number") return Array.from(x as ArrayLike<number>);
  throw new TypeError(`relError: ${what} must be a number, a Tensor or an array of numbers, got ${describe(x)}`);
}

function shapeText(x: unknown): string {
  if (isTensor(x)) return formatShape(x.shape);
  if (typeof x === "number") return "[] (a number)";
  return `[${(x as ArrayLike<number>).length}] (an array)`;
}
