/**
 * Shared shape of the elementwise gates. Each states its local partial derivatives once; backward
 * (dout times local, summed back over broadcast axes) and jvp (tangent times local, added up) follow.
 */
import { broadcastShapes } from "../tensor/broadcast";
import { formatShape, sameShape } from "../tensor/shape";
import type { Tensor } from "../tensor/tensor";
import { Num, add, isTensor, mul, reduceLike, zerosLike } from "./arith";
import { Gate } from "./gate";

/** True when a tangent is exactly zero (then its term is skipped, so 0 * NaN never poisons a jvp). */
function isZero(t: Num): boolean {
  return typeof t === "number" ? t === 0 : t.data.every((v) => v === 0);
}

/** Sums tangent terms; the result always has the output's shape. */
function sumTerms(terms: Num[], output: Num): Num {
  let acc: Num | null = null;
  for (const t of terms) acc = acc === null ? t : add(acc, t);
  if (acc === null) return zerosLike(output);
  if (isTensor(output) && !(isTensor(acc) && sameShape(acc.shape, output.shape))) return add(zerosLike(output), acc);
  return acc;
}

/*
 * The elementwise gates' forward overloads: a number in gives a number out, a Tensor gives a Tensor,
 * and a number broadcast against a Tensor gives a Tensor. `Extract<V, ...>` drops the overloads a
 * gate typed for numbers only (V = number) or Tensors only (V = Tensor) cannot take. They are declared
 * on interfaces that merge into the classes (types only: forward stays Gate's own method). The casts
 * to V in the hooks below rest on the same rule: the output (and each gradient) has its inputs' kind.
 */

export interface UnaryGate<V extends Num = Num> {
  forward(x: Extract<V, number>): number;
  forward(x: Extract<V, Tensor>): Tensor;
  forward(x: V): V;
}

export abstract class UnaryGate<V extends Num = Num> extends Gate<V> {
  readonly inputNames = ["x"] as const;
  protected abstract apply(x: Num): Num;
  /** d out / d x, elementwise, given the input and the output. */
  protected abstract local(x: Num, out: Num): Num;

  protected compute([x]: V[]): V {
    return this.apply(x) as V;
  }
  protected gradients(dout: V, [x]: V[], out: V): V[] {
    return [mul(dout, this.local(x, out)) as V];
  }
  protected tangent([t]: V[], [x]: V[], out: V): V {
    return (isZero(t) ? zerosLike(out) : mul(t, this.local(x, out))) as V;
  }
}

export interface BinaryGate<V extends Num = Num> {
  forward(x: Extract<V, number>, y: Extract<V, number>): number;
  forward(x: Extract<V, Tensor>, y: V): Tensor;
  forward(x: V, y: Extract<V, Tensor>): Tensor;
  forward(x: V, y: V): V;
}

export abstract class BinaryGate<V extends Num = Num> extends Gate<V> {
  readonly inputNames: readonly string[] = ["x", "y"];
  protected abstract apply(x: Num, y: Num): Num;
  /** [d out / d x, d out / d y], elementwise (broadcast against each other), given inputs and output. */
  protected abstract partials(x: Num, y: Num, out: Num): [Num, Num];

  protected compute([x, y]: V[]): V {
    if (isTensor(x) && isTensor(y)) {
      try {
        broadcastShapes(x.shape, y.shape);
      } catch {
        this.fail(
          `cannot combine ${this.inputName(0)} of shape ${formatShape(x.shape)} with ${this.inputName(1)} of shape ` +
            `${formatShape(y.shape)}: they do not broadcast (trailing dimensions must be equal or 1)`,
        );
      }
    }
    return this.apply(x, y) as V;
  }
  protected gradients(dout: V, [x, y]: V[], out: V): V[] {
    const [dx, dy] = this.partials(x, y, out);
    return [reduceLike(mul(dout, dx), x) as V, reduceLike(mul(dout, dy), y) as V];
  }
  protected tangent([tx, ty]: V[], [x, y]: V[], out: V): V {
    const [dx, dy] = this.partials(x, y, out);
    const terms: Num[] = [];
    if (!isZero(tx)) terms.push(mul(tx, dx));
    if (!isZero(ty)) terms.push(mul(ty, dy));
    return sumTerms(terms, out) as V;
  }
}

