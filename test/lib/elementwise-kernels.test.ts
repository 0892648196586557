/**
 * The named elementwise kernels (one loop written out per operation) against the plainest possible
 * reference: NumPy's broadcasting rule applied element by element with multi-indices. Covers every
 * binary and unary kernel, operand orders, a plain number on either side, float32, empty tensors,
 * NaN, and the reductions' own loops.
 */
import { Tensor, ops } from "gradlab";
import { Random } from "../../lib/tensor/random";

const BINARY: Record<string, (x: number, y: number) => number> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  pow: Math.pow,
  // Ties (0 and -0 among them) go to the first operand.
  maximum: (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : y > x ? y : x),
  minimum: (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : y < x ? y : x),
  eq: (x, y) => Number(x === y),
  ne: (x, y) => Number(x !== y),
  lt: (x, y) => Number(x < y),
  le: (x, y) => Number(x <= y),
  gt: (x, y) => Number(x > y),
  ge: (x, y) => Number(x >= y),
};

const UNARY: Record<string, (x: number) => number> = {
  neg: (x) => -x, exp: Math.exp, log: Math.log, sin: Math.sin, cos: Math.cos, tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)), relu: (x) => (Number.isNaN(x) ? NaN : Math.max(0, x)),
  abs: Math.abs, sqrt: Math.sqrt, square: (x) => x * x, sign: Math.sign,
};

const kernels = ops as unknown as Record<string, (...args: unknown[]) => Tensor>;

/** Element `flat` of the broadcast result, read from t by NumPy's rule (size-1 axes repeat). */
function readBroadcast(t: Tensor, shape: number[], flat: number): number {
  let offset = 0, stride = 1;
  for (let d = shape.length - 1, td = t.ndim - 1; d >= 0; d--, td--) {
    const coord = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
    if (td >= 0) {
      if (t.shape[td] !== 1) offset += coord * stride;
      stride *= t.shape[td];
    }
  }
  return t.data[offset];
}

function broadcastShape(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const x = a[a.length - n + i] ?? 1, y = b[b.length - n + i] ?? 1;
    return x === 1 ? y : x;
  });
}

function sample(shape: number[], rng: Random, dtype: "float64" | "float32" = "float64"): Tensor {
  const t = Tensor.zeros(shape, { dtype });
  // Small integers, some repeated, some negative, a NaN: comparisons, ties and NaN rules all get exercised.
  for (let i = 0; i < t.size; i++) t.data[i] = i === 3 ? NaN : Math.round(rng.normal() * 2);
  return t;
}

const SHAPE_PAIRS: Array<[number[], number[]]> = [
  [[3, 4], [3, 4]], [[3, 4], [4]], [[4], [3, 4]], [[3, 1], [1, 4]], [[2, 3, 4], [3, 1]],
  [[1], [2, 5]], [[2, 1, 3], [4, 1]], [[5], [1]], [[], [2, 3]], [[0, 3], [3]], [[2, 0], [1, 0]],
];

describe("named binary kernels match element-by-element broadcasting", () => {
  const rng = new Random(5);
  for (const [name, f] of Object.entries(BINARY)) {
    test(name, () => {
      for (const [sa, sb] of SHAPE_PAIRS) {
        const a = sample(sa, rng), b = sample(sb, rng);
        const out = kernels[name](a, b);
        const shape = broadcastShape(sa, sb);
        expect(out.shape).toEqual(shape);
        const want = Array.from({ length: out.size }, (_, i) => f(readBroadcast(a, shape, i), readBroadcast(b, shape, i)));
        expect(Array.from(out.data)).toEqual(want);
      }
      // A plain number on either side, and two numbers.
      const t = sample([2, 3], rng);
      expect(Array.from(kernels[name](t, 2).data)).toEqual(Array.from(t.data, (x) => f(x, 2)));
      expect(Array.from(kernels[name](-1, t).data)).toEqual(Array.from(t.data, (x) => f(-1, x)));
      const both = kernels[name](3, 2);
      expect(both.shape).toEqual([]);
      expect(both.item()).toBe(f(3, 2));
    });
  }

  test("a number keeps a float32 tensor float32, float64 wins over float32", () => {
    const f32 = sample([2, 2], rng, "float32");
    expect(ops.add(f32, 1.5).dtype).toBe("float32");
    expect(ops.mul(2, f32).dtype).toBe("float32");
    expect(ops.add(f32, sample([2], rng)).dtype).toBe("float64");
    expect(Array.from(ops.mul(f32, 0.1).data)).toEqual(Array.from(f32.data, (x) => Math.fround(x * 0.1)));
  });

  test("the generic binary kernel (a function per element) agrees with the named ones", () => {
    const a = sample([2, 3, 4], rng), b = sample([3, 1], rng);
    expect(Array.from(ops.binary(a, b, (x, y) => x * y, "mul").data)).toEqual(Array.from(ops.mul(a, b).data));
  });

  test("shapes that do not broadcast are refused with the operation's name", () => {
    expect(() => ops.add(Tensor.zeros([3, 4]), Tensor.zeros([3]))).toThrow(/^add: shapes \[3, 4\] and \[3\] do not broadcast/);
  });
});

describe("named unary kernels", () => {
  const rng = new Random(6);
  for (const [name, f] of Object.entries(UNARY)) {
    test(name, () => {
      const t = sample([3, 5], rng).mul(0.7);
      const out = kernels[name](t);
      expect(out.shape).toEqual([3, 5]);
      Array.from(out.data).forEach((v, i) => {
        const want = f(t.data[i]);
        if (Number.isNaN(want)) expect(v).toBeNaN();
        else expect(v).toBeCloseTo(want, 12);
      });
      expect(kernels[name](Tensor.zeros([0, 2])).shape).toEqual([0, 2]);
    });
  }

  test("clip", () => {
    expect(Array.from(ops.clip(Tensor.from([-3, -1, 0, 2, 5]), -1, 2).data)).toEqual([-1, -1, 0, 2, 2]);
  });
});

describe("reduction loops", () => {
  const rng = new Random(7);
  test("sum, max and min over each axis match a direct computation, NaN winning max and min", () => {
    const t = sample([3, 4, 2], rng);
    for (const axis of [0, 1, 2]) {
      const shape = t.shape.filter((_, d) => d !== axis);
      const groups = new Map<string, number[]>();
      for (let i = 0; i < t.size; i++) {
        const idx = [Math.floor(i / 8), Math.floor(i / 2) % 4, i % 2];
        const key = idx.filter((_, d) => d !== axis).join(",");
        groups.set(key, [...(groups.get(key) ?? []), t.data[i]]);
      }
      const values = [...groups.values()];
      const nanOr = (xs: number[], f: (...v: number[]) => number) => (xs.some(Number.isNaN) ? NaN : f(...xs));
      expect(ops.sum(t, axis).shape).toEqual(shape);
      expect(Array.from(ops.sum(t, axis).data)).toEqual(values.map((xs) => xs.reduce((s, x) => s + x, 0)));
      expect(Array.from(ops.max(t, axis).data)).toEqual(values.map((xs) => nanOr(xs, Math.max)));
      expect(Array.from(ops.min(t, axis).data)).toEqual(values.map((xs) => nanOr(xs, Math.min)));
    }
  });
});
