/**
 * Tensor's computing methods (layout, reductions, comparisons, matmul, concat). Each runs a raw kernel
 * from ops/, or, when an input requires a gradient, records it through autograd (differentiable).
 * They are installed on Tensor from here rather than written in tensor.ts so that the kernels can
 * import the Tensor class while tensor.ts imports no kernel: no import circle. The elementwise
 * methods of the op table (add, exp, ...) are installed by lib/gates/table.ts in the same way.
 */
import { differentiable } from "./autograd-hook";
import * as ops from "./ops";
import { Tensor, type Operand } from "./tensor";

type Axis = number | number[] | undefined;

/** Puts a method on a class's prototype as a method written in the class would be (writable, not enumerable). */
export function defineMethod(prototype: object, name: string, method: Function): void {
  Object.defineProperty(prototype, name, { value: method, writable: true, configurable: true });
}

/** The methods, written as a class so that they read like one; their bodies run with `this` a Tensor. */
abstract class Computing {
  // ---------------------------------------------------------------- layout

  reshape(this: Tensor, ...shape: number[] | [number[]]): Tensor {
    const target = (Array.isArray(shape[0]) ? shape[0] : shape) as number[];
    return differentiable("reshape", [this], { shape: target }, () => ops.reshape(this, target));
  }

  flatten(this: Tensor): Tensor {
    return this.reshape(-1);
  }

  transpose(this: Tensor, ...axes: number[] | [number[]]): Tensor {
    const perm = (Array.isArray(axes[0]) ? axes[0] : axes) as number[];
    return differentiable("transpose", [this], { axes: perm }, () => ops.transpose(this, perm));
  }

  get T(): Tensor {
    return (this as unknown as Tensor).transpose();
  }

  squeeze(this: Tensor, axis?: number): Tensor {
    const shape = ops.squeeze(this, axis).shape;
    return this.reshape(shape);
  }

  unsqueeze(this: Tensor, axis: number): Tensor {
    return this.reshape(ops.unsqueeze(this, axis).shape);
  }

  broadcastTo(this: Tensor, shape: number[]): Tensor {
    return differentiable("broadcastTo", [this], { shape }, () => ops.broadcastTo(this, shape));
  }

  /** t.slice(0, [1, 3], null): a number picks (and drops the axis), [start, stop, step] ranges, null keeps all. */
  slice(this: Tensor, ...specs: ops.SliceSpec[]): Tensor {
    return differentiable("slice", [this], { specs }, () => ops.slice(this, specs));
  }

  /** Gathers along an axis, e.g. the rows of a mini-batch: X.take(batch). */
  take(this: Tensor, indices: ArrayLike<number> | Tensor, axis = 0): Tensor {
    const idx = indices instanceof Tensor ? Array.from(indices.data) : Array.from(indices);
    return differentiable("take", [this], { indices: idx, axis }, () => ops.take(this, idx, axis));
  }

  // ---------------------------------------------------------------- elementwise

  clip(this: Tensor, lo: number, hi: number): Tensor { return differentiable("clip", [this], { lo, hi }, () => ops.clip(this, lo, hi)); }

  /** Elementwise sign (-1, 0, 1); not differentiable. */
  sign(this: Tensor): Tensor { return ops.sign(this); }

  // Comparisons give 0/1 tensors and are never tracked.
  eq(this: Tensor, other: Operand): Tensor { return ops.eq(this, other); }
  ne(this: Tensor, other: Operand): Tensor { return ops.ne(this, other); }
  lt(this: Tensor, other: Operand): Tensor { return ops.lt(this, other); }
  le(this: Tensor, other: Operand): Tensor { return ops.le(this, other); }
  gt(this: Tensor, other: Operand): Tensor { return ops.gt(this, other); }
  ge(this: Tensor, other: Operand): Tensor { return ops.ge(this, other); }

  // ---------------------------------------------------------------- reductions

  sum(this: Tensor, axis?: Axis, keepdims = false): Tensor { return differentiable("sum", [this], { axis, keepdims }, () => ops.sum(this, axis, keepdims)); }
  mean(this: Tensor, axis?: Axis, keepdims = false): Tensor { return differentiable("mean", [this], { axis, keepdims }, () => ops.mean(this, axis, keepdims)); }
  max(this: Tensor, axis?: Axis, keepdims = false): Tensor { return differentiable("max", [this], { axis, keepdims }, () => ops.max(this, axis, keepdims)); }
  min(this: Tensor, axis?: Axis, keepdims = false): Tensor { return differentiable("min", [this], { axis, keepdims }, () => ops.min(this, axis, keepdims)); }
  /** Variance (ddof 0 like NumPy); not differentiable (compose mean and square for that). */
  var(this: Tensor, axis?: Axis, keepdims = false, ddof = 0): Tensor { return ops.variance(this, axis, keepdims, ddof); }
  std(this: Tensor, axis?: Axis, keepdims = false, ddof = 0): Tensor { return ops.std(this, axis, keepdims, ddof); }
  argmax(this: Tensor, axis?: number): Tensor { return ops.argmax(this, axis); }
  argmin(this: Tensor, axis?: number): Tensor { return ops.argmin(this, axis); }

  // ---------------------------------------------------------------- linear algebra

  matmul(this: Tensor, other: Tensor): Tensor { return differentiable("matmul", [this, other], {}, () => ops.matmul(this, other)); }
  /** NumPy's dot for 1-D and 2-D operands (the same as matmul there). */
  dot(this: Tensor, other: Tensor): Tensor { return this.matmul(other); }
}

/** Concatenates along an existing axis. */
function concat(ts: Tensor[], axis = 0): Tensor {
  return differentiable("concat", ts, { axis }, () => ops.concat(ts, axis));
}

/** Joins along a new axis. */
function stack(ts: Tensor[], axis = 0): Tensor {
  return concat(ts.map((t) => t.unsqueeze(axis)), axis);
}

declare module "./tensor" {
  interface Tensor extends Computing {}
  namespace Tensor {
    /** Concatenates along an existing axis. */
    function concat(ts: Tensor[], axis?: number): Tensor;
    /** Joins along a new axis. */
    function stack(ts: Tensor[], axis?: number): Tensor;
  }
}

for (const name of Object.getOwnPropertyNames(Computing.prototype)) {
  if (name !== "constructor") Object.defineProperty(Tensor.prototype, name, Object.getOwnPropertyDescriptor(Computing.prototype, name)!);
}
Object.assign(Tensor, { concat, stack });
