import { MLP } from "./mlp";

export interface TwoLayerNetOptions {
  /** Standard deviation of the initial weights (CS231n's weight_scale; default 1e-3). */
  weightScale?: number;
  /** L2 strength (default 0). */
  reg?: number;
  seed?: number;
}

/**
 * CS231n's two-layer network: affine − ReLU − affine − softmax, with parameters W1 [D, H], b1 [H],
 * W2 [H, C], b2 [C]; `loss(X)` gives scores [N, C], `loss(X, y)` gives { loss, grads } with the same keys.
 */
export class TwoLayerNet extends MLP {
  constructor(inputDim: number, hiddenDim: number, numClasses: number, opts: TwoLayerNetOptions = {}) {
    super([inputDim, hiddenDim, numClasses], {
      activation: "relu",
      loss: "softmax",
      weightScale: opts.weightScale ?? 1e-3,
      reg: opts.reg ?? 0,
      seed: opts.seed ?? 0,
    });
  }

  toString(): string {
    const [d, h, c] = this.sizes;
    return `TwoLayerNet(${d} -> ${h} -> ReLU -> ${c}, softmax loss, reg ${this.reg})`;
  }
}
