/**
 * The kernels' special cases for a cold process (the grader's: every submission in a fresh one) against
 * plain references written out element by element, on seeded random shapes that dwell on the tiny
 * dimensions (0 to 9, as in a layer with 2 inputs or 3 classes), in float64 and float32. Where a fast
 * path promises the general path's exact numbers (the js product's narrow case, the wasm backend's thin
 * products), the check is bit for bit.
 */
import { Random, Tensor } from "../../lib/tensor";
import { loadBackend, setBackend } from "../../lib/tensor/backend";
import { gemmJs } from "../../lib/tensor/backend/js";
import type { Backend, Flat } from "../../lib/tensor/backend/kernel";
import { unravelIndex } from "../../lib/tensor/shape";

const DTYPES = ["float64", "float32"] as const;
type DType = (typeof DTYPES)[number];

function randomFlat(len: number, rng: Random, dtype: DType): Flat {
  const d = dtype === "float64" ? new Float64Array(len) : new Float32Array(len);
  for (let i = 0; i < len; i++) d[i] = rng.normal();
  return d;
}

function randomTensor(shape: number[], rng: Random, dtype: DType): Tensor {
  return new Tensor(randomFlat(shape.reduce((a, b) => a * b, 1), rng, dtype), shape);
}

/** Small integers with repeats and a NaN now and then: ties and NaN rules get exercised. */
function tiesTensor(shape: number[], rng: Random, dtype: DType): Tensor {
  const t = Tensor.zeros(shape, { dtype });
  for (let i = 0; i < t.size; i++) t.data[i] = rng.random() < 0.05 ? NaN : rng.int(-2, 3);
  return t;
}

const dim = (rng: Random) => rng.int(0, 10);

describe("the js product's narrow case (fewer than 4 columns) is bit for bit the general loop", () => {
  /** C ← beta·C, then C += (alpha·A[i,p])·B[p,j] for p = 0, 1, ...: the js loops' order, rounded to C's type at each term. */
  function reference(m: number, n: number, k: number, alpha: number, A: Flat, ao: number, lda: number, B: Flat, bo: number, ldb: number, beta: number, C: Flat, co: number, ldc: number): void {
    const round = C instanceof Float32Array ? Math.fround : (x: number) => x;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const x = co + i * ldc + j;
        if (beta === 0) C[x] = 0;
        else if (beta !== 1) C[x] *= beta;
        if (k === 0 || alpha === 0) continue;
        let c = C[x];
        for (let p = 0; p < k; p++) c = round(c + alpha * A[ao + i * lda + p] * B[bo + p * ldb + j]);
        C[x] = c;
      }
    }
  }

  test.each(DTYPES)("%s, random shapes, strides, offsets, alpha and beta", (dtype) => {
    const rng = new Random(11);
    const make = (len: number) => randomFlat(len, rng, dtype);
    for (let trial = 0; trial < 400; trial++) {
      const m = rng.int(1, 14), n = rng.int(1, 7), k = rng.int(0, 12), pad = rng.int(0, 3);
      const alpha = [1, -0.5, 3][trial % 3], beta = [0, 1, 2][Math.floor(trial / 3) % 3];
      const lda = k + pad, ldb = n + pad, ldc = n + pad;
      const A = make(2 + m * lda), B = make(1 + k * ldb), C = make(3 + m * ldc);
      const got = C.slice(), want = C.slice();
      gemmJs(false, false, m, n, k, alpha, A, 2, lda, B, 1, ldb, beta, got, 3, ldc);
      reference(m, n, k, alpha, A, 2, lda, B, 1, ldb, beta, want, 3, ldc);
      const label = `${m}x${n}x${k} pad ${pad} alpha ${alpha} beta ${beta}`;
      expect([label, Array.from(got)]).toEqual([label, Array.from(want)]);
    }
  });

  test("Tensor.matmul on the js backend gives the same numbers for 1 to 3 columns as for 4", () => {
    const rng = new Random(12);
    const a = randomTensor([101, 100], rng, "float64"), w = randomTensor([100, 4], rng, "float64");
    const before = setBackend("js");
    try {
      const wide = a.matmul(w);
      for (const n of [1, 2, 3]) expect(a.matmul(w.slice(null, [0, n])).equals(wide.slice(null, [0, n]))).toBe(true);
    } finally {
      setBackend(before.name);
    }
  });
});

