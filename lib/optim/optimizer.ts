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
  private rate = 0;
  readonly state: Record<string, Record<string, Tensor>> = {};
  /** Number of steps taken. */
  t = 0;
  protected readonly params: [string, Tensor][];

  constructor(params: ParamSet, lr: number) {
    this.params = Array.isArray(params) ? params.map((p, i) => [String(i), p]) : Object.entries(params);
    this.params.forEach(([name, p]) => {
      if (!(p instanceof Tensor)) throw new TypeError(`${this.constructor.name}: parameter '${name}' is not a Tensor`);
    });
    this.lr = lr;
  }

  /** The learning rate; checked whenever it is set (a NaN learning rate would silently make every weight NaN). */
  get lr(): number {
    return this.rate;
  }
  set lr(lr: number) {
    if (!(typeof lr === "number" && lr > 0 && Number.isFinite(lr))) {
      throw new RangeError(`${this.constructor.name}: learning rate must be a positive number, got ${typeof lr === "string" ? JSON.stringify(lr) : lr}`);
    }
    this.rate = lr;
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

/**
 * A rule's options: a plain number means the learning rate (`new SGD(params, 0.1)`, as in PyTorch),
 * and an unknown name is an error rather than silently ignored (`{ learningRate: 0.1 }`).
 */
export function ruleOptions<T extends { lr?: number }>(who: string, opts: T | number | undefined, known: (keyof T & string)[]): T {
  if (typeof opts === "number") return { lr: opts } as T;
  if (opts === undefined) return {} as T;
  if (typeof opts !== "object" || opts === null) throw new TypeError(`${who}: options must be an object or a learning rate, got ${opts === null ? "null" : typeof opts}`);
  for (const key of Object.keys(opts)) {
    if (!(known as string[]).includes(key)) throw new TypeError(`${who}: unknown option ${JSON.stringify(key)} (known: ${known.join(", ")})`);
  }
  return opts;
}

/** Throws unless `value` is in [0, 1) (a decay rate or a momentum). */
export function checkUnitInterval(who: string, name: string, value: number): void {
  if (!(typeof value === "number" && value >= 0 && value < 1)) throw new RangeError(`${who}: ${name} must be in [0, 1), got ${value}`);
}

/** Throws unless `value` is a finite number >= 0 (an epsilon). */
export function checkNonNegative(who: string, name: string, value: number): void {
  if (!(typeof value === "number" && value >= 0 && Number.isFinite(value))) throw new RangeError(`${who}: ${name} must be a finite number >= 0, got ${value}`);
}
