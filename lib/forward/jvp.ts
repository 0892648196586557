/**
 * jvp(f, x, v): the value of f at x and its directional derivative along v, in one forward pass of
 * dual numbers (forward mode). grad(f): all partial derivatives in one backward pass (reverse mode).
 * Reverse mode wins when there are many inputs and one output (training); forward mode when there
 * are few inputs (a directional derivative costs one pass whatever the number of outputs).
 */
import "../autograd";
import { Num, describe, isTensor } from "../gates/arith";
import { formatShape, sameShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { Value } from "../value/value";
import { Dual } from "./dual";

export interface JvpResult<V extends Num = Num> {
  /** f(x). */
  value: V;
  /** The directional derivative of f at x along v. */
  tangent: V;
}

/**
 * f receives one Dual per input (use their methods: add, mul, sin, matmul, ...). x and v are one
 * input and one direction, or arrays of them; v[i] must have x[i]'s shape. With numbers, an f written
 * for `Dual<number>` (returning a `Dual<number>` or a number) gives number results.
 */
export function jvp(f: (...xs: Dual<number>[]) => Dual<number> | number, x: number | number[], v: number | number[]): JvpResult<number>;
export function jvp(f: (...xs: Dual[]) => Dual | Num, x: Num | Num[], v: Num | Num[]): JvpResult;
// f is any function of Duals here: the overloads above say which, and the body checks the inputs.
export function jvp(f: (...xs: any[]) => Dual | Num, x: Num | Num[], v: Num | Num[]): JvpResult {
  const xs = Array.isArray(x) ? x : [x];
  const vs = Array.isArray(v) ? v : [v];
  if (xs.length !== vs.length) throw new RangeError(`jvp: ${xs.length} input(s) but ${vs.length} direction(s); give one direction per input`);
  const duals = xs.map((xi, i) => {
    const vi = vs[i];
    if (typeof xi !== "number" && !isTensor(xi)) throw new TypeError(`jvp: input ${i} must be a number or a Tensor, got ${describe(xi)}`);
    const xShape = isTensor(xi) ? xi.shape : [], vShape = isTensor(vi) ? vi.shape : [];
    if (typeof vi !== "number" && !isTensor(vi)) throw new TypeError(`jvp: direction ${i} must be a number or a Tensor, got ${describe(vi)}`);
    if (!sameShape(xShape, vShape)) {
      throw new RangeError(`jvp: direction ${i} has shape ${formatShape(vShape)} but input ${i} has shape ${formatShape(xShape)}`);
    }
    return new Dual(xi, vi);
  });
  const out = f(...duals);
  if (out instanceof Dual) return { value: out.value, tangent: out.tangent };
  // f ignored its inputs: a constant has derivative 0.
  return { value: out, tangent: isTensor(out) ? Tensor.zerosLike(out) : 0 };
}

/**
 * Reverse mode: grad(f)(...xs) is [∂f/∂x1, ∂f/∂x2, ...]. With numbers, f receives Values; with
 * Tensors, f receives tensors that require gradients (and must return a one-element tensor).
 */
export function grad<X extends Num>(f: (...xs: any[]) => Value | Tensor | number): (...xs: X[]) => X[] {
  return (...xs: X[]) => {
    if (xs.every((x) => typeof x === "number")) {
      const leaves = xs.map((x, i) => new Value(x as number, `x${i + 1}`));
      const out = f(...leaves);
      if (typeof out === "number") return xs.map(() => 0) as X[];
      if (!(out instanceof Value)) throw new TypeError(`grad: with number inputs f must return a Value, got ${describe(out)}`);
      out.backward();
      return leaves.map((l) => l.grad) as X[];
    }
    if (xs.every((x) => isTensor(x))) {
      const leaves = xs.map((x) => (x as Tensor).detach().clone().requireGrad());
      const out = f(...leaves);
      if (typeof out === "number") return leaves.map((l) => Tensor.zerosLike(l)) as X[];
      if (!isTensor(out)) throw new TypeError(`grad: with Tensor inputs f must return a Tensor, got ${describe(out)}`);
      if (out.size !== 1) throw new RangeError(`grad: f must return a scalar, got a Tensor of shape ${formatShape(out.shape)} (reduce it, e.g. .sum())`);
      if (out.requiresGrad) out.backward();
      return leaves.map((l) => l.grad ?? Tensor.zerosLike(l)) as X[];
    }
    throw new TypeError("grad: give either all numbers or all Tensors");
  };
}
