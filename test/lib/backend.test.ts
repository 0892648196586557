/**
 * Every matrix-product backend available here against the js reference (itself checked against a
 * plain triple loop) on odd shapes, empty ones, strided and transposed operands, alpha and beta, in
 * float64 and float32, with the error bound |C − C_ref| ≤ tol·K·(|A|·|B|) elementwise. Then the
 * fallbacks: a forced backend that cannot load, and Node's permission model (the grader's sandbox).
 */
import { spawnSync } from "child_process";
import { existsSync } from "fs";
import { join } from "path";
import { Random, Tensor } from "../../lib/tensor";
import { gemmJs } from "../../lib/tensor/backend/js";
import { loadBackend, setBackend, activeBackend, backendInfo } from "../../lib/tensor/backend";
import type { Backend, BackendName, Flat } from "../../lib/tensor/backend/kernel";
import { FULL } from "../support/requirements";

type Case = { m: number; n: number; k: number; transA: boolean; transB: boolean; pad: number; alpha: number; beta: number };

const SHAPES: [number, number, number][] = [[1, 1, 1], [7, 13, 5], [13, 7, 1], [3, 1, 9], [33, 17, 65], [513, 257, 31], [0, 5, 3], [5, 0, 3], [4, 6, 0], [64, 64, 64]];

function cases(): Case[] {
  const out: Case[] = [];
  for (const [m, n, k] of SHAPES) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) out.push({ m, n, k, transA, transB, pad: (m + n + k) % 3, alpha: 1, beta: 0 });
    }
  }
  // alpha and beta other than 1 and 0, with every dimension at least 8 so the wasm kernel (not its js
  // fallback for thin products) computes them.
  out.push({ m: 9, n: 11, k: 10, transA: false, transB: false, pad: 2, alpha: -0.5, beta: 2 });
  out.push({ m: 9, n: 11, k: 10, transA: true, transB: true, pad: 1, alpha: 3, beta: 1 });
  // And a thin one (k < 8), which the wasm backend hands to the js loops: alpha and beta must go with it.
  out.push({ m: 9, n: 11, k: 3, transA: true, transB: false, pad: 2, alpha: -0.5, beta: 2 });
  return out;
}

const made = new Map<string, ReturnType<typeof makeOperands>>();

/** Operands with leading dimension cols + pad and a start offset, filled with seeded normals (C a fresh copy each call). */
function operands(c: Case, dtype: "float64" | "float32", seed: number) {
  const key = `${label(c)} ${dtype} ${seed}`;
  let o = made.get(key);
  if (!o) made.set(key, (o = makeOperands(c, dtype, seed)));
  return { A: o.A, B: o.B, C: { ...o.C, data: o.C.data.slice() } };
}

function makeOperands(c: Case, dtype: "float64" | "float32", seed: number) {
  const rng = new Random(seed);
  const make = (rows: number, cols: number) => {
    const ld = cols + c.pad, off = 3;
    const data = dtype === "float64" ? new Float64Array(off + rows * ld + 2) : new Float32Array(off + rows * ld + 2);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal();
    return { data, ld, off };
  };
  const A = c.transA ? make(c.k, c.m) : make(c.m, c.k);
  const B = c.transB ? make(c.n, c.k) : make(c.k, c.n);
  const C = make(c.m, c.n);
  return { A, B, C };
}

function run(gemm: Backend["gemm"], c: Case, dtype: "float64" | "float32"): Flat {
  const { A, B, C } = operands(c, dtype, 7);
  gemm(c.transA, c.transB, c.m, c.n, c.k, c.alpha, A.data, A.off, A.ld, B.data, B.off, B.ld, c.beta, C.data, C.off, C.ld);
  return C.data;
}

/** Elementwise bound: tol·K·Σ|a||b| (+ |beta·c|), computed in float64 from the same operands. */
const bounds = new Map<string, Float64Array>();
function bound(c: Case, dtype: "float64" | "float32"): Float64Array {
  const key = `${label(c)} ${dtype}`;
  if (!bounds.has(key)) bounds.set(key, computeBound(c, dtype));
  return bounds.get(key)!;
}

function computeBound(c: Case, dtype: "float64" | "float32"): Float64Array {
  const { A, B, C } = operands(c, dtype, 7);
  const out = new Float64Array(C.data.length);
  const at = (i: number, p: number) => (c.transA ? A.data[A.off + p * A.ld + i] : A.data[A.off + i * A.ld + p]);
  const bt = (p: number, j: number) => (c.transB ? B.data[B.off + j * B.ld + p] : B.data[B.off + p * B.ld + j]);
  const tol = dtype === "float64" ? 1e-13 : 1e-6;
  for (let i = 0; i < c.m; i++) {
    for (let j = 0; j < c.n; j++) {
      let s = 0;
      for (let p = 0; p < c.k; p++) s += Math.abs(at(i, p) * bt(p, j));
      const x = C.off + i * C.ld + j;
      out[x] = tol * Math.max(c.k, 1) * (Math.abs(c.alpha) * s + Math.abs(c.beta * C.data[x]));
    }
  }
  return out;
}

