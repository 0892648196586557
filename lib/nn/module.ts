import { Tensor } from "../tensor";

/**
 * A layer in the CS231n style: `forward` computes the output and caches what `backward` needs;
 * `backward(dout)` returns the gradient with respect to the input and ADDS the parameter gradients
 * into each parameter's `.grad` (so a layer used twice sums both contributions; call `zeroGrad()`
 * before each step). All arithmetic is raw float64 on the tensors' data: no autograd involved.
 */
export abstract class Module {
  /** Training mode (Dropout drops); `eval()` switches to inference. */
  training = true;

  abstract forward(x: Tensor): Tensor;
  abstract backward(dout: Tensor): Tensor;

  /** The trainable tensors, each with a `.name` and (after backward) a `.grad` of its own shape. */
  parameters(): Tensor[] {
    return [];
  }

  zeroGrad(): void {
    for (const p of this.parameters()) {
      if (p.grad) p.grad.data.fill(0);
      else p.grad = Tensor.zeros(p.shape);
    }
  }

  train(mode = true): this {
    this.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** A one-line description (the notebook shows it too). */
  abstract toString(): string;

  [Symbol.for("Jupyter.display")](): { "text/plain": string } {
    return { "text/plain": this.toString() };
  }
}

/**
 * The clear error for backward without a cached forward pass (instead of NaN or a crash deep inside).
 * Layers drop their cache when forward starts, so a forward that threw leaves none either.
 */
export function noCache(layer: string): Error {
  return new Error(`${layer}.backward called before forward (or the last forward threw an error): run forward(x) first (backward uses what forward cached)`);
}

/** Checks that dout has the shape forward produced. */
export function checkDout(layer: string, dout: Tensor, shape: number[]): void {
  if (!(dout instanceof Tensor)) throw new TypeError(`${layer}.backward: dout must be a Tensor`);
  if (dout.shape.length !== shape.length || dout.shape.some((d, i) => d !== shape[i])) {
    throw new RangeError(`${layer}.backward: dout has shape [${dout.shape.join(", ")}] but forward's output had shape [${shape.join(", ")}]`);
  }
}

/** Adds `delta` into `param.grad`, creating it if needed. */
export function accumulateGrad(param: Tensor, delta: Float64Array): void {
  if (!param.grad) param.grad = Tensor.zeros(param.shape);
  const g = param.grad.data;
  for (let i = 0; i < g.length; i++) g[i] += delta[i];
}
