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

export class Dual {
  constructor(readonly value: Num, readonly tangent: Num = zerosLike(value)) {
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

  add(other: DualLike): Dual { return Dual.run(new AddGate(), [this, Dual.from(other)]); }
  sub(other: DualLike): Dual { return Dual.run(new SubtractGate(), [this, Dual.from(other)]); }
  mul(other: DualLike): Dual { return Dual.run(new MultiplyGate(), [this, Dual.from(other)]); }
  div(other: DualLike): Dual { return Dual.run(new DivideGate(), [this, Dual.from(other)]); }
  pow(exponent: DualLike): Dual { return Dual.run(new PowGate(), [this, Dual.from(exponent)]); }
  /** Elementwise max (Value's name). */
  max(other: DualLike): Dual { return Dual.run(new MaxGate(), [this, Dual.from(other)]); }
  /** Elementwise min (Value's name). */
  min(other: DualLike): Dual { return Dual.run(new MinGate(), [this, Dual.from(other)]); }
  /** Elementwise max (Tensor's name). */
  maximum(other: DualLike): Dual { return this.max(other); }
  /** Elementwise min (Tensor's name). */
  minimum(other: DualLike): Dual { return this.min(other); }
  neg(): Dual { return Dual.run(new NegateGate(), [this]); }
  exp(): Dual { return Dual.run(new ExpGate(), [this]); }
  log(): Dual { return Dual.run(new LogGate(), [this]); }
  sin(): Dual { return Dual.run(new SinGate(), [this]); }
  cos(): Dual { return Dual.run(new CosGate(), [this]); }
  tanh(): Dual { return Dual.run(new TanhGate(), [this]); }
  sigmoid(): Dual { return Dual.run(new SigmoidGate(), [this]); }
  relu(): Dual { return Dual.run(new ReLUGate(), [this]); }
  abs(): Dual { return Dual.run(new AbsGate(), [this]); }
  sqrt(): Dual { return Dual.run(new SqrtGate(), [this]); }
  square(): Dual { return Dual.run(new SquareGate(), [this]); }
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
