/** Gradient checks for CS231n-style layers: analytic backward against centred differences in float64. */
import { numericGradient, relError, Random, Tensor, nn } from "gradlab";

/** Σ out·dout: a scalar whose gradient with respect to out is dout (so backward(dout) is its gradient). */
export function weighted(out: Tensor, dout: Tensor): number {
  let s = 0;
  for (let i = 0; i < out.size; i++) s += out.data[i] * dout.data[i];
  return s;
}

/** Numeric gradient of f with respect to a parameter tensor (numericGradient perturbs it in place and restores it). */
export function numericParamGrad(param: Tensor, f: () => number): Tensor {
  return numericGradient(() => f(), param) as Tensor;
}

/** Largest relative errors of dx and of every parameter gradient of a layer at input x. */
export function layerErrors(layer: nn.Module, x: Tensor, seed = 1): Record<string, number> {
  const out = layer.forward(x);
  const dout = Tensor.randn(out.shape, new Random(seed));
  layer.zeroGrad();
  const dx = layer.backward(dout);
  const errors: Record<string, number> = {
    x: relError(dx, numericGradient((xp: Tensor) => weighted(layer.forward(xp), dout), x) as Tensor),
  };
  for (const [i, p] of layer.parameters().entries()) {
    errors[`${i}:${p.name ?? "param"}`] = relError(p.grad!, numericParamGrad(p, () => weighted(layer.forward(x), dout)));
  }
  return errors;
}

/** Random inputs whose entries stay at least `gap` away from 0 (the kink of ReLU-like functions). */
export function awayFromZero(shape: number[], seed: number, gap = 0.05): Tensor {
  return Tensor.randn(shape, new Random(seed)).map((v) => (v >= 0 ? v + gap : v - gap));
}
