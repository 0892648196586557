/**
 * How Tensor methods reach reverse-mode autodiff without importing it: lib/autograd registers a hook.
 * The numeric core stays free of gradient bookkeeping, and a method on a tensor that requires a
 * gradient is routed through the gates (which call the raw kernels in ops.ts).
 */
import type { Tensor } from "./tensor";

export type DifferentiableOp =
  | "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum"
  | "neg" | "exp" | "log" | "sin" | "cos" | "tanh" | "sigmoid" | "relu" | "abs" | "sqrt" | "square" | "clip"
  | "matmul" | "sum" | "mean" | "max" | "min"
  | "reshape" | "transpose" | "broadcastTo" | "slice" | "take" | "concat";

export interface AutogradHook {
  apply(op: DifferentiableOp, inputs: (Tensor | number)[], attrs: Record<string, unknown>): Tensor;
  backward(output: Tensor, grad?: Tensor | number): void;
}

let hook: AutogradHook | null = null;
let gradEnabled = true;

export function setAutogradHook(h: AutogradHook | null): void {
  hook = h;
}

export function getAutogradHook(): AutogradHook | null {
  return hook;
}

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs fn without recording operations (evaluation, optimiser updates). */
export function noGrad<T>(fn: () => T): T {
  const before = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = before;
  }
}
