/**
 * Comparing a student's answer with the expected one, and describing both in words. Answers arrive as
 * plain numbers, Tensors and arrays (decoded from the sandbox's wire format), so this file only ever
 * sees data, never the student's objects.
 */
import { Tensor } from "../../lib/tensor/tensor";
import { formatShape, sizeOf, unravelIndex } from "../../lib/tensor/shape";

/** Relative error as the course defines it: |a − b| / max(1e-8, |a| + |b|). */
export function relativeError(a: number, b: number): number {
  if (a === b) return 0; // also equal infinities
  return Math.abs(a - b) / Math.max(1e-8, Math.abs(a) + Math.abs(b));
}

export interface Numeric {
  shape: number[];
  data: ArrayLike<number>;
}

/** A number or a Tensor as shape + data; anything else is null. */
export function numeric(v: unknown): Numeric | null {
  if (typeof v === "number") return { shape: [], data: [v] };
  if (v instanceof Tensor) return { shape: v.shape.slice(), data: v.data };
  return null;
}

const num = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(6))) : String(v));

/** A short, readable rendering of a value for feedback (small tensors in full, large ones abridged). */
export function describeValue(v: unknown, limit = 12): string {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "number") return num(v);
  if (typeof v === "string") return JSON.stringify(v.length > 200 ? v.slice(0, 200) + "…" : v);
  if (typeof v === "boolean") return String(v);
  if (v instanceof Tensor) {
    const n = numeric(v)!;
    const shown = Array.from(n.data.length > limit ? Array.from(n.data).slice(0, limit) : n.data, num);
    const body = n.shape.length <= 1 || n.data.length > limit ? `[${shown.join(", ")}${n.data.length > limit ? ", …" : ""}]` : nested(n);
    return `Tensor${formatShape(n.shape)} ${body}`;
  }
  if (Array.isArray(v)) return `[${v.slice(0, limit).map((x) => describeValue(x, 4)).join(", ")}${v.length > limit ? ", …" : ""}]`;
  if (typeof v === "object" && "$handle" in (v as object)) return `an object of class ${(v as { type?: string }).type ?? "?"}`;
  if (typeof v === "object") {
    const keys = Object.keys(v as object);
    return `{ ${keys.slice(0, 6).map((k) => `${k}: ${describeValue((v as Record<string, unknown>)[k], 4)}`).join(", ")}${keys.length > 6 ? ", …" : ""} }`;
  }
  return typeof v;
}

function nested(n: Numeric): string {
  const rec = (dim: number, offset: number): string => {
    if (dim === n.shape.length) return num(n.data[offset]);
    const stride = sizeOf(n.shape.slice(dim + 1));
    const parts: string[] = [];
    for (let i = 0; i < n.shape[dim]; i++) parts.push(rec(dim + 1, offset + i * stride));
    return `[${parts.join(", ")}]`;
  };
  return rec(0, 0);
}

/** What kind of value it is, for "expected a Tensor of shape [3, 4], got a number". */
export function kindOf(v: unknown): string {
  if (v instanceof Tensor) return `a Tensor of shape ${formatShape(v.shape)}`;
  if (typeof v === "number") return "a number";
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "object" && "$handle" in (v as object)) return `an object of class ${(v as { type?: string }).type ?? "?"}`;
  return `a ${typeof v}`;
}

export interface Tolerances {
  rel: number;
  atol: number;
}

export type Comparison =
  | { ok: true; worst: number }
  | { ok: false; reason: string; index?: number[]; got?: number; expected?: number; relError?: number };

/**
 * Compares two numeric values elementwise. A scalar Tensor (shape []) counts as a number; a NaN where a
 * number is expected is always wrong; differences within `atol` pass (rounding noise around 0).
 */
export function compareNumeric(got: unknown, expected: unknown, tol: Tolerances): Comparison {
  const g = numeric(got), e = numeric(expected);
  if (!e) throw new Error(`grader: compareNumeric needs a number or Tensor as the expected value, got ${kindOf(expected)}`);
  if (!g) return { ok: false, reason: `expected ${kindOf(expected)}, got ${kindOf(got)}` };
  if (g.shape.length !== e.shape.length || g.shape.some((d, i) => d !== e.shape[i])) {
    if (!(sizeOf(g.shape) === 1 && sizeOf(e.shape) === 1 && (g.shape.length === 0 || e.shape.length === 0))) {
      return { ok: false, reason: `expected ${kindOf(expected)}, got ${kindOf(got)}` };
    }
  }
  let worst = 0, worstK = -1;
  for (let k = 0; k < e.data.length; k++) {
    const a = g.data[k], b = e.data[k];
    const bad = Number.isNaN(a) !== Number.isNaN(b) || (!Number.isNaN(a) && relativeError(a, b) > tol.rel && Math.abs(a - b) > tol.atol);
    const err = Number.isNaN(a) || Number.isNaN(b) ? (Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity) : relativeError(a, b);
    if (bad && (worstK < 0 || err > worst)) {
      worst = err;
      worstK = k;
    }
    if (worstK < 0 && err > worst) worst = err;
  }
  if (worstK < 0) return { ok: true, worst };
  return {
    ok: false,
    reason: "values differ",
    index: e.shape.length ? unravelIndex(worstK, e.shape) : [],
    got: g.data[worstK],
    expected: e.data[worstK],
    relError: worst,
  };
}

/** " at index [1, 0]" or "" for a scalar. */
export function atIndex(index: number[] | undefined): string {
  return index && index.length ? ` at index [${index.join(", ")}]` : "";
}

export { num as formatNumber };
