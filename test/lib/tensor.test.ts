import { spawnSync } from "child_process";
import { Random, Tensor, tensor, seed, noGrad, broadcastShapes, sumToShape } from "../../lib/tensor";
import { DEBIAN_PYTHON, describeWith, requirements } from "../support/requirements";

describe("Tensor construction", () => {
  test("nested arrays give shape, row-major data and strides", () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.strides).toEqual([3, 1]);
    expect(t.dtype).toBe("float64");
    expect(t.data).toBeInstanceOf(Float64Array);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(t.get(1, 2)).toBe(6);
    expect(t.get(-1, -3)).toBe(4);
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  test("float32 on request keeps float32 through arithmetic with numbers, float64 wins when mixed", () => {
    const f = tensor([1.5, 2.5], { dtype: "float32" });
    expect(f.data).toBeInstanceOf(Float32Array);
    expect(f.mul(2).dtype).toBe("float32");
    expect(f.add(tensor([1, 1])).dtype).toBe("float64");
    expect(f.astype("float64").data).toBeInstanceOf(Float64Array);
  });

  test("scalars, zeros, ones, eye, arange, linspace", () => {
    expect(tensor(3.5).shape).toEqual([]);
    expect(tensor(3.5).item()).toBe(3.5);
    expect(Tensor.zeros([2, 2]).toFlat()).toEqual([0, 0, 0, 0]);
    expect(Tensor.ones([3]).toFlat()).toEqual([1, 1, 1]);
    expect(Tensor.eye(2).toArray()).toEqual([[1, 0], [0, 1]]);
    expect(Tensor.arange(5).toFlat()).toEqual([0, 1, 2, 3, 4]);
    expect(Tensor.arange(1, 2, 0.25).toFlat()).toEqual([1, 1.25, 1.5, 1.75]);
    expect(Tensor.linspace(0, 1, 5).toFlat()).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  test("bad input gives errors that name the problem", () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged/);
    expect(() => tensor([[1, 2], [3, 4]]).reshape(3, 2)).toThrow(/shape \[2, 2\].*into \[3, 2\]/);
    expect(() => tensor([1, 2]).get(2)).toThrow(/out of range for axis 0 of size 2/);
    expect(() => tensor([1, 2]).item()).toThrow(/one element/);
    expect(() => Tensor.zeros([2, -1])).toThrow(/invalid/);
    expect(() => tensor([[1, 2, 3]]).add(tensor([[1, 2]]))).toThrow(/add: shapes \[1, 3\] and \[1, 2\] do not broadcast/);
    expect(() => tensor([[1, 2, 3]]).matmul(tensor([[1, 2]]))).toThrow(/matmul: shapes \[1, 3\] and \[1, 2\] are not aligned/);
    expect(() => tensor([1]).sum(1)).toThrow(/axis 1 is out of range/);
  });
});

describe("broadcasting", () => {
  test("follows NumPy's rules", () => {
    expect(broadcastShapes([2, 1, 3], [4, 1])).toEqual([2, 4, 3]);
    expect(broadcastShapes([], [3])).toEqual([3]);
    const col = tensor([[1], [2]]);
    const row = tensor([10, 20, 30]);
    expect(col.add(row).toArray()).toEqual([[11, 21, 31], [12, 22, 32]]);
    expect(row.mul(2).toFlat()).toEqual([20, 40, 60]);
    expect(tensor(1).sub(row).toFlat()).toEqual([-9, -19, -29]);
  });

  test("sumToShape undoes broadcasting (what backward needs)", () => {
    const g = Tensor.ones([2, 4, 3]);
    expect(sumToShape(g, [4, 1]).toArray()).toEqual([[6], [6], [6], [6]]);
    expect(sumToShape(g, [3]).toFlat()).toEqual([8, 8, 8]);
    expect(sumToShape(g, []).item()).toBe(24);
    expect(() => sumToShape(g, [5])).toThrow(/cannot sum/);
  });
});

