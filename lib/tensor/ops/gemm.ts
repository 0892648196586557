/**
 * The matrix products a dense layer needs, on flat row-major arrays: C = A·B (the forward),
 * C += Aᵀ·B (a weight gradient) and C = A·Bᵀ (an input gradient). The transposed forms
 * read their operand in place, so backward never copies a transpose. All go through the backend
 * dispatcher (lib/tensor/backend): the machine's BLAS, WebAssembly, or the js loops.
 */
import { gemm } from "../backend/select";

/** C[n,m] = A[n,k] · B[k,m] (forward: x · W). */
export function matmulNN(A: ArrayLike<number>, B: ArrayLike<number>, n: number, k: number, m: number): Float64Array {
  const C = new Float64Array(n * m);
  gemm(false, false, n, m, k, 1, A, 0, k, B, 0, m, 0, C, 0, m);
  return C;
}

/** C[k,m] += A[n,k]ᵀ · B[n,m] (weight gradient: xᵀ · dout), accumulated into C. */
export function addMatmulTN(C: Float64Array, A: ArrayLike<number>, B: ArrayLike<number>, n: number, k: number, m: number): void {
  gemm(true, false, k, m, n, 1, A, 0, k, B, 0, m, 1, C, 0, m);
}

/** C[n,k] = A[n,m] · B[k,m]ᵀ (input gradient: dout · Wᵀ). */
export function matmulNT(A: ArrayLike<number>, B: ArrayLike<number>, n: number, m: number, k: number): Float64Array {
  const C = new Float64Array(n * k);
  gemm(false, true, n, k, m, 1, A, 0, m, B, 0, m, 0, C, 0, k);
  return C;
}
