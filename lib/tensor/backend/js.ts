/**
 * The js backend: gemm in plain TypeScript, the reference every other backend is tested against.
 * Each case walks memory contiguously in its inner loop and works on four rows (or four terms) at a
 * time, so one load of a B element feeds four multiply-adds (about 2.5x faster than plain loops in
 * V8). The order of additions into each element is fixed, so results are deterministic.
 */
import type { Backend, Flat } from "./kernel";

export function gemmJs(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  A: ArrayLike<number>, ao: number, lda: number, B: ArrayLike<number>, bo: number, ldb: number,
  beta: number, C: Flat, co: number, ldc: number,
): void {
  scaleC(C, co, ldc, m, n, beta);
  if (k === 0 || alpha === 0) return;
  if (!transA && !transB) nn(m, n, k, alpha, A, ao, lda, B, bo, ldb, C, co, ldc);
  else if (transA && !transB) tn(m, n, k, alpha, A, ao, lda, B, bo, ldb, C, co, ldc);
  else if (!transA && transB) nt(m, n, k, alpha, A, ao, lda, B, bo, ldb, C, co, ldc);
  else tt(m, n, k, alpha, A, ao, lda, B, bo, ldb, C, co, ldc);
}

export const jsBackend: Backend = { name: "js", detail: "TypeScript loops", gemm: gemmJs };

/** C ← beta·C over the m×n block; beta = 0 writes zeros (BLAS semantics: old NaNs do not survive). */
function scaleC(C: Flat, co: number, ldc: number, m: number, n: number, beta: number): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const r = co + i * ldc;
    if (beta === 0) C.fill(0, r, r + n);
    else for (let j = r; j < r + n; j++) C[j] *= beta;
  }
}

/** C += alpha·A·B, four rows of A per pass over a row of B. */
function nn(m: number, n: number, k: number, alpha: number, A: ArrayLike<number>, ao: number, lda: number, B: ArrayLike<number>, bo: number, ldb: number, C: Flat, co: number, ldc: number): void {
  // Each loop is a function of its own that ends with it: code after a loop that the first products
  // never ran has no type feedback, and reaching it would throw away the loop's compiled code.
  const blocked = m - (m % 4), narrow = n < NARROW && C instanceof Float64Array;
  if (blocked > 0) {
    if (narrow) nnNarrowBlocks(blocked, n, k, alpha, A, ao, lda, B, bo, ldb, C, co, ldc);
    else nnBlocks(blocked, n, k, alpha, A, ao, lda, B, bo, ldb, C, co, ldc);
  }
  if (blocked < m) {
    const rows = m - blocked, ar = ao + blocked * lda, cr = co + blocked * ldc;
    if (narrow) nnNarrowRows(rows, n, k, alpha, A, ar, lda, B, bo, ldb, C as Float64Array, cr, ldc);
    else nnRows(rows, n, k, alpha, A, ar, lda, B, bo, ldb, C, cr, ldc);
  }
}

function nnBlocks(m: number, n: number, k: number, alpha: number, A: ArrayLike<number>, ao: number, lda: number, B: ArrayLike<number>, bo: number, ldb: number, C: Flat, co: number, ldc: number): void {
  for (let i = 0; i < m; i += 4) {
    const c0 = co + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
    const a0 = ao + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    for (let p = 0; p < k; p++) {
      const x0 = alpha * A[a0 + p], x1 = alpha * A[a1 + p], x2 = alpha * A[a2 + p], x3 = alpha * A[a3 + p], bp = bo + p * ldb;
      for (let j = 0; j < n; j++) {
        const b = B[bp + j];
        C[c0 + j] += x0 * b;
        C[c1 + j] += x1 * b;
        C[c2 + j] += x2 * b;
        C[c3 + j] += x3 * b;
      }
    }
  }
}

function nnRows(m: number, n: number, k: number, alpha: number, A: ArrayLike<number>, ao: number, lda: number, B: ArrayLike<number>, bo: number, ldb: number, C: Flat, co: number, ldc: number): void {
  for (let i = 0; i < m; i++) {
    const ci = co + i * ldc, ai = ao + i * lda;
    for (let p = 0; p < k; p++) {
      const a = alpha * A[ai + p], bp = bo + p * ldb;
      for (let j = 0; j < n; j++) C[ci + j] += a * B[bp + j];
    }
  }
}

/**
 * Below this many columns of C, nn's inner loop (along a row of B) runs too few times to pay for
 * itself: a layer with 2 or 3 outputs, or its input gradient from 2 features.
 */
const NARROW = 4;

