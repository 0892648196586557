/**
 * Forward mode: a Dual carries a value and its tangent (the derivative along one chosen direction).
 * Each operation runs a gate's forward for the value and the same gate's jvp rule for the tangent,
 * so forward and reverse mode share one set of calculus. Values may be numbers or Tensors.
 * The method names match Value's (and Tensor's where they overlap), so one function can be
 * differentiated both ways.
 */
import { Num, describe, isTensor, zerosLike } from "../gates/arith";
import { Gate } from "../gates/gate";
import { AddGate, DivideGate, MaxGate, MinGate, MultiplyGate, PowGate, SubtractGate } from "../gates/binary";
import {
  AbsGate, ClipGate, CosGate, ExpGate, LogGate, NegateGate, ReLUGate, SigmoidGate, SinGate, SqrtGate, SquareGate, TanhGate,
} from "../gates/unary";
import { MatMulGate } from "../gates/matmul";
import { MeanGate, SumGate } from "../gates/reduce";
import { ReshapeGate, TransposeGate } from "../gates/layout";

export type DualLike = Dual | Num;

/**
 * `V` is the kind of the value and its tangent: `Num` by default, `number` for the dual numbers of
 * scalar functions. A `Dual<number>` combined with numbers or other `Dual<number>`s by an elementwise
 * method gives a `Dual<number>` (the overloads with `this: Dual<number>`); anything else gives a `Dual`.
 */
export class Dual<V extends Num = Num> {
  // NoInfer: `new Dual(2)` is a Dual (as before), not a Dual<2>; write `new Dual<number>(2)` for a Dual<number>.
  // zerosLike keeps the value's kind (a number for a number, a Tensor of its shape for a Tensor).
  constructor(readonly value: NoInfer<V>, readonly tangent: NoInfer<V> = zerosLike(value) as V) {
    if (typeof value !== "number" && !isTensor(value)) throw new TypeError(`Dual: value must be a number or a Tensor, got ${describe(value)}`);
  }

  /** A plain number or Tensor becomes a constant (tangent 0). */
  static from(x: DualLike): Dual {
    return x instanceof Dual ? x : new Dual(x);
  }

  private static run(gate: Gate, inputs: Dual[]): Dual {
    const value = gate.forward(...inputs.map((d) => d.value));
    return new Dual(value, gate.jvp(inputs.map((d) => d.tangent)));
  }

  add(this: Dual<number>, other: number | Dual<number>): Dual<number>;
  add(other: DualLike): Dual;
  add(other: DualLike): Dual { return Dual.run(new AddGate(), [this, Dual.from(other)]); }
  sub(this: Dual<number>, other: number | Dual<number>): Dual<number>;
  sub(other: DualLike): Dual;
  sub(other: DualLike): Dual { return Dual.run(new SubtractGate(), [this, Dual.from(other)]); }
  mul(this: Dual<number>, other: number | Dual<number>): Dual<number>;
  mul(other: DualLike): Dual;
  mul(other: DualLike): Dual { return Dual.run(new MultiplyGate(), [this, Dual.from(other)]); }
  div(this: Dual<number>, other: number | Dual<number>): Dual<number>;
  div(other: DualLike): Dual;
  div(other: DualLike): Dual { return Dual.run(new DivideGate(), [this, Dual.from(other)]); }
  pow(this: Dual<number>, exponent: number | Dual<number>): Dual<number>;
  pow(exponent: DualLike): Dual;
  pow(exponent: DualLike): Dual { return Dual.run(new PowGate(), [this, Dual.from(exponent)]); }
  /** Elementwise max (Value's name). */
  max(this: Dual<number>, other: number | Dual<number>): Dual<number>;
  max(other: DualLike): Dual;
  max(other: DualLike): Dual { return Dual.run(new MaxGate(), [this, Dual.from(other)]); }
  /** Elementwise min (Value's name). */
  min(this: Dual<number>, other: number | Dual<number>): Dual<number>;
  min(other: DualLike): Dual;
  min(other: DualLike): Dual { return Dual.run(new MinGate(), [this, Dual.from(other)]); }
  /** Elementwise max (Tensor's name). */
  maximum(this: Dual<number>, other: number | Dual<number>): Dual<number>;
  maximum(other: DualLike): Dual;
  maximum(other: DualLike): Dual { return this.max(other); }
  /** Elementwise min (Tensor's name). */
  minimum(this: Dual<number>, other: number | Dual<number>): Dual<number>;
  minimum(other: DualLike): Dual;
  minimum(other: DualLike): Dual { return this.min(other); }
  neg(this: Dual<number>): Dual<number>;
  neg(): Dual;
  neg(): Dual { return Dual.run(new NegateGate(), [this]); }
  exp(this: Dual<number>): Dual<number>;
  exp(): Dual;
  exp(): Dual { return Dual.run(new ExpGate(), [this]); }
  log(this: Dual<number>): Dual<number>;
  log(): Dual;
  log(): Dual { return Dual.run(new LogGate(), [this]); }
  sin(this: Dual<number>): Dual<number>;
  sin(): Dual;
  sin(): Dual { return Dual.run(new SinGate(), [this]); }
  cos(this: Dual<number>): Dual<number>;
  cos(): Dual;
  cos(): Dual { return Dual.run(new CosGate(), [this]); }
  tanh(this: Dual<number>): Dual<number>;
  tanh(): Dual;
  tanh(): Dual { return Dual.run(new TanhGate(), [this]); }
  sigmoid(this: Dual<number>): Dual<number>;
  sigmoid(): Dual;
  sigmoid(): Dual { return Dual.run(new SigmoidGate(), [this]); }
  relu(this: Dual<number>): Dual<number>;
  relu(): Dual;
  relu(): Dual { return Dual.run(new ReLUGate(), [this]); }
  abs(this: Dual<number>): Dual<number>;
  abs(): Dual;
  abs(): Dual { return Dual.run(new AbsGate(), [this]); }
  sqrt(this: Dual<number>): Dual<number>;
  sqrt(): Dual;
  sqrt(): Dual { return Dual.run(new SqrtGate(), [this]); }
  square(this: Dual<number>): Dual<number>;
  square(): Dual;
  square(): Dual { return Dual.run(new SquareGate(), [this]); }
  clip(this: Dual<number>, lo: number, hi: number): Dual<number>;
  clip(lo: number, hi: number): Dual;
  clip(lo: number, hi: number): Dual { return Dual.run(new ClipGate(lo, hi), [this]); }
  matmul(other: DualLike): Dual { return Dual.run(new MatMulGate(), [this, Dual.from(other)]); }
  sum(axis?: number | number[] | null, keepdims = false): Dual { return Dual.run(new SumGate({ axis, keepdims }), [this]); }
  mean(axis?: number | number[] | null, keepdims = false): Dual { return Dual.run(new MeanGate({ axis, keepdims }), [this]); }
  reshape(...shape: number[] | [number[]]): Dual {
    return Dual.run(new ReshapeGate((Array.isArray(shape[0]) ? shape[0] : shape) as number[]), [this]);
  }
  transpose(...axes: number[] | [number[]]): Dual {
    const perm = (Array.isArray(axes[0]) ? axes[0] : axes) as number[];
    return Dual.run(new TransposeGate(perm.length ? perm : undefined), [this]);
  }
  get T(): Dual { return this.transpose(); }

  toString(): string {
    const show = (x: Num) => (typeof x === "number" ? String(x) : x.toString());
    return `Dual(value=${show(this.value)}, tangent=${show(this.tangent)})`;
  }
}
