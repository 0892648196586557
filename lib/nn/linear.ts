import { Random, Tensor } from "../tensor";
import { addMatmulTN, matmulNN, matmulNT } from "../tensor/ops/gemm";
import { checkDout, Module, noCache } from "./module";

export type WeightInit = number | "he" | "xavier";

export interface LinearOptions {
  /** Weight initialisation: a standard deviation (CS231n's weight_scale), "he" (√(2/in), for ReLU; default) or "xavier" (√(1/in)). */
  weightScale?: WeightInit;
  /** Generator or seed for the initial weights (default: the shared generator, see `seed()`). */
  rng?: Random | number;
  /** Name prefix for the parameters, e.g. "1" gives W1 and b1. */
  suffix?: string;
}

/**
 * Affine layer y = x·W + b, W of shape [in, out] as in CS231n. An input of shape [N, d1, d2, ...] is
 * flattened to [N, d1·d2·...] (CS231n's affine_forward), and the input gradient gets the input's shape back.
 */
export class Linear extends Module {
  readonly W: Tensor;
  readonly b: Tensor;
  private cache: { x: Tensor; n: number } | null = null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, opts: LinearOptions = {}) {
    super();
    for (const [what, v] of [["inFeatures", inFeatures], ["outFeatures", outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new RangeError(`Linear: ${what} must be a whole number >= 1, got ${v}`);
    }
    const scale = initScale(opts.weightScale ?? "he", inFeatures);
    this.W = Tensor.randn([inFeatures, outFeatures], opts.rng).mul(scale);
    this.b = Tensor.zeros([outFeatures]);
    this.W.name = `W${opts.suffix ?? ""}`;
    this.b.name = `b${opts.suffix ?? ""}`;
  }

  forward(x: Tensor): Tensor {
    this.cache = null; // a forward that throws must not leave the previous cache for backward
    if (!(x instanceof Tensor)) throw new TypeError(`${this}: forward expects a Tensor of shape [N, ${this.inFeatures}]`);
    const n = x.shape[0] ?? 1;
    const d = x.ndim === 0 ? 1 : x.size / n;
    if (x.ndim < 1 || d !== this.inFeatures) {
      throw new RangeError(`${this}: input of shape [${x.shape.join(", ")}] has ${d} features per row, expected ${this.inFeatures}`);
    }
    const out = matmulNN(x.data, this.W.data, n, d, this.outFeatures);
    const m = this.outFeatures, b = this.b.data;
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[i * m + j] += b[j];
    this.cache = { x, n };
    return new Tensor(out, [n, m]);
  }

  backward(dout: Tensor): Tensor {
    const { x, n } = this.backwardParams(dout);
    return new Tensor(matmulNT(dout.data, this.W.data, n, this.outFeatures, this.inFeatures), x.shape.slice());
  }

  /**
   * backward's parameter gradients (into W.grad and b.grad) without the input gradient: for a first
   * layer, whose input is data, that saves a product as large as the forward's.
   */
  backwardParams(dout: Tensor): { x: Tensor; n: number } {
    if (!this.cache) throw noCache("Linear");
    const { x, n } = this.cache;
    const d = this.inFeatures, m = this.outFeatures;
    checkDout(`${this}`, dout, [n, m]);
    if (!this.W.grad) this.W.grad = Tensor.zeros(this.W.shape);
    if (!this.b.grad) this.b.grad = Tensor.zeros(this.b.shape);
    addMatmulTN(this.W.grad.data as Float64Array, x.data, dout.data, n, d, m);
    const db = this.b.grad.data, g = dout.data;
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) db[j] += g[i * m + j];
    return this.cache;
  }

  parameters(): Tensor[] {
    return [this.W, this.b];
  }

  toString(): string {
    return `Linear(${this.inFeatures} -> ${this.outFeatures})`;
  }
}

export function initScale(init: WeightInit, fanIn: number): number {
  if (init === "he") return Math.sqrt(2 / fanIn);
  if (init === "xavier") return Math.sqrt(1 / fanIn);
  if (typeof init === "number" && init >= 0 && Number.isFinite(init)) return init;
  throw new RangeError(`weightScale must be a non-negative number, "he" or "xavier", got ${JSON.stringify(init)}`);
}
