/**
 * The matrix products of a CS231n-sized network in float64, in GFLOP/s: a square 512² product, the
 * forward of the first layer (200×3072 · 3072×100) and the two transposed products its backward needs,
 * read in place: Xᵀ·dH (gemm-tn, the weight gradient) and dH·W1ᵀ (gemm-nt, the input gradient).
 * gemm-512 also runs on TensorFlow.js (float32, its only float dtype there).
 */
import { ops, Tensor } from "../../lib";
import { gradlabImpls } from "../backends";
import { numpyImpl } from "../python";
import { tfjsImpls } from "../tfjs";
import { Workload } from "../types";

type Op = "nn" | "tn" | "nt";

/** op(A) is m×k, op(B) k×n; returns the job for one product through the public ops. */
function job(op: Op, m: number, k: number, n: number): () => { flops: number } {
  const A = Tensor.randn(op === "tn" ? [k, m] : [m, k], 1).data, B = Tensor.randn(op === "nt" ? [n, k] : [k, n], 2).data;
  const flops = 2 * m * n * k;
  if (op === "nn") return () => (ops.matmulNN(A, B, m, k, n), { flops });
  if (op === "nt") return () => (ops.matmulNT(A, B, m, k, n), { flops });
  // The weight gradient accumulates into its buffer, as Linear's backward does.
  const C = new Float64Array(m * n);
  return () => (ops.addMatmulTN(C, A, B, k, m, n), { flops });
}

function gemmWorkload(name: string, op: Op, m: number, k: number, n: number, what: string, tfjs = false): Workload {
  return {
    name,
    description: `float64 ${what}: ${m}x${k} · ${k}x${n}${op === "nn" ? "" : ` (${op === "tn" ? "Aᵀ·B" : "A·Bᵀ"}, transpose read in place)`}; GFLOP/s`,
    defaultRuns: 10,
    impls: [
      ...gradlabImpls(() => job(op, m, k, n), { warmup: 2 }),
      numpyImpl("matmul.py", ["--m", String(m), "--k", String(k), "--n", String(n), "--op", op]),
      ...(tfjs
        ? tfjsImpls((tf) => {
          const a = tf.randomNormal([m, k], 0, 1, "float32", 1), b = tf.randomNormal([k, n], 0, 1, "float32", 2);
          tf.keep(a);
          tf.keep(b);
          return () => (tf.matMul(a, b).dataSync(), { flops: 2 * m * n * k });
        })
        : []),
    ],
  };
}

export const workloads: Workload[] = [
  gemmWorkload("gemm-512", "nn", 512, 512, 512, "square product", true),
  gemmWorkload("gemm-200x3072x100", "nn", 200, 3072, 100, "first layer's forward X·W1"),
  gemmWorkload("gemm-tn", "tn", 3072, 200, 100, "first layer's weight gradient Xᵀ·dH"),
  gemmWorkload("gemm-nt", "nt", 200, 100, 3072, "first layer's input gradient dH·W1ᵀ"),
];
