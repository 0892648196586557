/** The two-input elementwise gates of the lecture: add distributes, max routes, multiply switches. */
import { Tensor } from "../tensor/tensor";
import { Num, add, div, geMask, isTensor, leMask, maximum, minimum, mul, neg, pow, sub } from "./arith";
import { BinaryGate } from "./elementwise";
import { binary as binaryKernel } from "../tensor/ops/elementwise";

export class AddGate<V extends Num = Num> extends BinaryGate<V> {
  readonly name = "AddGate";
  readonly symbol = "+";
  readonly commutative = true;
  protected apply(x: Num, y: Num) { return add(x, y); }
  protected partials(): [Num, Num] { return [1, 1]; }
}

export class SubtractGate<V extends Num = Num> extends BinaryGate<V> {
  readonly name = "SubtractGate";
  readonly symbol = "-";
  protected apply(x: Num, y: Num) { return sub(x, y); }
  protected partials(): [Num, Num] { return [1, -1]; }
}

export class MultiplyGate<V extends Num = Num> extends BinaryGate<V> {
  readonly name = "MultiplyGate";
  readonly symbol = "*";
  readonly commutative = true;
  protected apply(x: Num, y: Num) { return mul(x, y); }
  protected partials(x: Num, y: Num): [Num, Num] { return [y, x]; }
}

export class DivideGate<V extends Num = Num> extends BinaryGate<V> {
  readonly name = "DivideGate";
  readonly symbol = "/";
  protected apply(x: Num, y: Num) { return div(x, y); }
  // d(x/y)/dx = 1/y, d(x/y)/dy = -x/y^2 = -out/y
  protected partials(_x: Num, y: Num, out: Num): [Num, Num] { return [div(1, y), neg(div(out, y))]; }
}

/** max(x, y): the gradient goes to the larger input only (ties: to x; a NaN input makes both gradients NaN). */
export class MaxGate<V extends Num = Num> extends BinaryGate<V> {
  readonly name = "MaxGate";
  readonly symbol = "max";
  readonly commutative = true;
  protected apply(x: Num, y: Num) { return maximum(x, y); }
  protected partials(x: Num, y: Num): [Num, Num] {
    const toX = geMask(x, y);
    return [toX, sub(1, toX)];
  }
}

/** min(x, y): the gradient goes to the smaller input only (ties: to x; a NaN input makes both gradients NaN). */
export class MinGate<V extends Num = Num> extends BinaryGate<V> {
  readonly name = "MinGate";
  readonly symbol = "min";
  readonly commutative = true;
  protected apply(x: Num, y: Num) { return minimum(x, y); }
  protected partials(x: Num, y: Num): [Num, Num] {
    const toX = leMask(x, y);
    return [toX, sub(1, toX)];
  }
}

/**
 * x ** y with both partials: y·x^(y-1) for the base, x^y·ln(x) for the exponent. The base's partial
 * is 0 where y = 0 (x^0 = 1 is constant, even at x = 0 where 0·0^-1 would give NaN). The exponent's
 * partial is 0 at x = 0 (the limit for y > 0) and NaN for x < 0, where x^y is not differentiable in y.
 */
export class PowGate<V extends Num = Num> extends BinaryGate<V> {
  readonly name = "PowGate";
  readonly symbol = "pow";
  readonly inputNames = ["x", "exponent"];
  protected apply(x: Num, y: Num) { return pow(x, y); }
  protected partials(x: Num, y: Num, out: Num): [Num, Num] {
    return [baseSlope(x, y), mul(out, logOfBase(x))];
  }
}

/** y·x^(y-1), and 0 where y = 0. */
function baseSlope(x: Num, y: Num): Num {
  const f = (a: number, b: number) => (b === 0 ? 0 : b * Math.pow(a, b - 1));
  if (!isTensor(x) && !isTensor(y)) return f(x, y);
  return binaryKernel(x, y, f, "pow");
}

function logOfBase(x: Num): Num {
  const f = (v: number) => (v > 0 ? Math.log(v) : v === 0 ? 0 : NaN);
  if (!isTensor(x)) return f(x);
  const out = Tensor.empty(x.shape, x.dtype);
  for (let i = 0; i < out.data.length; i++) out.data[i] = f(x.data[i]);
  return out;
}
