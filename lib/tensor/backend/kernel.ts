/**
 * What every matrix-product backend implements: BLAS's gemm on row-major typed arrays,
 * C ← alpha·op(A)·op(B) + beta·C, with op(X) = X or Xᵀ and leading dimensions (row strides) for each
 * operand. One signature for all, so the js reference, WebAssembly and the machine's BLAS can be
 * swapped and tested against each other on the same calls (transposes and strided views included).
 */
export type Flat = Float64Array | Float32Array;

export type BackendName = "native" | "wasm" | "js";

/**
 * op(A) is m×k, op(B) is k×n, C is m×n. A element (i, p) is A[ao + i·lda + p], or A[ao + p·lda + i]
 * when transA; likewise B with ldb; C element (i, j) is C[co + i·ldc + j]. A, B and C have one dtype.
 * With beta = 0, C is overwritten (NaNs in it do not survive), as in BLAS.
 */
export type Gemm = (
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  A: Flat, ao: number, lda: number, B: Flat, bo: number, ldb: number,
  beta: number, C: Flat, co: number, ldc: number,
) => void;

export interface Backend {
  readonly name: BackendName;
  /** A short description for banners, e.g. the BLAS library's path. */
  readonly detail: string;
  readonly gemm: Gemm;
}
