/**
 * Gates that move elements around without arithmetic: reshape, transpose, broadcast, slice, take
 * (gather) and concat. Their backward puts each upstream element back where it came from (adding
 * where one input element fed several outputs); their jvp applies the same movement to the tangent.
 */
import { sumToShape } from "../tensor/ops/reduce";
import * as ops from "../tensor/ops";
import type { SliceSpec } from "../tensor/ops/layout";
import { formatShape, normalizeAxis } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { Num, isTensor, reduceLike } from "./arith";
import { Gate } from "./gate";

/** A tensor holding 0, 1, 2, ... in x's shape: pushing it through a movement shows where each element went. */
function positions(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = i;
  return new Tensor(data, shape.slice());
}

/** Gradient for the input of a gather: adds each upstream element into the position it was read from. */
function scatterAdd(input: Tensor, readFrom: Tensor, dout: Tensor): Tensor {
  const grad = Tensor.zeros(input.shape, { dtype: input.dtype });
  for (let k = 0; k < readFrom.data.length; k++) grad.data[readFrom.data[k]] += dout.data[k];
  return grad;
}

abstract class MovementGate extends Gate {
  readonly inputNames = ["x"];
  /** The movement itself, on any tensor shaped like the input. */
  protected abstract move(x: Tensor): Tensor;

  protected compute(inputs: Num[]): Num {
    const x = this.requireTensor(inputs[0], 0);
    try {
      return this.move(x);
    } catch (e) {
      const message = (e as Error).message.replace(/^\w+: /, "");
      const shape = formatShape(x.shape);
      this.fail(message.includes(shape) ? message : `${message} (input x has shape ${shape})`);
    }
  }
  protected tangent([t]: Num[]): Num {
    return this.move(t as Tensor);
  }
  protected gradients(dout: Num, [x]: Num[]): Num[] {
    const input = x as Tensor;
    return [scatterAdd(input, this.move(positions(input.shape)), dout as Tensor)];
  }
}

export class ReshapeGate extends MovementGate {
  readonly name = "ReshapeGate";
  readonly symbol = "reshape";
  constructor(readonly shape: number[]) {
    super();
    if (!Array.isArray(shape)) throw new TypeError(`ReshapeGate: shape must be an array of numbers, got ${typeof shape}`);
  }
  get label() { return `reshape${formatShape(this.shape)}`; }
  protected move(x: Tensor) { return ops.reshape(x, this.shape); }
  // Cheaper than scatter: reshaping back is exact.
  protected gradients(dout: Num, [x]: Num[]) { return [ops.reshape(dout as Tensor, (x as Tensor).shape)]; }
}

export class TransposeGate extends MovementGate {
  readonly name = "TransposeGate";
  readonly symbol = "T";
  /** Axis permutation; omitted = reverse all axes (the matrix transpose for 2-D). */
  constructor(readonly axes?: number[]) {
    super();
  }
  get label() { return this.axes && this.axes.length ? `transpose(${this.axes.join(", ")})` : "T"; }
  protected move(x: Tensor) { return ops.transpose(x, this.axes); }
  protected gradients(dout: Num, [x]: Num[]) {
    const nd = (x as Tensor).ndim;
    const perm = this.axes && this.axes.length ? this.axes.map((a) => normalizeAxis(a, nd)) : [...Array(nd).keys()].reverse();
    const inverse = new Array<number>(nd);
    perm.forEach((p, i) => (inverse[p] = i));
    return [ops.transpose(dout as Tensor, inverse)];
  }
}

/** Broadcasts x (a tensor or a number) to `shape`; backward sums the copies back. */
export class BroadcastGate extends Gate {
  readonly name = "BroadcastGate";
  readonly symbol = "broadcast";
  readonly inputNames = ["x"];
  constructor(readonly shape: number[]) {
    super();
    if (!Array.isArray(shape)) throw new TypeError(`BroadcastGate: shape must be an array of numbers, got ${typeof shape}`);
  }
  get label() { return `broadcast${formatShape(this.shape)}`; }
  protected compute([x]: Num[]): Num {
    if (!isTensor(x)) return Tensor.full(this.shape, x);
    try {
      return ops.broadcastTo(x, this.shape);
    } catch {
      this.fail(`cannot broadcast x of shape ${formatShape(x.shape)} to ${formatShape(this.shape)} (each trailing dimension must match or be 1)`);
    }
  }
  protected gradients(dout: Num, [x]: Num[]): Num[] {
    return [isTensor(x) ? sumToShape(dout as Tensor, x.shape) : reduceLike(dout, x)];
  }
  protected tangent([t]: Num[]): Num {
    return isTensor(t) ? ops.broadcastTo(t, this.shape) : Tensor.full(this.shape, t);
  }
}

/** Basic slicing: one spec per axis (a number picks and drops the axis, [start, stop, step] ranges, null keeps all). */
export class SliceGate extends MovementGate {
  readonly name = "SliceGate";
  readonly symbol = "slice";
  constructor(readonly specs: SliceSpec[]) {
    super();
  }
  get label() { return `[${this.specs.map((s) => (s === null || s === undefined ? ":" : Array.isArray(s) ? s.map((v) => v ?? "").join(":") : String(s))).join(", ")}]`; }
  protected move(x: Tensor) { return ops.slice(x, this.specs); }
}

/** Gather along an axis (e.g. a mini-batch of rows). Repeated indices add up their gradients. */
export class TakeGate extends MovementGate {
  readonly name = "TakeGate";
  readonly symbol = "take";
  readonly indices: number[];
  constructor(indices: ArrayLike<number> | Tensor, readonly axis = 0) {
    super();
    this.indices = indices instanceof Tensor ? Array.from(indices.data) : Array.from(indices);
  }
  get label() { return `take(axis=${this.axis})`; }
  protected move(x: Tensor) { return ops.take(x, this.indices, this.axis); }
}

/** Joins tensors along an existing axis; backward hands each input its own stretch of the gradient. */
export class ConcatGate extends Gate {
  readonly name = "ConcatGate";
  readonly symbol = "concat";
  readonly inputNames = ["tensor"];
  readonly variadic = true;
  constructor(readonly axis = 0) {
    super();
  }
  get label() { return `concat(axis=${this.axis})`; }
  protected compute(inputs: Num[]): Num {
    const ts = inputs.map((x, i) => this.requireTensor(x, i));
    try {
      return ops.concat(ts, this.axis);
    } catch (e) {
      this.fail((e as Error).message);
    }
  }
  protected gradients(dout: Num, inputs: Num[]): Num[] {
    const d = dout as Tensor;
    const axis = normalizeAxis(this.axis, d.ndim);
    let at = 0;
    return inputs.map((x) => {
      const len = (x as Tensor).shape[axis];
      const specs: SliceSpec[] = d.shape.map((_, i) => (i === axis ? [at, at + len] : null));
      at += len;
      return ops.slice(d, specs);
    });
  }
  protected tangent(tangents: Num[]): Num {
    return ops.concat(tangents as Tensor[], this.axis);
  }
}