describe("math", () => {
  test("the lecture's linear classifier: cat -96.8, dog 437.9, ship 60.75", () => {
    const W = tensor([[0.2, -0.5, 0.1, 2.0], [1.5, 1.3, 2.1, 0.0], [0, 0.25, 0.2, -0.3]]);
    const x = tensor([56, 231, 24, 2]);
    const b = tensor([1.1, 3.2, -1.2]);
    const scores = W.matmul(x).add(b);
    expect(scores.shape).toEqual([3]);
    expect(scores.get(0)).toBeCloseTo(-96.8, 10);
    expect(scores.get(1)).toBeCloseTo(437.9, 10);
    expect(scores.get(2)).toBeCloseTo(60.75, 10);
  });

  test("matmul: 2-D, 1-D promotion, batches", () => {
    const A = tensor([[1, 2], [3, 4]]);
    expect(A.matmul(A).toArray()).toEqual([[7, 10], [15, 22]]);
    expect(tensor([1, 2]).dot(tensor([3, 4])).item()).toBe(11);
    expect(tensor([1, 1]).matmul(A).toFlat()).toEqual([4, 6]);
    const batch = Tensor.stack([A, A.mul(2)]);
    const out = batch.matmul(Tensor.eye(2));
    expect(out.shape).toEqual([2, 2, 2]);
    expect(out.slice(1).toArray()).toEqual([[2, 4], [6, 8]]);
  });

  test("reductions along axes, keepdims, argmax", () => {
    const t = Tensor.arange(24).reshape(2, 3, 4);
    expect(t.sum().item()).toBe(276);
    expect(t.sum(1).toArray()).toEqual([[12, 15, 18, 21], [48, 51, 54, 57]]);
    expect(t.sum([0, 2]).toFlat()).toEqual([60, 92, 124]);
    expect(t.sum(-1, true).shape).toEqual([2, 3, 1]);
    expect(t.mean(0).get(0, 0)).toBe(6);
    expect(t.max(2).toArray()).toEqual([[3, 7, 11], [15, 19, 23]]);
    expect(t.min().item()).toBe(0);
    expect(tensor([[1, 9, 3], [7, 2, 7]]).argmax(1).toFlat()).toEqual([1, 0]);
    expect(tensor([1, 2, 3, 4]).var().item()).toBeCloseTo(1.25, 12);
    expect(tensor([1, 2, 3, 4]).std(0, false, 1).item()).toBeCloseTo(Math.sqrt(5 / 3), 12);
  });

  test("sigmoid is finite and exact at the extremes", () => {
    const s = tensor([-1000, -30, 0, 30, 1000]).sigmoid();
    expect(s.data.every(Number.isFinite)).toBe(true);
    expect(s.get(0)).toBe(0);
    expect(s.get(2)).toBe(0.5);
    expect(s.get(4)).toBe(1);
  });
});

