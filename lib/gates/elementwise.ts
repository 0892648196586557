/**
 * Shared shape of the elementwise gates. Each states its local partial derivatives once; backward
 * (dout times local, summed back over broadcast axes) and jvp (tangent times local, added up) follow.
 */
import { broadcastShapes } from "../tensor/broadcast";
import { formatShape, sameShape } from "../tensor/shape";
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

export abstract class UnaryGate extends Gate {
  readonly inputNames = ["x"] as const;
  protected abstract apply(x: Num): Num;
  /** d out / d x, elementwise, given the input and the output. */
  protected abstract local(x: Num, out: Num): Num;

  protected compute([x]: Num[]): Num {
    return this.apply(x);
  }
  protected gradients(dout: Num, [x]: Num[], out: Num): Num[] {
    return [mul(dout, this.local(x, out))];
  }
  protected tangent([t]: Num[], [x]: Num[], out: Num): Num {
    return isZero(t) ? zerosLike(out) : mul(t, this.local(x, out));
  }
}

export abstract class BinaryGate extends Gate {
  readonly inputNames: readonly string[] = ["x", "y"];
  protected abstract apply(x: Num, y: Num): Num;
  /** [d out / d x, d out / d y], elementwise (broadcast against each other), given inputs and output. */
  protected abstract partials(x: Num, y: Num, out: Num): [Num, Num];

  protected compute([x, y]: Num[]): Num {
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
    return this.apply(x, y);
  }
  protected gradients(dout: Num, [x, y]: Num[], out: Num): Num[] {
    const [dx, dy] = this.partials(x, y, out);
    return [reduceLike(mul(dout, dx), x), reduceLike(mul(dout, dy), y)];
  }
  protected tangent([tx, ty]: Num[], [x, y]: Num[], out: Num): Num {
    const [dx, dy] = this.partials(x, y, out);
    const terms: Num[] = [];
    if (!isZero(tx)) terms.push(mul(tx, dx));
    if (!isZero(ty)) terms.push(mul(ty, dy));
    return sumTerms(terms, out);
  }
}

