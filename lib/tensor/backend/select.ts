/**
 * Which backend runs the matrix products, chosen once at the first large product (lazily, so importing
 * gradlab, and so the kernel's start, does not pay for loading a BLAS or compiling WebAssembly).
 * GRADLAB_BACKEND=native|wasm|js forces one; otherwise the first that loads of native, wasm, js.
 * A backend that cannot load is skipped with no error (its reason is kept for `backendInfo()`), and a
 * forced one that cannot load falls back the same way, so every machine gets the same answers.
 */
import { jsBackend, gemmJs } from "./js";
import type { Backend, BackendName, Flat } from "./kernel";
import { loadNative, locateBlas } from "./native";
import { loadWasm } from "./wasm";

const ORDER: BackendName[] = ["native", "wasm", "js"];
const loaded = new Map<BackendName, Backend | string>();
let active: Backend | undefined;

/** The backend by name, loading it on first use, or the reason it is not available here. */
export function loadBackend(name: BackendName): Backend | string {
  let b = loaded.get(name);
  if (b === undefined) {
    b = name === "native" ? loadNative() : name === "wasm" ? loadWasm() : jsBackend;
    loaded.set(name, b);
  }
  return b;
}

/** The backend in use (chosen on the first call). */
export function activeBackend(): Backend {
  if (active) return active;
  const forced = process.env.GRADLAB_BACKEND as BackendName | undefined;
  const order = forced && ORDER.includes(forced) ? [forced, ...ORDER.filter((n) => n !== forced)] : ORDER;
  for (const name of order) {
    const b = loadBackend(name);
    if (typeof b !== "string") return (active = b);
  }
  return (active = jsBackend);
}

/** Forces a backend for the rest of the process (tests, benchmarks); returns the one it replaced. */
export function setBackend(name: BackendName): Backend {
  const b = loadBackend(name);
  if (typeof b === "string") throw new Error(`backend '${name}' is not available: ${b}`);
  const before = activeBackend();
  active = b;
  return before;
}

/** The active backend and why the others are not in use: for `gradlab bench` and the kernel's banner. */
export function backendInfo(): { active: BackendName; detail: string; unavailable: Partial<Record<BackendName, string>> } {
  const b = activeBackend();
  const unavailable: Partial<Record<BackendName, string>> = {};
  for (const [name, v] of loaded) if (typeof v === "string") unavailable[name] = v;
  return { active: b.name, detail: b.detail, unavailable };
}

/** Below this many multiply-adds a call into a BLAS or WebAssembly costs more than the loops save. */
const SMALL = 4096;

/**
 * gemm (see kernel.ts) on the active backend; tiny products, empty ones and mixed dtypes (float32 with
 * float64, or plain arrays) stay in the js loops, which take any ArrayLike.
 */
export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  A: ArrayLike<number>, ao: number, lda: number, B: ArrayLike<number>, bo: number, ldb: number,
  beta: number, C: Flat, co: number, ldc: number,
): void {
  if (m === 0 || n === 0) return;
  const sameType = C instanceof Float64Array
    ? A instanceof Float64Array && B instanceof Float64Array
    : A instanceof Float32Array && B instanceof Float32Array;
  if (k === 0 || m * n * k < SMALL || !sameType) {
    gemmJs(transA, transB, m, n, k, alpha, A, ao, lda, B, bo, ldb, beta, C, co, ldc);
    return;
  }
  activeBackend().gemm(transA, transB, m, n, k, alpha, A as Flat, ao, lda, B as Flat, bo, ldb, beta, C, co, ldc);
}

/**
 * What will run the matrix products, said without loading any backend (the kernel's banner: its
 * start must not pay for koffi or WebAssembly). Once a product has run, the backend actually chosen.
 */
export function plannedBackend(): string {
  if (active) return `${active.name} (${active.detail})`;
  const forced = process.env.GRADLAB_BACKEND;
  if (forced && ORDER.includes(forced as BackendName)) return `${forced} (forced by GRADLAB_BACKEND; falls back if it cannot load)`;
  const blas = locateBlas();
  return blas ? `native (${blas}) when it loads, else wasm` : "wasm (no BLAS found), else js";
}
