/**
 * Reductions over axes (NumPy's `axis`/`keepdims`): Sum, Mean, and the routing reductions
 * MaxReduce/MinReduce. Backward spreads the upstream gradient back over the reduced axes.
 */
import * as ops from "../tensor/ops";
import { formatShape, normalizeAxes } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { Num, div, eqMask, mul } from "./arith";
import { Gate } from "./gate";

export interface ReduceOptions {
  /** Axis or axes to reduce (negative counts from the end); omitted = all of them. */
  axis?: number | number[] | null;
  /** Keep reduced axes as size 1 (so the result broadcasts against the input). */
  keepdims?: boolean;
}

abstract class ReduceGate extends Gate {
  readonly inputNames = ["x"];
  readonly axis: number | number[] | null;
  readonly keepdims: boolean;

  constructor(opts: ReduceOptions = {}) {
    super();
    this.axis = opts.axis ?? null;
    this.keepdims = opts.keepdims ?? false;
  }

  get label(): string {
    return this.axis === null ? this.symbol : `${this.symbol}(axis=${JSON.stringify(this.axis)})`;
  }

  protected abstract reduce(x: Tensor, keepdims: boolean): Tensor;

  protected compute(inputs: Num[]): Num {
    const x = this.requireTensor(inputs[0], 0);
    try {
      normalizeAxes(this.axis, x.ndim);
    } catch (e) {
      this.fail(`${(e as Error).message} (input x has shape ${formatShape(x.shape)})`);
    }
    return this.reduce(x, this.keepdims);
  }

  /** The reduced shape with the reduced axes kept as 1, so results broadcast back over x. */
  protected keptShape(x: Tensor): number[] {
    const axes = normalizeAxes(this.axis, x.ndim);
    return x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  }

  /** Upstream gradient reshaped to keepdims form and spread over x's shape. */
  protected spread(dout: Num, x: Tensor): Tensor {
    return ops.broadcastTo(ops.reshape(dout as Tensor, this.keptShape(x)), x.shape);
  }

  /** Elements in each reduced group. */
  protected count(x: Tensor): number {
    return normalizeAxes(this.axis, x.ndim).reduce((n, a) => n * x.shape[a], 1);
  }
}

export class SumGate extends ReduceGate {
  readonly name = "SumGate";
  readonly symbol = "sum";
  protected reduce(x: Tensor, keepdims: boolean) { return ops.sum(x, this.axis, keepdims); }
  protected gradients(dout: Num, [x]: Num[]) { return [this.spread(dout, x as Tensor)]; }
  protected tangent([t]: Num[]) { return ops.sum(t as Tensor, this.axis, this.keepdims); }
}

export class MeanGate extends ReduceGate {
  readonly name = "MeanGate";
  readonly symbol = "mean";
  protected reduce(x: Tensor, keepdims: boolean) { return ops.mean(x, this.axis, keepdims); }
  protected gradients(dout: Num, [x]: Num[]) {
    return [div(this.spread(dout, x as Tensor), this.count(x as Tensor))];
  }
  protected tangent([t]: Num[]) { return ops.mean(t as Tensor, this.axis, this.keepdims); }
}

/**
 * Max/min over axes route the gradient to the winning element, like the max gate. When several
 * elements tie for the winner they share the gradient equally (a valid subgradient; PyTorch's amax does the same).
 */
abstract class RoutingReduceGate extends ReduceGate {
  /** Weights that say how much of each group's gradient each element receives (0, 1, or 1/ties). */
  private routes(x: Tensor, out: Tensor): Tensor {
    const winners = eqMask(x, ops.reshape(out, this.keptShape(x)));
    return div(winners, ops.sum(winners, this.axis, true));
  }
  protected gradients(dout: Num, [x]: Num[], out: Num) {
    return [mul(this.spread(dout, x as Tensor), this.routes(x as Tensor, out as Tensor))];
  }
  protected tangent([t]: Num[], [x]: Num[], out: Num) {
    return ops.sum(mul(t, this.routes(x as Tensor, out as Tensor)), this.axis, this.keepdims);
  }
}

export class MaxReduceGate extends RoutingReduceGate {
  readonly name = "MaxReduceGate";
  readonly symbol = "max";
  protected reduce(x: Tensor, keepdims: boolean) { return ops.max(x, this.axis, keepdims); }
}

export class MinReduceGate extends RoutingReduceGate {
  readonly name = "MinReduceGate";
  readonly symbol = "min";
  protected reduce(x: Tensor, keepdims: boolean) { return ops.min(x, this.axis, keepdims); }
}
