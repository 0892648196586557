/**
 * Reverse-mode autodiff for Tensors (define-by-run, like PyTorch). Each differentiable method on a
 * tensor that requires a gradient runs through a fresh gate; the result remembers that gate and its
 * inputs, so loops and `if` branches simply build whatever graph the run took. backward() runs the
 * one backward loop (./backprop.ts) over that graph and adds each leaf's gradient into its `.grad`.
 */
import { noGrad, type AutogradHook, type DifferentiableOp } from "../tensor/autograd-hook";
import { formatShape, sameShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { Num, add, describe, isTensor } from "../gates/arith";
import type { Gate } from "../gates/gate";
import { MatMulGate } from "../gates/matmul";
import { type Chain, backpropagate, gradientMap, topologicalOrder as sortTopologically } from "./backprop";
import { gateForOp } from "./gate-for-op";

/** How a non-leaf tensor was made: the gate (holding the forward cache) and its inputs. */
export interface Creator {
  gate: Gate;
  inputs: (Tensor | number)[];
}

const creators = new WeakMap<Tensor, Creator>();

/** The gate and inputs that produced `t`, or undefined for a leaf (or an untracked tensor). */
export function creatorOf(t: Tensor): Creator | undefined {
  return creators.get(t);
}

/** A leaf: a tensor that requires a gradient and was not computed by a tracked operation. */
export function isLeaf(t: Tensor): boolean {
  return !creators.has(t);
}

export function apply(op: DifferentiableOp, inputs: (Tensor | number)[], attrs: Record<string, unknown>): Tensor {
  const gate = gateForOp(op, attrs);
  const raw = gate.forward(...inputs);
  const out = isTensor(raw) ? raw : Tensor.scalar(raw);
  out.requiresGrad = true;
  creators.set(out, { gate, inputs: inputs.slice() });
  return out;
}

/** How autograd's tensors form a graph: a tensor's inputs are those of the gate that made it. */
const tensorGraph: Chain<Tensor, Num> = {
  arity: (t) => creators.get(t)?.inputs.length ?? 0,
  input(t, j) {
    const x = creators.get(t)!.inputs[j];
    return isTensor(x) && x.requiresGrad ? x : null;
  },
  backward(t, g) {
    const { gate, inputs } = creators.get(t)!;
    // A matrix product computes only the gradients its inputs need (not dOut·Wᵀ for the data X).
    if (gate instanceof MatMulGate) return gate.backwardSome(g, inputs.map((x) => isTensor(x) && x.requiresGrad));
    return gate.backward(g);
  },
  reached(t, g) {
    if (!creators.has(t)) accumulateLeaf(t, g);
  },
};

/** Tensors that `output` depends on (through tracked operations), inputs before the tensors they feed. */
export function topologicalOrder(output: Tensor): Tensor[] {
  return sortTopologically([output], tensorGraph);
}

function seedGradient(output: Tensor, grad: Tensor | number | undefined): Tensor {
  if (grad === undefined) {
    if (output.size !== 1) {
      throw new RangeError(
        `backward() on a tensor of shape ${formatShape(output.shape)} needs an upstream gradient of that shape ` +
          `(e.g. t.backward(Tensor.onesLike(t))); only a one-element tensor gets an implicit 1`,
      );
    }
    return Tensor.ones(output.shape, { dtype: output.dtype });
  }
  if (typeof grad === "number") return Tensor.full(output.shape, grad, { dtype: output.dtype });
  if (!isTensor(grad)) throw new TypeError(`backward(grad): grad must be a Tensor or a number, got ${describe(grad)}`);
  if (!sameShape(grad.shape, output.shape)) {
    throw new RangeError(`backward(grad): grad has shape ${formatShape(grad.shape)} but the tensor has shape ${formatShape(output.shape)}`);
  }
  return grad;
}

export function backward(output: Tensor, grad?: Tensor | number): void {
  if (!isTensor(output)) throw new TypeError(`backward: expected a Tensor, got ${describe(output)}`);
  if (!output.requiresGrad) {
    throw new Error("backward(): this tensor does not require a gradient: give at least one input requiresGrad (tensor(..., { requiresGrad: true }) or .requireGrad())");
  }
  const seed = seedGradient(output, grad);
  noGrad(() => backpropagate(topologicalOrder(output), gradientMap(output, seed, add), tensorGraph));
}

/** Adds into leaf.grad (a fresh tensor of the leaf's shape and dtype; never aliasing another buffer). */
function accumulateLeaf(leaf: Tensor, g: Num): void {
  let grad = isTensor(g) ? g : Tensor.full(leaf.shape, g);
  if (!sameShape(grad.shape, leaf.shape)) {
    throw new Error(`autograd: internal error: gradient of shape ${formatShape(grad.shape)} for a leaf of shape ${formatShape(leaf.shape)}`);
  }
  if (leaf.grad && leaf.grad.dtype === grad.dtype) grad = addFresh(leaf.grad, grad);
  else if (leaf.grad) grad = add(leaf.grad, grad) as Tensor;
  else grad = grad.clone();
  leaf.grad = grad.dtype === leaf.dtype ? grad : grad.astype(leaf.dtype);
}

/** a + b of one shape and dtype into a new tensor: one plain loop (a weight's gradient is the largest sum in a step). */
function addFresh(a: Tensor, b: Tensor): Tensor {
  const out = Tensor.empty(a.shape, a.dtype), o = out.data, x = a.data, y = b.data;
  for (let i = 0; i < o.length; i++) o[i] = x[i] + y[i];
  return out;
}

export const tensorAutograd: AutogradHook = { apply, backward };
