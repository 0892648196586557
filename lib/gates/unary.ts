/** One-input elementwise gates. Each gives its local derivative in terms of its input and output. */
import { Num, abs, clip, cos, div, exp, gtMask, log, ltMask, mul, neg, relu, sigmoid, sign, sin, sqrt, square, sub, tanh } from "./arith";
import { UnaryGate } from "./elementwise";

export class NegateGate<V extends Num = Num> extends UnaryGate<V> {
  readonly name = "NegateGate";
  readonly symbol = "neg";
  protected apply(x: Num) { return neg(x); }
  protected local() { return -1; }
}

export class ExpGate<V extends Num = Num> extends UnaryGate<V> {
  readonly name = "ExpGate";
  readonly symbol = "exp";
  protected apply(x: Num) { return exp(x); }
  protected local(_x: Num, out: Num) { return out; }
}

export class LogGate<V extends Num = Num> extends UnaryGate<V> {
  readonly name = "LogGate";
  readonly symbol = "log";
  protected apply(x: Num) { return log(x); }
  protected local(x: Num) { return div(1, x); }
}

export class SinGate<V extends Num = Num> extends UnaryGate<V> {
  readonly name = "SinGate";
  readonly symbol = "sin";
  protected apply(x: Num) { return sin(x); }
  protected local(x: Num) { return cos(x); }
}

export class CosGate<V extends Num = Num> extends UnaryGate<V> {
  readonly name = "CosGate";
  readonly symbol = "cos";
  protected apply(x: Num) { return cos(x); }
  protected local(x: Num) { return neg(sin(x)); }
}

export class TanhGate<V extends Num = Num> extends UnaryGate<V> {
  readonly name = "TanhGate";
  readonly symbol = "tanh";
  protected apply(x: Num) { return tanh(x); }
  protected local(_x: Num, out: Num) { return sub(1, square(out)); }
}

/** σ(x) = 1 / (1 + e^-x), computed without overflow; σ'(x) = σ(x)(1 - σ(x)) from the cached output. */
export class SigmoidGate<V extends Num = Num> extends UnaryGate<V> {
  readonly name = "SigmoidGate";
  readonly symbol = "σ";
  protected apply(x: Num) { return sigmoid(x); }
  protected local(_x: Num, out: Num) { return mul(out, sub(1, out)); }
}

/** max(0, x); the gradient at exactly 0 is 0 (the usual convention); NaN in, NaN out. */
export class ReLUGate<V extends Num = Num> extends UnaryGate<V> {
  readonly name = "ReLUGate";
  readonly symbol = "relu";
  protected apply(x: Num) { return relu(x); }
  protected local(x: Num) { return gtMask(x, 0); }
}

/** |x|; the gradient at exactly 0 is 0. */
export class AbsGate<V extends Num = Num> extends UnaryGate<V> {
  readonly name = "AbsGate";
  readonly symbol = "abs";
  protected apply(x: Num) { return abs(x); }
  protected local(x: Num) { return sign(x); }
}

export class SqrtGate<V extends Num = Num> extends UnaryGate<V> {
  readonly name = "SqrtGate";
  readonly symbol = "sqrt";
  protected apply(x: Num) { return sqrt(x); }
  protected local(_x: Num, out: Num) { return div(0.5, out); }
}

export class SquareGate<V extends Num = Num> extends UnaryGate<V> {
  readonly name = "SquareGate";
  readonly symbol = "²";
  protected apply(x: Num) { return square(x); }
  protected local(x: Num) { return mul(2, x); }
}

/** Clamps into [lo, hi]; the gradient passes where lo <= x <= hi and is 0 outside. */
export class ClipGate<V extends Num = Num> extends UnaryGate<V> {
  readonly name = "ClipGate";
  readonly symbol = "clip";
  constructor(readonly lo: number, readonly hi: number) {
    super();
    if (typeof lo !== "number" || typeof hi !== "number" || Number.isNaN(lo) || Number.isNaN(hi)) {
      throw new TypeError(`ClipGate: bounds must be numbers, got lo=${String(lo)}, hi=${String(hi)}`);
    }
    if (lo > hi) throw new RangeError(`ClipGate: lower bound ${lo} is above upper bound ${hi}`);
  }
  get label() { return `clip[${this.lo}, ${this.hi}]`; }
  protected apply(x: Num) { return clip(x, this.lo, this.hi); }
  protected local(x: Num) { return mul(sub(1, ltMask(x, this.lo)), sub(1, gtMask(x, this.hi))); }
}