/**
 * nn's blocks for fewer than NARROW columns: four rows at a time, each element's sum down k kept in a register
 * rather than stored back into C at every term. The same terms are added in the same order as nn's
 * (C's old value, then alpha·a·b for p = 0, 1, ...), so the result is bit for bit nn's; for that,
 * float64 C only (nn rounds a float32 C at every term).
 */
function nnNarrowBlocks(m: number, n: number, k: number, alpha: number, A: ArrayLike<number>, ao: number, lda: number, B: ArrayLike<number>, bo: number, ldb: number, C: Float64Array, co: number, ldc: number): void {
  for (let i = 0; i < m; i += 4) {
    const c0 = co + i * ldc, c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
    const a0 = ao + i * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    for (let j = 0; j < n; j++) {
      let s0 = C[c0 + j], s1 = C[c1 + j], s2 = C[c2 + j], s3 = C[c3 + j];
      for (let p = 0, bp = bo + j; p < k; p++, bp += ldb) {
        const b = B[bp];
        s0 += alpha * A[a0 + p] * b;
        s1 += alpha * A[a1 + p] * b;
        s2 += alpha * A[a2 + p] * b;
        s3 += alpha * A[a3 + p] * b;
      }
      C[c0 + j] = s0;
      C[c1 + j] = s1;
      C[c2 + j] = s2;
      C[c3 + j] = s3;
    }
  }
}

function nnNarrowRows(m: number, n: number, k: number, alpha: number, A: ArrayLike<number>, ao: number, lda: number, B: ArrayLike<number>, bo: number, ldb: number, C: Float64Array, co: number, ldc: number): void {
  for (let i = 0; i < m; i++) {
    const ci = co + i * ldc, ai = ao + i * lda;
    for (let j = 0; j < n; j++) {
      let s = C[ci + j];
      for (let p = 0, bp = bo + j; p < k; p++, bp += ldb) s += alpha * A[ai + p] * B[bp];
      C[ci + j] = s;
    }
  }
}

/** C += alpha·Aᵀ·B (a weight gradient), four rows of A and B (four terms of the sum) per pass. */
function tn(m: number, n: number, k: number, alpha: number, A: ArrayLike<number>, ao: number, lda: number, B: ArrayLike<number>, bo: number, ldb: number, C: Flat, co: number, ldc: number): void {
  let p = 0;
  for (; p + 3 < k; p += 4) {
    const a0 = ao + p * lda, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    const b0 = bo + p * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
    for (let i = 0; i < m; i++) {
      const x0 = alpha * A[a0 + i], x1 = alpha * A[a1 + i], x2 = alpha * A[a2 + i], x3 = alpha * A[a3 + i], ci = co + i * ldc;
      for (let j = 0; j < n; j++) C[ci + j] += x0 * B[b0 + j] + x1 * B[b1 + j] + x2 * B[b2 + j] + x3 * B[b3 + j];
    }
  }
  for (; p < k; p++) {
    const ap = ao + p * lda, bp = bo + p * ldb;
    for (let i = 0; i < m; i++) {
      const a = alpha * A[ap + i], ci = co + i * ldc;
      for (let j = 0; j < n; j++) C[ci + j] += a * B[bp + j];
    }
  }
}

/** C += alpha·A·Bᵀ (an input gradient): dot products of rows, four columns of C at a time. */
function nt(m: number, n: number, k: number, alpha: number, A: ArrayLike<number>, ao: number, lda: number, B: ArrayLike<number>, bo: number, ldb: number, C: Flat, co: number, ldc: number): void {
  for (let i = 0; i < m; i++) {
    const ai = ao + i * lda, ci = co + i * ldc;
    let j = 0;
    for (; j + 3 < n; j += 4) {
      const b0 = bo + j * ldb, b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = 0; p < k; p++) {
        const a = A[ai + p];
        s0 += a * B[b0 + p];
        s1 += a * B[b1 + p];
        s2 += a * B[b2 + p];
        s3 += a * B[b3 + p];
      }
      C[ci + j] += alpha * s0;
      C[ci + j + 1] += alpha * s1;
      C[ci + j + 2] += alpha * s2;
      C[ci + j + 3] += alpha * s3;
    }
    for (; j < n; j++) {
      const bj = bo + j * ldb;
      let s = 0;
      for (let p = 0; p < k; p++) s += A[ai + p] * B[bj + p];
      C[ci + j] += alpha * s;
    }
  }
}

/** C += alpha·Aᵀ·Bᵀ: rare (no gate needs it), so the plain triple loop. */
function tt(m: number, n: number, k: number, alpha: number, A: ArrayLike<number>, ao: number, lda: number, B: ArrayLike<number>, bo: number, ldb: number, C: Flat, co: number, ldc: number): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A[ao + p * lda + i] * B[bo + j * ldb + p];
      C[co + i * ldc + j] += alpha * s;
    }
  }
}
