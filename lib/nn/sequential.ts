import { Tensor } from "../tensor";
import { Module, noCache } from "./module";

/** Layers applied in order; backward runs them in reverse, passing each one's input gradient back. */
export class Sequential extends Module {
  readonly layers: Module[];
  /** Set while forward runs: a layer that threw leaves the layers after it with an older cache. */
  private forwardThrew = false;

  constructor(...layers: Module[]) {
    super();
    layers.forEach((l, i) => {
      if (!(l instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a layer (a Module), got ${l === null ? "null" : typeof l}`);
    });
    this.layers = layers;
  }

  forward(x: Tensor): Tensor {
    this.forwardThrew = true;
    const out = this.layers.reduce((h, layer) => layer.forward(h), x);
    this.forwardThrew = false;
    return out;
  }

  backward(dout: Tensor): Tensor {
    // Checked first: the later layers would otherwise add gradients from their older caches.
    if (this.forwardThrew) throw noCache("Sequential");
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
