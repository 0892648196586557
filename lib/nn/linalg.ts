/**
 * The three matrix products a dense layer needs, on flat row-major Float64Arrays. Written out here
 * (rather than transposing and calling matmul) so that backward never copies a transpose and every
 * inner loop walks memory contiguously.
 */

/** C[n,m] = A[n,k] · B[k,m] (forward: x · W). */
export function matmulNN(A: ArrayLike<number>, B: ArrayLike<number>, n: number, k: number, m: number): Float64Array {
  const C = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const ci = i * m, ai = i * k;
    for (let p = 0; p < k; p++) {
      const a = A[ai + p];
      if (a === 0) continue; // ReLU outputs are often exactly 0
      const bp = p * m;
      for (let j = 0; j < m; j++) C[ci + j] += a * B[bp + j];
    }
  }
  return C;
}

/** C[k,m] += A[n,k]ᵀ · B[n,m] (weight gradient: xᵀ · dout), accumulated into C. */
export function addMatmulTN(C: Float64Array, A: ArrayLike<number>, B: ArrayLike<number>, n: number, k: number, m: number): void {
  for (let p = 0; p < n; p++) {
    const ap = p * k, bp = p * m;
    for (let i = 0; i < k; i++) {
      const a = A[ap + i];
      if (a === 0) continue;
      const ci = i * m;
      for (let j = 0; j < m; j++) C[ci + j] += a * B[bp + j];
    }
  }
}

/** C[n,k] = A[n,m] · B[k,m]ᵀ (input gradient: dout · Wᵀ). */
export function matmulNT(A: ArrayLike<number>, B: ArrayLike<number>, n: number, m: number, k: number): Float64Array {
  const C = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const ai = i * m, ci = i * k;
    for (let j = 0; j < k; j++) {
      const bj = j * m;
      let s = 0;
      for (let p = 0; p < m; p++) s += A[ai + p] * B[bj + p];
      C[ci + j] = s;
    }
  }
  return C;
}