describe("the wasm backend's thin products (a dimension below 8) are bit for bit the js loops", () => {
  const wasm = loadBackend("wasm");
  const run = typeof wasm === "string" ? test.skip : test;
  if (typeof wasm === "string") console.log(`wasm backend not available here: ${wasm}`);

  run.each(DTYPES)("%s, random shapes, strides, offsets, transposes, alpha and beta (NaN in C included)", (dtype) => {
    const gemm = (wasm as Backend).gemm;
    const rng = new Random(16);
    const make = (len: number) => randomFlat(len, rng, dtype);
    for (let trial = 0; trial < 600; trial++) {
      const dims = [rng.int(1, 14), rng.int(1, 14), rng.int(1, 14)];
      dims[trial % 3] = rng.int(1, 8); // m, n or k below 8: the thin case
      const [m, n, k] = dims, pad = rng.int(0, 3), transA = trial % 7 === 0, transB = trial % 11 === 0;
      const alpha = [1, -0.5, 3, 0][trial % 4], beta = [0, 1, 2, -0.25][Math.floor(trial / 4) % 4];
      const lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + (trial % 5 === 0 ? 0 : pad);
      const A = make(2 + (transA ? k : m) * lda), B = make(1 + (transB ? n : k) * ldb), C = make(3 + m * ldc + 2);
      if (trial % 13 === 0) C[3] = NaN;
      const got = C.slice(), want = C.slice();
      gemm(transA, transB, m, n, k, alpha, A, 2, lda, B, 1, ldb, beta, got, 3, ldc);
      gemmJs(transA, transB, m, n, k, alpha, A, 2, lda, B, 1, ldb, beta, want, 3, ldc);
      const label = `${m}x${n}x${k} ${transA ? "T" : "N"}${transB ? "T" : "N"} pad ${pad} alpha ${alpha} beta ${beta}`;
      expect([label, Array.from(got)]).toEqual([label, Array.from(want)]);
    }
  });

  run("a two-layer network's products through Tensor.matmul: the same numbers on wasm as on js", () => {
    const rng = new Random(17);
    const X = randomTensor([100, 2], rng, "float64"), W1 = randomTensor([2, 100], rng, "float64");
    const a = randomTensor([300, 100], rng, "float64"), W2 = randomTensor([100, 3], rng, "float64");
    const products = () => [X.matmul(W1), a.matmul(W2), a.T.matmul(a.matmul(W2)), X.T.matmul(a.slice([0, 100])), a.matmul(W2).matmul(W2.T)];
    const before = setBackend("js");
    try {
      const want = products();
      setBackend("wasm");
      products().forEach((got, i) => expect(got.equals(want[i])).toBe(true));
    } finally {
      setBackend(before.name);
    }
  });
});

describe("2-D transpose", () => {
  test.each(DTYPES)("x.T, transpose(1, 0) and transpose(-1, 0) swap rows and columns (%s)", (dtype) => {
    const rng = new Random(13);
    for (let trial = 0; trial < 200; trial++) {
      const r = dim(rng), c = dim(rng);
      const t = randomTensor([r, c], rng, dtype);
      const want = Array.from({ length: c }, (_, j) => Array.from({ length: r }, (_, i) => t.get(i, j)));
      for (const out of [t.T, t.transpose(1, 0), t.transpose(-1, 0)]) {
        expect(out.dtype).toBe(dtype);
        expect([out.shape, out.toArray()]).toEqual([[c, r], want]);
      }
      expect(t.transpose(0, 1).equals(t)).toBe(true);
    }
  });

  test("a bad permutation of a matrix is still refused", () => {
    expect(() => Tensor.zeros([2, 3]).transpose(1, 1)).toThrow(/not a permutation/);
  });
});

describe("take", () => {
  test.each(DTYPES)("gathers along every axis, negative indices and repeats included (%s)", (dtype) => {
    const rng = new Random(14);
    for (let trial = 0; trial < 200; trial++) {
      const shape = Array.from({ length: rng.int(1, 4) }, () => rng.int(1, 6));
      const t = randomTensor(shape, rng, dtype);
      const axis = rng.int(0, shape.length), len = shape[axis];
      const indices = Array.from({ length: rng.int(0, 7) }, () => rng.int(-len, len));
      const out = t.take(indices, axis);
      const want = shape.slice();
      want[axis] = indices.length;
      expect(out.shape).toEqual(want);
      for (let flat = 0; flat < out.size; flat++) {
        const index = unravelIndex(flat, out.shape);
        const j = indices[index[axis]];
        index[axis] = j < 0 ? j + len : j;
        expect(out.data[flat]).toBe(t.get(...index));
      }
    }
  });
});

describe("argmax and argmin", () => {
  /** The first index with the largest (smallest) value along the axis; NaN never wins. */
  function reference(t: Tensor, axis: number, largest: boolean): number[] {
    const outShape = t.shape.filter((_, i) => i !== axis);
    const out: number[] = [];
    for (let flat = 0; flat < Math.max(1, outShape.reduce((a, b) => a * b, 1)); flat++) {
      const index = unravelIndex(flat, outShape);
      index.splice(axis, 0, 0);
      let best = 0;
      for (let k = 1; k < t.shape[axis]; k++) {
        const x = t.get(...index.map((v, d) => (d === axis ? k : v))), b = t.get(...index.map((v, d) => (d === axis ? best : v)));
        if (largest ? x > b : x < b) best = k;
      }
      out.push(best);
    }
    return out;
  }

  test.each(DTYPES)("along each axis and over everything, ties to the first, NaN never chosen (%s)", (dtype) => {
    const rng = new Random(15);
    for (let trial = 0; trial < 200; trial++) {
      const shape = Array.from({ length: rng.int(1, 4) }, () => rng.int(1, 6));
      const t = tiesTensor(shape, rng, dtype);
      for (let axis = 0; axis < shape.length; axis++) {
        expect(t.argmax(axis).toFlat()).toEqual(reference(t, axis, true));
        expect(t.argmin(axis).toFlat()).toEqual(reference(t, axis, false));
      }
      const flat = t.reshape(-1);
      expect(t.argmax().item()).toBe(reference(flat, 0, true)[0]);
      expect(t.argmin().item()).toBe(reference(flat, 0, false)[0]);
    }
  });
});