/** The plain triple loop, in float64: what the js reference must equal. */
function naive(c: Case, dtype: "float64" | "float32"): Float64Array {
  const { A, B, C } = operands(c, dtype, 7);
  const out = Float64Array.from(C.data);
  for (let i = 0; i < c.m; i++) {
    for (let j = 0; j < c.n; j++) {
      let s = 0;
      for (let p = 0; p < c.k; p++) {
        s += (c.transA ? A.data[A.off + p * A.ld + i] : A.data[A.off + i * A.ld + p]) * (c.transB ? B.data[B.off + j * B.ld + p] : B.data[B.off + p * B.ld + j]);
      }
      const x = C.off + i * C.ld + j;
      out[x] = c.alpha * s + (c.beta === 0 ? 0 : c.beta * C.data[x]);
    }
  }
  return out;
}

function expectWithin(got: Flat, want: ArrayLike<number>, tol: Float64Array, what: string): void {
  let worst = "";
  for (let x = 0; x < got.length && !worst; x++) {
    if (!(Math.abs(got[x] - want[x]) <= tol[x])) worst = `${what}: element ${x} is ${got[x]}, expected ${want[x]} within ${tol[x]}`;
  }
  expect(worst).toBe("");
}

const label = (c: Case) => `${c.m}x${c.n}x${c.k} ${c.transA ? "T" : "N"}${c.transB ? "T" : "N"} pad ${c.pad} alpha ${c.alpha} beta ${c.beta}`;

describe("the js reference", () => {
  test.each(["float64", "float32"] as const)("equals the triple loop on every case (%s); padding outside C is untouched", (dtype) => {
    for (const c of cases()) {
      const got = run(gemmJs, c, dtype), before = operands(c, dtype, 7).C.data;
      expectWithin(got, naive(c, dtype), bound(c, dtype), `js ${label(c)}`);
      // Between rows (the pad) and around the block nothing changes.
      const changed: number[] = [];
      for (let x = 0; x < got.length; x++) {
        const row = Math.floor((x - 3) / (c.n + c.pad)), col = (x - 3) % (c.n + c.pad);
        const inside = x >= 3 && row < c.m && col < c.n;
        if (!inside && got[x] !== before[x]) changed.push(x);
      }
      expect(changed).toEqual([]);
    }
  });
});

const NAMES: BackendName[] = ["native", "wasm"];

describe.each(NAMES)("the %s backend", (name) => {
  const b = loadBackend(name);
  const available = typeof b !== "string";
  if (!available) console.log(`${name} backend not available here: ${b}`);

  if (name === "native" && FULL && process.platform === "linux") {
    test("is available in CI (libopenblas0-pthread installed)", () => expect(b).not.toEqual(expect.any(String)));
  }

  (available ? test.each(["float64", "float32"] as const) : test.skip.each(["float64", "float32"] as const))(
    "equals the js reference on odd, empty, strided and transposed operands (%s)",
    (dtype) => {
      const backend = b as Backend;
      for (const c of cases()) {
        if (c.m === 0 || c.n === 0 || c.k === 0) continue; // the dispatcher answers these before any backend
        expectWithin(run(backend.gemm, c, dtype), run(gemmJs, c, dtype), bound(c, dtype), `${name} ${label(c)}`);
      }
    },
  );

  (available ? test : test.skip)("Tensor.matmul and the dense-layer products agree with js through the dispatcher", () => {
    const rng = new Random(3);
    const a = Tensor.randn([130, 70], rng), w = Tensor.randn([70, 90], rng);
    const before = setBackend("js");
    const want = a.matmul(w).toFlat();
    setBackend(name);
    try {
      expect(activeBackend().name).toBe(name);
      const got = a.matmul(w).toFlat();
      for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-11);
    } finally {
      setBackend(before.name);
    }
  });
});

