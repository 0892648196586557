/**
 * Plots accept plain arrays or anything with `toArray()` (a Tensor), without importing Tensor, so that
 * plotting stays usable on its own. These helpers turn either into numbers, naming the argument that is wrong.
 */
export type Numbers = ArrayLike<number> | { toArray(): unknown };
export type Rows = ArrayLike<ArrayLike<number>> | { toArray(): unknown };

function unwrap(x: unknown): unknown {
  return x !== null && typeof x === "object" && typeof (x as { toArray?: unknown }).toArray === "function"
    ? (x as { toArray(): unknown }).toArray()
    : x;
}

/** A flat list of finite-or-not numbers (NaN is kept: a diverging loss should show as a gap, not an error). */
export function toNumbers(x: Numbers, what: string): number[] {
  const v = unwrap(x);
  if (v === null || typeof v !== "object" || typeof (v as ArrayLike<unknown>).length !== "number") {
    throw new TypeError(`${what}: expected an array of numbers or a 1-D Tensor, got ${describe(v)}`);
  }
  const out = Array.from(v as ArrayLike<unknown>);
  out.forEach((n, i) => {
    if (typeof n !== "number") throw new TypeError(`${what}[${i}]: expected a number, got ${describe(n)}`);
  });
  return out as number[];
}

/** Rows of numbers, all of length `width` when given (e.g. 2 for points in the plane). */
export function toRows(x: Rows, what: string, width?: number): number[][] {
  const v = unwrap(x);
  if (v === null || typeof v !== "object" || typeof (v as ArrayLike<unknown>).length !== "number") {
    throw new TypeError(`${what}: expected rows (an array of arrays) or a 2-D Tensor, got ${describe(v)}`);
  }
  const rows = Array.from(v as ArrayLike<unknown>).map((r, i) => toNumbers(r as Numbers, `${what}[${i}]`));
  const expected = width ?? rows[0]?.length;
  rows.forEach((r, i) => {
    if (r.length !== expected) {
      throw new RangeError(`${what}: row ${i} has ${r.length} values, expected ${expected} (shape must be [N, ${expected}])`);
    }
  });
  return rows;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return typeof v === "object" ? (v as object).constructor?.name ?? "an object" : `${typeof v} ${String(v)}`;
}
