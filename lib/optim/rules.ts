import type { TypedData } from "../tensor";
import { checkNonNegative, checkUnitInterval, Optimizer, ParamSet, ruleOptions } from "./optimizer";

/**
 * The update rules of CS231n's optim.py, with its default hyper-parameters. `w` is a parameter's
 * data, `dw` its gradient, updated in place.
 */

/** w ← w − lr·dw */
export class SGD extends Optimizer {
  constructor(params: ParamSet, opts: { lr?: number } | number = {}) {
    super(params, ruleOptions("SGD", opts, ["lr"]).lr ?? 1e-2);
  }
  protected stateNames() { return []; }
  protected update(w: TypedData, dw: ArrayLike<number>) {
    const lr = this.lr;
    for (let i = 0; i < w.length; i++) w[i] -= lr * dw[i];
  }
}

/**
 * Momentum: v ← μ·v − lr·dw; w ← w + v. With `nesterov`, the lecture's look-ahead form:
 * w ← w − μ·v_prev + (1 + μ)·v.
 */
export class Momentum extends Optimizer {
  readonly momentum: number;
  readonly nesterov: boolean;
  constructor(params: ParamSet, opts: { lr?: number; momentum?: number; nesterov?: boolean } | number = {}) {
    const o = ruleOptions("Momentum", opts, ["lr", "momentum", "nesterov"]);
    super(params, o.lr ?? 1e-2);
    this.momentum = o.momentum ?? 0.9;
    this.nesterov = o.nesterov ?? false;
    checkUnitInterval(this.constructor.name, "momentum", this.momentum);
  }
  protected stateNames() { return ["velocity"]; }
  protected update(w: TypedData, dw: ArrayLike<number>, s: Record<string, Float64Array>) {
    const v = s.velocity, mu = this.momentum, lr = this.lr;
    for (let i = 0; i < w.length; i++) {
      const prev = v[i];
      v[i] = mu * v[i] - lr * dw[i];
      w[i] += this.nesterov ? -mu * prev + (1 + mu) * v[i] : v[i];
    }
  }
}

/** Nesterov momentum (Momentum with `nesterov: true`). */
export class Nesterov extends Momentum {
  constructor(params: ParamSet, opts: { lr?: number; momentum?: number } | number = {}) {
    super(params, { ...ruleOptions("Nesterov", opts, ["lr", "momentum"]), nesterov: true });
  }
}

/** RMSProp: c ← ρ·c + (1 − ρ)·dw²; w ← w − lr·dw / (√c + ε). */
export class RMSProp extends Optimizer {
  readonly decayRate: number;
  readonly eps: number;
  constructor(params: ParamSet, opts: { lr?: number; decayRate?: number; eps?: number } | number = {}) {
    const o = ruleOptions("RMSProp", opts, ["lr", "decayRate", "eps"]);
    super(params, o.lr ?? 1e-2);
    this.decayRate = o.decayRate ?? 0.99;
    this.eps = o.eps ?? 1e-8;
    checkUnitInterval("RMSProp", "decayRate", this.decayRate);
    checkNonNegative("RMSProp", "eps", this.eps);
  }
  protected stateNames() { return ["cache"]; }
  protected update(w: TypedData, dw: ArrayLike<number>, s: Record<string, Float64Array>) {
    const c = s.cache, rho = this.decayRate, lr = this.lr;
    for (let i = 0; i < w.length; i++) {
      c[i] = rho * c[i] + (1 - rho) * dw[i] * dw[i];
      w[i] -= (lr * dw[i]) / (Math.sqrt(c[i]) + this.eps);
    }
  }
}

/**
 * Adam: first and second moment estimates m and v, bias-corrected by 1 − β^t (t counts steps from 1):
 * w ← w − lr·m̂ / (√v̂ + ε).
 */
export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  constructor(params: ParamSet, opts: { lr?: number; beta1?: number; beta2?: number; eps?: number } | number = {}) {
    const o = ruleOptions("Adam", opts, ["lr", "beta1", "beta2", "eps"]);
    super(params, o.lr ?? 1e-3);
    this.beta1 = o.beta1 ?? 0.9;
    this.beta2 = o.beta2 ?? 0.999;
    this.eps = o.eps ?? 1e-8;
    checkUnitInterval("Adam", "beta1", this.beta1);
    checkUnitInterval("Adam", "beta2", this.beta2);
    checkNonNegative("Adam", "eps", this.eps);
  }
  protected stateNames() { return ["m", "v"]; }
  protected update(w: TypedData, dw: ArrayLike<number>, s: Record<string, Float64Array>) {
    const { m, v } = s, b1 = this.beta1, b2 = this.beta2, lr = this.lr;
    const c1 = 1 - b1 ** this.t, c2 = 1 - b2 ** this.t;
    for (let i = 0; i < w.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * dw[i];
      v[i] = b2 * v[i] + (1 - b2) * dw[i] * dw[i];
      w[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + this.eps);
    }
  }
}

export type OptimizerName = "sgd" | "momentum" | "nesterov" | "rmsprop" | "adam";

/** An optimizer by name, e.g. from a Trainer option or a notebook widget. */
export function makeOptimizer(name: OptimizerName, params: ParamSet, opts: { lr?: number } & Record<string, number | boolean | undefined> = {}): Optimizer {
  switch (name) {
    case "sgd": return new SGD(params, opts);
    case "momentum": return new Momentum(params, opts);
    case "nesterov": return new Nesterov(params, opts);
    case "rmsprop": return new RMSProp(params, opts);
    case "adam": return new Adam(params, opts);
    default: throw new RangeError(`unknown optimizer ${JSON.stringify(name)}: use "sgd", "momentum", "nesterov", "rmsprop" or "adam"`);
  }
}
