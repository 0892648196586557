import { Random, Tensor } from "../tensor";
import { checkDout, Module, noCache } from "./module";

/**
 * Inverted dropout: in training each unit is zeroed with probability `p` (PyTorch's meaning; CS231n's
 * assignment passes the keep probability instead) and survivors are scaled by 1/(1-p), so that eval
 * mode is the identity. The mask comes from a seeded generator: the same seed drops the same units.
 */
export class Dropout extends Module {
  private readonly rng: Random;
  private cache: { mask: Float64Array | null; shape: number[] } | null = null;

  constructor(readonly p = 0.5, opts: { rng?: Random; seed?: number } = {}) {
    super();
    if (!(p >= 0 && p < 1)) throw new RangeError(`Dropout: p is the probability of dropping a unit and must be in [0, 1), got ${p}`);
    this.rng = opts.rng ?? new Random(opts.seed ?? 0);
  }

  forward(x: Tensor): Tensor {
    this.cache = null; // a forward that throws must not leave the previous cache for backward
    if (!(x instanceof Tensor)) throw new TypeError("Dropout: forward expects a Tensor");
    if (!this.training || this.p === 0) {
      this.cache = { mask: null, shape: x.shape.slice() };
      return new Tensor(new Float64Array(x.data), x.shape.slice());
    }
    const keep = 1 - this.p;
    const mask = new Float64Array(x.size);
    const out = new Float64Array(x.size);
    for (let i = 0; i < mask.length; i++) {
      mask[i] = this.rng.random() < keep ? 1 / keep : 0;
      out[i] = x.data[i] * mask[i];
    }
    this.cache = { mask, shape: x.shape.slice() };
    return new Tensor(out, x.shape.slice());
  }

  backward(dout: Tensor): Tensor {
    if (!this.cache) throw noCache("Dropout");
    const { mask, shape } = this.cache;
    checkDout(`${this}`, dout, shape);
    const dx = new Float64Array(dout.data);
    if (mask) for (let i = 0; i < dx.length; i++) dx[i] *= mask[i];
    return new Tensor(dx, shape.slice());
  }

  toString(): string {
    return `Dropout(p=${this.p})`;
  }
}
