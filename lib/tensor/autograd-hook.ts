/**
 * How Tensor methods reach reverse-mode autodiff without importing it: lib/autograd registers a hook.
 * The numeric core stays free of gradient bookkeeping, and a method on a tensor that requires a
 * gradient is routed through the gates (which call the raw kernels in ops.ts).
 */
import type { BinaryName, UnaryName } from "../gates/table";
import type { Operand, Tensor } from "./tensor";

/** The op table's operations (lib/gates/table.ts) and the ones with attributes or shapes of their own. */
export type DifferentiableOp =
  | UnaryName | BinaryName | "clip"
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

/** Runs the raw kernel, or records the operation through autograd when an input needs a gradient. */
export function differentiable(op: DifferentiableOp, inputs: Operand[], attrs: Record<string, unknown>, raw: () => Tensor): Tensor {
  if (hook && gradEnabled && inputs.some((x) => typeof x === "object" && x?.requiresGrad === true)) {
    return hook.apply(op, inputs, attrs);
  }
  return raw();
}
