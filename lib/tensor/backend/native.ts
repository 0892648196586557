/**
 * The native backend: the machine's own BLAS (OpenBLAS, BLIS, MKL; Accelerate on macOS) called
 * through koffi, an FFI with prebuilt binaries (nothing to compile at install). Typed arrays are
 * passed as pointers, so there is no copy: a subarray view gives an operand's offset.
 * GRADLAB_BLAS=path chooses the library. Loading fails quietly (no BLAS, no koffi, or Node's
 * permission model refusing native addons as in the grader's sandbox): the caller then falls back.
 */
import { existsSync, realpathSync } from "fs";
import type { Backend, Flat } from "./kernel";

const ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

/** Libraries tried in order when GRADLAB_BLAS is not set: optimised BLASes only (the reference BLAS is slower than our own kernels). */
function candidates(): string[] {
  if (process.platform === "darwin") return ["/System/Library/Frameworks/Accelerate.framework/Accelerate"];
  if (process.platform === "win32") return ["libopenblas.dll", "mkl_rt.2.dll"];
  const list = ["libopenblas.so.0", "libopenblas.so", "libblis.so.4", "libblis.so.3", "libmkl_rt.so.2", "libmkl_rt.so"];
  // Debian's alternatives link: accepted only when it resolves to an optimised BLAS.
  for (const dir of ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib"]) {
    const p = `${dir}/libblas.so.3`;
    try {
      if (existsSync(p) && /openblas|blis|mkl/i.test(realpathSync(p))) list.push(p);
    } catch { /* unreadable: skip */ }
  }
  return list;
}

/**
 * The BLAS file the native backend would load, found without loading anything (for banners: the
 * kernel must not pay for koffi at start). Null when no candidate is on disk, which also covers
 * names resolved by the dynamic loader's cache alone.
 */
export function locateBlas(): string | null {
  const dirs = process.platform === "linux" ? ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/lib"] : [""];
  for (const name of process.env.GRADLAB_BLAS ? [process.env.GRADLAB_BLAS] : candidates()) {
    for (const dir of name.startsWith("/") ? [""] : dirs) {
      const path = dir ? `${dir}/${name}` : name;
      if (existsSync(path)) return path;
    }
  }
  return null;
}

type Cblas = (order: number, ta: number, tb: number, m: number, n: number, k: number, alpha: number,
  a: Flat, lda: number, b: Flat, ldb: number, beta: number, c: Flat, ldc: number) => void;

/** The native backend, or the reason it cannot be had here. */
export function loadNative(): Backend | string {
  let koffi: { load(path: string): { func(signature: string): unknown } };
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    koffi = require("koffi");
  } catch (e) {
    return `koffi cannot be loaded (${firstLine(e)})`;
  }
  const chosen = process.env.GRADLAB_BLAS;
  const tried: string[] = [];
  for (const path of chosen ? [chosen] : candidates()) {
    try {
      const lib = koffi.load(path);
      const dgemm = lib.func("void cblas_dgemm(int, int, int, int, int, int, double, const double *, int, const double *, int, double, double *, int)") as Cblas;
      const sgemm = lib.func("void cblas_sgemm(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int)") as Cblas;
      return { name: "native", detail: path, gemm: makeGemm(dgemm, sgemm) };
    } catch (e) {
      tried.push(`${path}: ${firstLine(e)}`);
    }
  }
  return `no BLAS with cblas_dgemm found (${tried.join("; ")})`;
}

function makeGemm(dgemm: Cblas, sgemm: Cblas): Backend["gemm"] {
  return (transA, transB, m, n, k, alpha, A, ao, lda, B, bo, ldb, beta, C, co, ldc) => {
    const f = C instanceof Float64Array ? dgemm : sgemm;
    // BLAS rejects leading dimensions below 1 (a 1-wide matrix may come with ld 0 from a caller).
    f(ROW_MAJOR, transA ? TRANS : NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, alpha,
      view(A, ao), Math.max(lda, 1), view(B, bo), Math.max(ldb, 1), beta, view(C, co), Math.max(ldc, 1));
  };
}

const view = (x: Flat, offset: number): Flat => (offset === 0 ? x : x.subarray(offset));
const firstLine = (e: unknown) => String((e as Error)?.message ?? e).split("\n")[0];
