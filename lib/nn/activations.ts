import { Tensor, type TypedData } from "../tensor";
import { stableSigmoid } from "../tensor/ops/elementwise";
import { checkDout, Module, noCache } from "./module";

/**
 * Elementwise activations. Each caches its input and output in forward; backward multiplies dout by
 * the local derivative, written in terms of whichever of the two makes it cheapest. Every class has
 * its own loops (not a shared loop calling f(x) per element): a per-element virtual call is several
 * times slower once V8 sees more than one activation class.
 */
abstract class Elementwise extends Module {
  private cache: { x: Tensor; y: Float64Array } | null = null;
  /** y[i] = f(x[i]) for all i. */
  protected abstract apply(x: TypedData, y: Float64Array): void;
  /** dx[i] = dout[i] · f'(x[i]), with y = f(x) at hand. */
  protected abstract chain(x: TypedData, y: Float64Array, dout: TypedData, dx: Float64Array): void;

  forward(x: Tensor): Tensor {
    this.cache = null; // a forward that throws must not leave the previous cache for backward
    if (!(x instanceof Tensor)) throw new TypeError(`${this}: forward expects a Tensor`);
    const y = new Float64Array(x.size);
    this.apply(x.data, y);
    this.cache = { x, y };
    return new Tensor(y.slice(), x.shape.slice()); // a copy: callers may change the output, backward needs y
  }

  backward(dout: Tensor): Tensor {
    if (!this.cache) throw noCache(this.constructor.name);
    const { x, y } = this.cache;
    checkDout(`${this}`, dout, x.shape);
    const dx = new Float64Array(x.size);
    this.chain(x.data, y, dout.data, dx);
    return new Tensor(dx, x.shape.slice());
  }
}

/** max(0, x); the gradient at exactly 0 is taken as 0 (as CS231n and PyTorch do). NaN in, NaN out. */
export class ReLU extends Elementwise {
  protected apply(x: TypedData, y: Float64Array) {
    for (let i = 0; i < y.length; i++) y[i] = x[i] <= 0 ? 0 : x[i];
  }
  protected chain(x: TypedData, _: Float64Array, dout: TypedData, dx: Float64Array) {
    for (let i = 0; i < dx.length; i++) dx[i] = x[i] > 0 ? dout[i] : x[i] <= 0 ? 0 : NaN;
  }
  toString() { return "ReLU()"; }
}

/** x for x > 0, alpha·x otherwise: a small slope keeps "dead" units learning. */
export class LeakyReLU extends Elementwise {
  constructor(readonly alpha = 0.01) {
    super();
    if (!(alpha >= 0 && Number.isFinite(alpha))) throw new RangeError(`LeakyReLU: alpha must be a finite number >= 0, got ${alpha}`);
  }
  protected apply(x: TypedData, y: Float64Array) {
    const a = this.alpha;
    for (let i = 0; i < y.length; i++) y[i] = x[i] > 0 ? x[i] : a * x[i];
  }
  protected chain(x: TypedData, _: Float64Array, dout: TypedData, dx: Float64Array) {
    const a = this.alpha;
    for (let i = 0; i < dx.length; i++) dx[i] = x[i] > 0 ? dout[i] : x[i] <= 0 ? a * dout[i] : NaN;
  }
  toString() { return `LeakyReLU(${this.alpha})`; }
}

/** 1 / (1 + e^-x), computed without overflow for large |x|; derivative y(1 - y). */
export class Sigmoid extends Elementwise {
  protected apply(x: TypedData, y: Float64Array) {
    for (let i = 0; i < y.length; i++) y[i] = stableSigmoid(x[i]);
  }
  protected chain(_: TypedData, y: Float64Array, dout: TypedData, dx: Float64Array) {
    for (let i = 0; i < dx.length; i++) dx[i] = dout[i] * y[i] * (1 - y[i]);
  }
  toString() { return "Sigmoid()"; }
}

/** tanh(x); derivative 1 - y². */
export class Tanh extends Elementwise {
  protected apply(x: TypedData, y: Float64Array) {
    for (let i = 0; i < y.length; i++) y[i] = Math.tanh(x[i]);
  }
  protected chain(_: TypedData, y: Float64Array, dout: TypedData, dx: Float64Array) {
    for (let i = 0; i < dx.length; i++) dx[i] = dout[i] * (1 - y[i] * y[i]);
  }
  toString() { return "Tanh()"; }
}
