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
  BINARY, BINARY_GATES, type BinaryName, type BinaryOp, type ScalarName, UNARY_GATES, type UnaryName,
} from "../gates/table";
import { MatMulGate } from "../gates/matmul";
import { MeanGate, SumGate } from "../gates/reduce";
import { ReshapeGate, TransposeGate } from "../gates/layout";

export type DualLike = Dual | Num;

/**
 * V itself, but not a place to infer V from (what TypeScript 5.4's NoInfer does; the kernel's
 * TypeScript, tslab's 5.0, has no NoInfer). Resolves to V as soon as V is known.
 */
type NotInferred<V> = [V][V extends unknown ? 0 : never];

/**
 * The elementwise methods of the op table (installed below, in the class's static block). Each has an
 * overload for a `Dual<number>` combined with numbers or `Dual<number>`s, which gives a `Dual<number>`;
 * anything else gives a `Dual`. Built from the table's name unions, like Tensor's (not from its entries).
 */
interface DualUnaryMethod {
  (this: Dual<number>): Dual<number>;
  (): Dual;
}
interface DualBinaryMethod {
  (this: Dual<number>, other: number | Dual<number>): Dual<number>;
  (other: DualLike): Dual;
}
type DualMethods = { [K in UnaryName]: DualUnaryMethod } & { [K in BinaryName | ScalarName<BinaryName>]: DualBinaryMethod };
// V is the class's own parameter (an interface merging into a class declares the same ones).
export interface Dual<V extends Num = Num> extends DualMethods {}

/**
 * `V` is the kind of the value and its tangent: `Num` by default, `number` for the dual numbers of
 * scalar functions. A `Dual<number>` combined with numbers or other `Dual<number>`s by an elementwise
 * method gives a `Dual<number>` (the overloads with `this: Dual<number>`); anything else gives a `Dual`.
 */
export class Dual<V extends Num = Num> {
  // NotInferred: `new Dual(2)` is a Dual (as before), not a Dual<2>; write `new Dual<number>(2)` for a Dual<number>.
  // zerosLike keeps the value's kind (a number for a number, a Tensor of its shape for a Tensor).
  constructor(readonly value: NotInferred<V>, readonly tangent: NotInferred<V> = zerosLike(value) as V) {
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
