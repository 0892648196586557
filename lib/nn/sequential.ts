import { Tensor } from "../tensor";
import { Module } from "./module";

/** Layers applied in order; backward runs them in reverse, passing each one's input gradient back. */
export class Sequential extends Module {
  readonly layers: Module[];

  constructor(...layers: Module[]) {
    super();
    layers.forEach((l, i) => {
      if (!(l instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a layer (a Module), got ${l === null ? "null" : typeof l}`);
    });
    this.layers = layers;
  }

  forward(x: Tensor): Tensor {
    return this.layers.reduce((h, layer) => layer.forward(h), x);
  }

  backward(dout: Tensor): Tensor {
    return this.layers.reduceRight((d, layer) => layer.backward(d), dout);
  }

  parameters(): Tensor[] {
    return this.layers.flatMap((l) => l.parameters());
  }

  train(mode = true): this {
    this.training = mode;
    for (const l of this.layers) l.train(mode);
    return this;
  }

  toString(): string {
    return `Sequential(\n${this.layers.map((l, i) => `  (${i}) ${l}`).join("\n")}\n)`;
  }
}
