import { Tensor, type TypedData } from "../tensor";

/** Parameters by name (a model's `params`) or as a list (a layer's `parameters()`, named by position). */
export type ParamSet = Record<string, Tensor> | Tensor[];
/** Gradients matching the parameters; omitted, each parameter's own `.grad` is used. */
export type GradSet = Record<string, Tensor> | Tensor[];

/**
 * An update rule. `step()` changes the parameters in place (their `data`), so a model and its
 * optimizer share the same tensors. Per-parameter state (velocities, running averages) lives in
 * `state[name]`, public so a lecture or a test can look at it.
 */
export abstract class Optimizer {
  lr: number;
  readonly state: Record<string, Record<string, Tensor>> = {};
  /** Number of steps taken. */
  t = 0;
  protected readonly params: [string, Tensor][];

  constructor(params: ParamSet, lr: number) {
    this.params = Array.isArray(params) ? params.map((p, i) => [String(i), p]) : Object.entries(params);
    this.params.forEach(([name, p]) => {
      if (!(p instanceof Tensor)) throw new TypeError(`${this.constructor.name}: parameter '${name}' is not a Tensor`);
    });
    if (!(lr > 0 && Number.isFinite(lr))) throw new RangeError(`${this.constructor.name}: learning rate must be a positive number, got ${lr}`);
    this.lr = lr;
  }

  step(grads?: GradSet): void {
    this.t++;
    this.params.forEach(([name, p], i) => {
      const g = grads === undefined ? p.grad : Array.isArray(grads) ? grads[i] : grads[name];
      if (!g) throw new Error(`${this.constructor.name}.step: no gradient for parameter '${name}' (run backward first, or pass grads)`);
      if (g.size !== p.size) throw new RangeError(`${this.constructor.name}.step: gradient for '${name}' has shape [${g.shape.join(", ")}], parameter has [${p.shape.join(", ")}]`);
      this.update(p.data, g.data, this.slot(name, p));
    });
  }

  /** Sets every parameter's `.grad` to zeros. */
  zeroGrad(): void {
    for (const [, p] of this.params) {
      if (p.grad) p.grad.data.fill(0);
      else p.grad = Tensor.zeros(p.shape);
    }
  }

  /** The names of the state tensors this rule keeps per parameter (created as zeros on first use). */
  protected abstract stateNames(): string[];
  protected abstract update(w: TypedData, dw: ArrayLike<number>, state: Record<string, Float64Array>): void;

  private slot(name: string, p: Tensor): Record<string, Float64Array> {
    if (!this.state[name]) {
      this.state[name] = {};
      for (const s of this.stateNames()) this.state[name][s] = Tensor.zeros(p.shape);
    }
    const out: Record<string, Float64Array> = {};
    for (const [k, v] of Object.entries(this.state[name])) out[k] = v.data as Float64Array;
    return out;
  }
}
