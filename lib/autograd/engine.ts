/**
 * Reverse-mode autodiff for Tensors (define-by-run, like PyTorch). Each differentiable method on a
 * tensor that requires a gradient runs through a fresh gate; the result remembers that gate and its
 * inputs, so loops and `if` branches simply build whatever graph the run took. backward() walks that
 * graph in reverse topological order and adds each leaf's gradient into its `.grad`.
 */
import { noGrad, type AutogradHook, type DifferentiableOp } from "../tensor/autograd-hook";
import { formatShape, sameShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { Num, add, describe, isTensor } from "../gates/arith";
import type { Gate } from "../gates/gate";
import { MatMulGate } from "../gates/matmul";
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

/** Tensors that `output` depends on (through tracked operations), inputs before the tensors they feed. */
export function topologicalOrder(output: Tensor): Tensor[] {
  // Iterative depth-first search (a long unrolled loop would overflow a recursive one): a stack of
  // tensors with, for each, the index of the next input to visit; a tensor is emitted after its inputs.
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([output]);
  const stack: Tensor[] = [output];
  const next: number[] = [0];
  while (stack.length) {
    const top = stack.length - 1;
    const t = stack[top];
    const inputs = creators.get(t)?.inputs ?? [];
    const i = next[top];
    if (i < inputs.length) {
      next[top] = i + 1;
      const x = inputs[i];
      if (isTensor(x) && x.requiresGrad && !seen.has(x)) {
        seen.add(x);
        stack.push(x);
        next.push(0);
      }
    } else {
      stack.pop();
      next.pop();
      order.push(t);
    }
  }
  return order;
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
  noGrad(() => {
    const grads = new Map<Tensor, Num>([[output, seed]]);
    const order = topologicalOrder(output);
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k];
      const g = grads.get(t);
      if (g === undefined) continue;
      grads.delete(t); // intermediate gradients are not kept (as in PyTorch); frees memory early
      const creator = creators.get(t);
      if (!creator) {
        accumulateLeaf(t, g);
        continue;
      }
      // A matrix product computes only the gradients its inputs need (not dOut·Wᵀ for the data X).
      const inputGrads: (Num | null)[] = creator.gate instanceof MatMulGate
        ? creator.gate.backwardSome(g, creator.inputs.map((x) => isTensor(x) && x.requiresGrad))
        : creator.gate.backward(g);
      creator.inputs.forEach((x, j) => {
        const gx = inputGrads[j];
        if (!isTensor(x) || !x.requiresGrad || gx === null) return;
        const prev = grads.get(x);
        grads.set(x, prev === undefined ? gx : add(prev, gx));
      });
    }
  });
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
