import { Random, Tensor } from "../tensor";
import { LeakyReLU, ReLU, Sigmoid, Tanh } from "./activations";
import { Dropout } from "./dropout";
import { Linear, WeightInit } from "./linear";
import { l2Regularization, Labels, LossResult, softmax, softmaxCrossEntropy, svmLoss } from "./losses";
import { Model, predictClasses } from "./model";
import { Module } from "./module";
import { Sequential } from "./sequential";

export type Activation = "relu" | "tanh" | "sigmoid" | "leakyrelu";

export interface MLPOptions {
  /** Hidden-layer nonlinearity (default "relu"). */
  activation?: Activation;
  /** Classification loss on the last layer's scores (default "softmax"). */
  loss?: "softmax" | "svm";
  /** L2 strength: the loss gets 0.5·reg·Σ‖W‖² (CS231n). Default 0. */
  reg?: number;
  /** Weight initialisation (see Linear); default "he". */
  weightScale?: WeightInit;
  /** Dropout probability after each hidden activation (default 0: none). */
  dropout?: number;
  /** Seed for weights and dropout masks (default 0). */
  seed?: number;
}

/**
 * A fully connected classifier of any depth: sizes [D, H1, ..., C] give Linear layers with an
 * activation (and optional dropout) between them. Parameters are named W1, b1, W2, b2, ... as in
 * CS231n's FullyConnectedNet, and `loss(X, y?)` follows its contract (scores, or loss and grads).
 */
export class MLP implements Model {
  readonly net: Sequential;
  readonly linears: Linear[];
  reg: number;
  readonly lossKind: "softmax" | "svm";
  readonly params: Record<string, Tensor> = {};

  constructor(readonly sizes: number[], opts: MLPOptions = {}) {
    if (!Array.isArray(sizes) || sizes.length < 2) throw new RangeError(`MLP: sizes must list at least input and output sizes, e.g. [64, 100, 10], got ${JSON.stringify(sizes)}`);
    const rng = new Random(opts.seed ?? 0);
    this.reg = opts.reg ?? 0;
    this.lossKind = opts.loss ?? "softmax";
    if (this.lossKind !== "softmax" && this.lossKind !== "svm") throw new RangeError(`MLP: loss must be "softmax" or "svm", got ${JSON.stringify(this.lossKind)}`);
    const layers: Module[] = [];
    this.linears = [];
    for (let k = 0; k + 1 < sizes.length; k++) {
      const linear = new Linear(sizes[k], sizes[k + 1], { weightScale: opts.weightScale ?? "he", rng, suffix: String(k + 1) });
      this.linears.push(linear);
      layers.push(linear);
      if (k + 2 < sizes.length) {
        layers.push(activation(opts.activation ?? "relu"));
        if (opts.dropout) layers.push(new Dropout(opts.dropout, { rng: rng.fork() }));
      }
    }
    this.net = new Sequential(...layers);
    for (const p of this.net.parameters()) this.params[p.name!] = p;
  }

  /** Class scores [N, C] for X, or with labels the loss (data + regularisation) and its gradients. */
  loss(X: Tensor): Tensor;
  loss(X: Tensor, y: Labels): { loss: number; grads: Record<string, Tensor> };
  loss(X: Tensor, y?: Labels): Tensor | { loss: number; grads: Record<string, Tensor> } {
    if (y === undefined) {
      // Scores only: evaluation, so dropout is off whatever mode the net is in.
      const mode = this.net.training;
      this.net.train(false);
      try { return this.net.forward(X); } finally { this.net.train(mode); }
    }
    const scores = this.net.forward(X);
    const { loss, dx }: LossResult = this.lossKind === "softmax" ? softmaxCrossEntropy(scores, y) : svmLoss(scores, y);
    this.net.zeroGrad();
    // Backward through every layer but the first, which needs only its parameters' gradients (its input is X).
    const [first, ...rest] = this.net.layers;
    const d = rest.reduceRight((g, layer) => layer.backward(g), dx);
    if (first instanceof Linear) first.backwardParams(d);
    else first.backward(d);
    const penalty = this.reg > 0 ? l2Regularization(this.linears.map((l) => l.W), this.reg) : 0;
    const grads: Record<string, Tensor> = {};
    // Copies: a caller keeping these must not see them change on the next call.
    for (const [name, p] of Object.entries(this.params)) grads[name] = p.grad!.clone();
    return { loss: loss + penalty, grads };
  }

  /** Class probabilities [N, C]: the softmax of the scores (for an SVM-trained net, a rough confidence only). */
  predictProba(X: Tensor): Tensor {
    return softmax(this.loss(X));
  }

  /** The predicted class of each row of X. */
  predict(X: Tensor): Tensor {
    return predictClasses(this.loss(X));
  }

  train(mode = true): this {
    this.net.train(mode);
    return this;
  }

  toString(): string {
    return `MLP(${this.sizes.join(" -> ")}, ${this.lossKind} loss, reg ${this.reg})`;
  }

  [Symbol.for("Jupyter.display")](): { "text/plain": string } {
    return { "text/plain": `${this}\n${this.net}` };
  }
}

function activation(kind: Activation): Module {
  switch (kind) {
    case "relu": return new ReLU();
    case "tanh": return new Tanh();
    case "sigmoid": return new Sigmoid();
    case "leakyrelu": return new LeakyReLU();
    default: throw new RangeError(`MLP: activation must be "relu", "tanh", "sigmoid" or "leakyrelu", got ${JSON.stringify(kind)}`);
  }
}
