/**
 * Why a gradient is wrong, in words a student can act on: recognises the usual mistakes from the
 * pattern of the student's gradient against the expected one (swapped inputs, a flipped sign, a factor
 * of 2, no reduction over broadcast axes, a transpose, a max that routes to both inputs, overflow).
 * The same spirit as gradlab's `checkGate` hints, but against the reference rather than numerics.
 */
import { sizeOf } from "../../lib/tensor/shape";
import { numeric, Numeric } from "./values";

function near(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k], y = b[k];
    if (!(Math.abs(x - y) <= 1e-6 * (Math.abs(x) + Math.abs(y)) + 1e-9)) return false;
  }
  return true;
}

const map = (a: ArrayLike<number>, f: (v: number, k: number) => number) => Array.from(a, f);
const sameShape = (a: number[], b: number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

function transposed2d(n: Numeric): number[] | null {
  if (n.shape.length !== 2) return null;
  const [r, c] = n.shape;
  const out = new Array<number>(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = n.data[i * c + j];
  return out;
}

/** Could `small` be `big` summed over broadcast axes (NumPy's rules, aligned from the right)? */
function isBroadcastOf(small: number[], big: number[]): boolean {
  if (small.length > big.length || sizeOf(small) >= sizeOf(big)) return false;
  const offset = big.length - small.length;
  return small.every((d, i) => d === 1 || d === big[i + offset]);
}

export interface HintContext {
  /** Gate or layer name ("MaxGate"), used for gate-specific advice. */
  gate?: string;
  /** Names of the inputs, in order ("x", "y"). */
  inputs: string[];
  /** The upstream gradient that was passed to backward, when known. */
  upstream?: unknown;
}

/** A hint for input `i`'s gradient `got[i]` against `expected[i]`, or undefined when nothing fits. */
export function gradientHint(i: number, got: unknown[], expected: unknown[], ctx: HintContext): string | undefined {
  const g = numeric(got[i]), e = numeric(expected[i]);
  if (!g || !e) return undefined;
  const name = ctx.inputs[i] ?? `input ${i}`;
  if (!sameShape(g.shape, e.shape)) {
    if (isBroadcastOf(e.shape, g.shape)) {
      return `${name} was broadcast in forward, so its gradient must be summed over the broadcast axes back to ${name}'s own shape [${e.shape.join(", ")}] (gradlab's sumToShape does this).`;
    }
    if (g.shape.length === 2 && e.shape.length === 2 && g.shape[0] === e.shape[1] && g.shape[1] === e.shape[0]) {
      return `the gradient is transposed: a gradient always has the shape of its input (${name} is [${e.shape.join(", ")}]). Check which factor of the product needs the transpose.`;
    }
    return `a gradient always has the shape of its input (${name} is [${e.shape.join(", ")}]).`;
  }
  if (Array.from(g.data).some(Number.isNaN) && !Array.from(e.data).some(Number.isNaN)) {
    return "the gradient contains NaN: an overflow (exp of a large number: use the numerically stable form) or 0/0?";
  }
  if (Array.from(g.data).some((v) => !Number.isFinite(v)) && Array.from(e.data).every(Number.isFinite)) {
    return "the gradient contains Infinity: an overflow? Use the numerically stable form (shift by the max, or σ(x) = 1/(1+e^{-x}) only for x ≥ 0).";
  }
  if (Array.from(g.data).every((v) => v === 0)) {
    return "the gradient is zero everywhere although the output depends on this input: is it multiplied by the upstream gradient, and did forward cache what backward reads?";
  }
  if (near(g.data, map(e.data, (v) => -v))) return "the sign is flipped: the gradient is the negative of the expected one.";
  if (near(g.data, map(e.data, (v) => 2 * v))) return "off by a factor of 2: the gradient is twice the expected one.";
  if (near(g.data, map(e.data, (v) => v / 2))) return "off by a factor of 2: the gradient is half the expected one.";
  if (/max/i.test(ctx.gate ?? "")) {
    const up = numeric(ctx.upstream);
    const routedToLoser = Array.from(e.data).some((v, k) => v === 0 && g.data[k] !== 0);
    if (routedToLoser && up) {
      return "the max routes the upstream gradient only to the input that won (the larger one); the other input gets 0.";
    }
  }
  for (let j = 0; j < expected.length; j++) {
    const other = numeric(expected[j]);
    if (j !== i && other && sameShape(other.shape, g.shape) && near(g.data, other.data)) {
      const why = /mul/i.test(ctx.gate ?? "") ? " (d(xy)/dx = y: the multiply gate switches its inputs)" : "";
      return `this is the gradient that belongs to ${ctx.inputs[j] ?? `input ${j}`}: did the gate swap its inputs?${why}`;
    }
  }
  const t = transposed2d(e);
  if (t && g.shape[0] === g.shape[1] && near(g.data, t)) return "the gradient is transposed: check which factor of the product needs the transpose.";
  const up = numeric(ctx.upstream);
  if (up && sameShape(up.shape, e.shape) && near(map(g.data, (v, k) => v * up.data[k]), e.data)) {
    return "the upstream gradient is missing: multiply the local gradient by dout (chain rule).";
  }
  return undefined;
}