describe("layout", () => {
  const t = Tensor.arange(24).reshape(2, 3, 4);
  test("transpose, reshape with -1, squeeze/unsqueeze", () => {
    expect(t.T.shape).toEqual([4, 3, 2]);
    expect(t.T.get(3, 2, 1)).toBe(t.get(1, 2, 3));
    expect(t.transpose(1, 0, 2).get(2, 1, 3)).toBe(23);
    expect(t.reshape(-1, 4).shape).toEqual([6, 4]);
    expect(t.unsqueeze(0).shape).toEqual([1, 2, 3, 4]);
    expect(t.sum(1, true).squeeze(1).shape).toEqual([2, 4]);
  });

  test("slice with indices, ranges, negative steps; take for mini-batches", () => {
    expect(t.slice(1, [0, 3, 2], [null, null, -1]).toArray()).toEqual([[15, 14, 13, 12], [23, 22, 21, 20]]);
    expect(t.slice(null, -1, 0).toFlat()).toEqual([8, 20]);
    const X = tensor([[1, 1], [2, 2], [3, 3]]);
    expect(X.take([2, 0]).toArray()).toEqual([[3, 3], [1, 1]]);
    expect(X.take([1], 1).shape).toEqual([3, 1]);
    expect(() => X.take([3])).toThrow(/index 3 is out of range for axis 0 of size 3/);
  });

  test("concat and stack", () => {
    expect(Tensor.concat([tensor([[1, 2]]), tensor([[3, 4], [5, 6]])]).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(Tensor.stack([tensor([1, 2]), tensor([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(() => Tensor.concat([tensor([[1, 2]]), tensor([[1, 2, 3]])])).toThrow(/differ outside that axis/);
  });
});

describe("seeded randomness", () => {
  test("the same seed gives the same numbers; a different seed different ones", () => {
    const a = new Random(7), b = new Random(7), c = new Random(8);
    const xs = Array.from({ length: 5 }, () => a.random());
    expect(Array.from({ length: 5 }, () => b.random())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.random())).not.toEqual(xs);
    expect(Tensor.randn([3, 3], 5).equals(Tensor.randn([3, 3], 5))).toBe(true);
    seed(11);
    const first = Tensor.rand([4]);
    seed(11);
    expect(Tensor.rand([4]).equals(first)).toBe(true);
  });

  test("matches an independent Uint32Array implementation of xoshiro128** (integer-only, so identical on every machine)", () => {
    const r = new Random(42);
    expect([r.nextUint32(), r.nextUint32(), r.nextUint32()]).toEqual(pinnedUint32(42));
  });

  test("distributions have the right moments; permutations are permutations", () => {
    const r = new Random(1);
    const n = 100000;
    let s = 0, s2 = 0, u = 0;
    for (let i = 0; i < n; i++) {
      const z = r.normal();
      s += z;
      s2 += z * z;
      u += r.random();
    }
    expect(Math.abs(s / n)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
    expect(Math.abs(u / n - 0.5)).toBeLessThan(0.005);
    const p = r.permutation(50);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const ints = Tensor.randint(3, 6, [1000], 2).toFlat();
    expect(new Set(ints)).toEqual(new Set([3, 4, 5]));
  });
});

/** The reference: xoshiro128** written out again from its published definition, independently of the class. */
function pinnedUint32(seedValue: number): number[] {
  let x = (seedValue ^ 0x9e3779b9) >>> 0;
  const splitmix = () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  const s = new Uint32Array([splitmix(), splitmix(), splitmix(), splitmix()]);
  const rotl = (v: number, k: number) => ((v << k) | (v >>> (32 - k))) >>> 0;
  const out: number[] = [];
  for (let i = 0; i < 3; i++) {
    out.push(Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0);
    const t = s[1] << 9;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 11);
  }
  return out;
}

describe("display", () => {
  test("text reads like NumPy, HTML is a table with shape and dtype", () => {
    const t = tensor([[1, -2.5], [3, 4]]);
    expect(t.toString()).toBe("tensor([[ 1.0000, -2.5000],\n        [ 3.0000,  4.0000]])");
    const bundle = (t as any)[Symbol.for("Jupyter.display")]();
    expect(bundle["text/plain"]).toBe(t.toString());
    expect(bundle["text/html"]).toContain("<table");
    expect(bundle["text/html"]).toContain("Tensor [2, 2] float64");
    expect((bundle["text/html"].match(/<td /g) || []).length).toBe(4);
    expect(Tensor.arange(2000).toString()).toContain("..., 1997., 1998., 1999.], shape=[2000])");
  });

  test("noGrad restores the previous state even when fn throws", () => {
    expect(() => noGrad(() => { throw new Error("x"); })).toThrow("x");
    expect(noGrad(() => 3)).toBe(3);
  });
});

describeWith([requirements.numpy], "agrees with NumPy (Debian's python3-numpy)", () => {
  test("broadcasting arithmetic, reductions, matmul and transpose on seeded random inputs", () => {
    const A = Tensor.randn([3, 1, 4], 1), B = Tensor.randn([5, 1], 2), M = Tensor.randn([2, 4, 3], 3), N = Tensor.randn([3, 5], 4);
    const ours = {
      add: A.add(B).mul(A).sub(B.div(2)).toArray(),
      sum: A.add(B).sum([0, 2]).toArray(),
      mean: M.mean(1, true).toArray(),
      max: M.max(-1).toArray(),
      matmul: M.matmul(N).toArray(),
      transpose: M.transpose(2, 0, 1).toArray(),
      std: M.std(2).toArray(),
    };
    const script = `
import json, sys, numpy as np
d = json.load(sys.stdin)
A, B, M, N = (np.array(d[k]) for k in "ABMN")
out = dict(add=(A + B) * A - B / 2, sum=(A + B).sum(axis=(0, 2)), mean=M.mean(axis=1, keepdims=True),
           max=M.max(axis=-1), matmul=M @ N, transpose=M.transpose(2, 0, 1), std=M.std(axis=2))
print(json.dumps({k: v.tolist() for k, v in out.items()}))`;
    const input = JSON.stringify({ A: A.toArray(), B: B.toArray(), M: M.toArray(), N: N.toArray() });
    const r = spawnSync(DEBIAN_PYTHON, ["-c", script], { input, encoding: "utf8" });
    expect(r.stderr).toBe("");
    const theirs = JSON.parse(r.stdout);
    for (const key of Object.keys(ours) as (keyof typeof ours)[]) {
      const a = tensor(ours[key]), b = tensor(theirs[key]);
      expect({ key, shape: a.shape }).toEqual({ key, shape: b.shape });
      expect({ key, close: a.allClose(b, 1e-12, 1e-12) }).toEqual({ key, close: true });
    }
  });
});
