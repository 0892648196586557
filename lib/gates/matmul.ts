/**
 * Matrix product with NumPy's rules (1-D vectors, 2-D matrices, batched stacks). Backward is the
 * lecture's "dimension analysis" result: dA = dOut · Bᵀ and dB = Aᵀ · dOut, with vectors promoted to
 * matrices and batch broadcasting summed back.
 */
import { broadcastShapes } from "../tensor/broadcast";
import { sumToShape } from "../tensor/ops/reduce";
import * as ops from "../tensor/ops";
import { formatShape } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { Num, add } from "./arith";
import { Gate } from "./gate";

/** Swaps the last two axes (no-op below 2-D). */
function swapLast(t: Tensor): Tensor {
  if (t.ndim < 2) return t;
  const axes = Array.from({ length: t.ndim }, (_, i) => i);
  [axes[t.ndim - 2], axes[t.ndim - 1]] = [axes[t.ndim - 1], axes[t.ndim - 2]];
  return ops.transpose(t, axes);
}

export class MatMulGate extends Gate {
  readonly name = "MatMulGate";
  readonly symbol = "@";
  readonly inputNames = ["a", "b"];

  protected compute(inputs: Num[]): Num {
    const a = this.requireTensor(inputs[0], 0), b = this.requireTensor(inputs[1], 1);
    if (a.ndim === 0 || b.ndim === 0) {
      this.fail(`cannot multiply a of shape ${formatShape(a.shape)} by b of shape ${formatShape(b.shape)}: matmul needs at least 1-D operands (use MultiplyGate for scalars)`);
    }
    const ka = a.shape[a.ndim - 1];
    const kb = b.ndim === 1 ? b.shape[0] : b.shape[b.ndim - 2];
    if (ka !== kb) {
      this.fail(`cannot multiply a of shape ${formatShape(a.shape)} by b of shape ${formatShape(b.shape)}: a has ${ka} columns but b has ${kb} rows`);
    }
    try {
      return ops.matmul(a, b);
    } catch (e) {
      this.fail(`cannot multiply a of shape ${formatShape(a.shape)} by b of shape ${formatShape(b.shape)}: ${(e as Error).message}`);
    }
  }

  protected gradients(dout: Num, inputs: Num[]): Num[] {
    const a = inputs[0] as Tensor, b = inputs[1] as Tensor;
    // Promote vectors to matrices so one rule covers every case: a (k) -> (1, k), b (k) -> (k, 1).
    const a2 = a.ndim === 1 ? ops.reshape(a, [1, a.shape[0]]) : a;
    const b2 = b.ndim === 1 ? ops.reshape(b, [b.shape[0], 1]) : b;
    const batch = broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2));
    const outShape2 = [...batch, a2.shape[a2.ndim - 2], b2.shape[b2.ndim - 1]];
    const d2 = ops.reshape(dout as Tensor, outShape2);
    if (a2.ndim === 2 && b2.ndim === 2) {
      // The common case (a layer's weights): the transposes are read in place, not copied.
      return [ops.reshape(ops.matmul2d(d2, b2, false, true), a.shape), ops.reshape(ops.matmul2d(a2, d2, true, false), b.shape)];
    }
    const da = sumToShape(ops.matmul(d2, swapLast(b2)), a2.shape);
    const db = sumToShape(ops.matmul(swapLast(a2), d2), b2.shape);
    return [ops.reshape(da, a.shape), ops.reshape(db, b.shape)];
  }

  /**
   * backward(dout) computing only the gradients asked for (null for the others): autograd asks for
   * none for data such as a batch X, which saves one product the size of the forward (dOut·Wᵀ).
   */
  backwardSome(dout: Num, needed: readonly boolean[]): (Num | null)[] {
    const cache = this.cached;
    const a = cache?.inputs[0], b = cache?.inputs[1];
    if (!(a instanceof Tensor && b instanceof Tensor && a.ndim === 2 && b.ndim === 2 && dout instanceof Tensor && dout.ndim === 2) || (needed[0] && needed[1])) {
      return this.backward(dout);
    }
    return [needed[0] ? ops.matmul2d(dout, b, false, true) : null, needed[1] ? ops.matmul2d(a, dout, true, false) : null];
  }

  protected tangent([ta, tb]: Num[], [a, b]: Num[]): Num {
    return add(ops.matmul(ta as Tensor, b as Tensor), ops.matmul(a as Tensor, tb as Tensor));
  }
}
