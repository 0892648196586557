import { Tensor } from "../tensor";
import { checkDout, Module, noCache } from "./module";

/**
 * Elementwise activations. Each caches its input and output in forward; backward multiplies dout by
 * the local derivative, written in terms of whichever of the two makes it cheapest.
 */
abstract class Elementwise extends Module {
  private cache: { x: Tensor; y: Tensor } | null = null;
  protected abstract f(x: number): number;
  /** dy/dx from the input x and the output y. */
  protected abstract df(x: number, y: number): number;

  forward(x: Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new TypeError(`${this}: forward expects a Tensor`);
    const y = new Float64Array(x.size);
    for (let i = 0; i < y.length; i++) y[i] = this.f(x.data[i]);
    const out = new Tensor(y, x.shape.slice());
    this.cache = { x, y: out };
    return out;
  }

  backward(dout: Tensor): Tensor {
    if (!this.cache) throw noCache(this.constructor.name);
    const { x, y } = this.cache;
    checkDout(`${this}`, dout, x.shape);
    const dx = new Float64Array(x.size);
    for (let i = 0; i < dx.length; i++) dx[i] = dout.data[i] * this.df(x.data[i], y.data[i]);
    return new Tensor(dx, x.shape.slice());
  }
}

/** max(0, x); the gradient at exactly 0 is taken as 0 (as CS231n and PyTorch do). */
export class ReLU extends Elementwise {
  protected f(x: number) { return x > 0 ? x : 0; }
  protected df(x: number) { return x > 0 ? 1 : 0; }
  toString() { return "ReLU()"; }
}

/** x for x > 0, alpha·x otherwise: a small slope keeps "dead" units learning. */
export class LeakyReLU extends Elementwise {
  constructor(readonly alpha = 0.01) {
    super();
    if (!(alpha >= 0 && Number.isFinite(alpha))) throw new RangeError(`LeakyReLU: alpha must be a finite number >= 0, got ${alpha}`);
  }
  protected f(x: number) { return x > 0 ? x : this.alpha * x; }
  protected df(x: number) { return x > 0 ? 1 : this.alpha; }
  toString() { return `LeakyReLU(${this.alpha})`; }
}

/** 1 / (1 + e^-x), computed without overflow for large |x|; derivative y(1 - y). */
export class Sigmoid extends Elementwise {
  protected f(x: number) { return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)); }
  protected df(_: number, y: number) { return y * (1 - y); }
  toString() { return "Sigmoid()"; }
}

/** tanh(x); derivative 1 - y². */
export class Tanh extends Elementwise {
  protected f(x: number) { return Math.tanh(x); }
  protected df(_: number, y: number) { return 1 - y * y; }
  toString() { return "Tanh()"; }
}