test("the committed .wasm files (gemm, thin) are what their .wat sources build to", () => {
  const r = spawnSync(process.execPath, [join(__dirname, "../../scripts/build-wasm.js"), "--check"], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
});

describe("choice and fallback", () => {
  test("the banner's plan is said without loading a backend, and follows GRADLAB_BACKEND", () => {
    const code = `const b = require(${JSON.stringify(join(__dirname, "../../dist/lib/tensor/backend/select.js"))});
      console.log(b.plannedBackend() + "|" + Object.keys(require.cache).some((k) => k.includes("koffi")));`;
    const plain = spawnSync(process.execPath, ["-e", code], { encoding: "utf8" }).stdout.trim().split("|");
    expect(plain[0]).toMatch(/^(native \(.*\) when it loads, else wasm|wasm \(no BLAS found\), else js)$/);
    expect(plain[1]).toBe("false");
    const forced = spawnSync(process.execPath, ["-e", code], { encoding: "utf8", env: { ...process.env, GRADLAB_BACKEND: "js" } }).stdout;
    expect(forced).toMatch(/^js \(forced by GRADLAB_BACKEND/);
  });

  test("backendInfo names the active backend", () => {
    const info = backendInfo();
    expect(["native", "wasm", "js"]).toContain(info.active);
    expect(typeof info.detail).toBe("string");
  });

  test("empty products: 0×k gives an empty C, k = 0 gives beta·C", () => {
    const c = new Float64Array([5, 5, 5, 5]);
    const before = setBackend("js");
    try {
      Tensor.zeros([0, 3]).matmul(Tensor.ones([3, 4]));
      expect(Tensor.ones([2, 0]).matmul(Tensor.ones([0, 2])).toFlat()).toEqual([0, 0, 0, 0]);
      gemmJs(false, false, 2, 2, 0, 1, new Float64Array(0), 0, 0, new Float64Array(0), 0, 2, 0.5, c, 0, 2);
      expect(Array.from(c)).toEqual([2.5, 2.5, 2.5, 2.5]);
    } finally {
      setBackend(before.name);
    }
  });

  const dist = join(__dirname, "../../dist/lib/tensor/backend/index.js");
  const script = `
    const b = require(${JSON.stringify(dist)});
    const { Tensor } = require(${JSON.stringify(join(__dirname, "../../dist/lib/tensor/index.js"))});
    const n = Number(process.env.SIZE || 40);
    const a = Tensor.arange(0, n * 50).reshape([n, 50]).mul(1 / n), w = Tensor.arange(0, 1500).reshape([50, 30]).mul(1e-3);
    const sum = a.matmul(w).sum().item();
    console.log(JSON.stringify({ active: b.backendInfo().active, sum }));`;

  function child(args: string[], env: Record<string, string> = {}) {
    const r = spawnSync(process.execPath, [...args, "-e", script], { encoding: "utf8", env: { ...process.env, ...env }, timeout: 20000 });
    expect(r.stderr.replace(/.*ExperimentalWarning.*\n?|.*--trace-warnings.*\n?/g, "")).toBe("");
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as { active: string; sum: number };
  }

  (existsSync(dist) ? test : test.skip)("a forced backend that cannot load, and the permission model's refusal of addons, fall back with the same answer", () => {
    const js = child([], { GRADLAB_BACKEND: "js" });
    expect(js.active).toBe("js");
    const missing = child([], { GRADLAB_BACKEND: "native", GRADLAB_BLAS: "/nonexistent/libblas.so" });
    expect(missing.active).not.toBe("native");
    expect(Math.abs(missing.sum - js.sum)).toBeLessThan(1e-9 * Math.abs(js.sum));
    const sandboxed = child(["--experimental-permission", "--allow-fs-read=*"], { GRADLAB_BACKEND: "native" });
    expect(sandboxed.active).toBe("wasm");
    expect(Math.abs(sandboxed.sum - js.sum)).toBeLessThan(1e-9 * Math.abs(js.sum));
  });

  const prlimit = ["/usr/bin/prlimit", "/bin/prlimit"].find((p) => existsSync(p));
  (existsSync(dist) && prlimit ? test : test.skip)("under the grader's 2 GiB address-space limit WebAssembly memory cannot be had: js, same answer", () => {
    // V8 reserves ~10 GiB of guard pages per WebAssembly memory on 64-bit machines.
    const r = spawnSync(prlimit!, [`--as=${2 * 1024 ** 3}`, "--", process.execPath, "-e", script], { encoding: "utf8", env: { ...process.env, GRADLAB_BACKEND: "wasm", GRADLAB_BLAS: "/nonexistent/libblas.so" }, timeout: 20000 });
    expect(r.status).toBe(0);
    const limited = JSON.parse(r.stdout) as { active: string; sum: number };
    const js = child([], { GRADLAB_BACKEND: "js" });
    expect(limited.active).toBe("js");
    expect(limited.sum).toBe(js.sum);
  });

  (existsSync(dist) ? test : test.skip)("a product large enough for the wasm worker threads gives the js answer, and the process still exits by itself", () => {
    const big = { SIZE: "2000" }; // 2000·50·30 multiply-adds: past the threaded threshold
    const js = child([], { ...big, GRADLAB_BACKEND: "js" });
    const wasm = child([], { ...big, GRADLAB_BACKEND: "wasm" });
    expect(wasm.active).toBe("wasm");
    expect(Math.abs(wasm.sum - js.sum)).toBeLessThan(1e-12 * Math.abs(js.sum));
    // Without --allow-worker the permission model refuses threads: the caller does every block.
    const sandboxed = child(["--experimental-permission", "--allow-fs-read=*"], { ...big, GRADLAB_BACKEND: "wasm" });
    expect(sandboxed.sum).toBe(wasm.sum);
  });
});
