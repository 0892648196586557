/**
 * Forward mode: a Dual carries a value and its tangent (the derivative along one chosen direction).
 * Each operation runs a gate's forward for the value and the same gate's jvp rule for the tangent,
 * so forward and reverse mode share one set of calculus. Values may be numbers or Tensors.
 * The method names match Value's (and Tensor's where they overlap), so one function can be
 * differentiated both ways.
 */
import { Num, describe, isTensor, zerosLike } from "../gates/arith";
import { Gate } from "../gates/gate";
import { ClipGate } from "../gates/clip";
import { defineMethod } from "../tensor/methods";
import {
  BINARY, BINARY_GATES, type BinaryName, type BinaryOp, type TensorMethods, UNARY_GATES, type ValueMethods,
} from "../gates/table";
import { MatMulGate } from "../gates/matmul";
import { MeanGate, SumGate } from "../gates/reduce";
import { ReshapeGate, TransposeGate } from "../gates/layout";

export type DualLike = Dual | Num;

/** The elementwise methods of the op table (installed below, in the class's static block). */
export interface Dual extends TensorMethods<Dual, DualLike>, ValueMethods<Dual, DualLike> {}


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

  // The elementwise methods (add, mul, exp, ...) come from the op table, under Tensor's names and,
  // where Value's differ, under those too (max and maximum, min and minimum).
  static {
    for (const [method, OpGate] of Object.entries(UNARY_GATES)) {
      defineMethod(this.prototype, method, function (this: Dual) { return Dual.run(new OpGate(), [this]); });
    }
    for (const [method, OpGate] of Object.entries(BINARY_GATES)) {
      const f = function (this: Dual, other: DualLike) { return Dual.run(new OpGate(), [this, Dual.from(other)]); };
      defineMethod(this.prototype, method, f);
      const scalarMethod = (BINARY[method as BinaryName] as BinaryOp).scalarMethod;
      if (scalarMethod) defineMethod(this.prototype, scalarMethod, f);
    }
  }

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
