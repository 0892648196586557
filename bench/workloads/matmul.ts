import { Tensor } from "../../lib";
import { gradlabImpls } from "../backends";
import { numpyImpl } from "../python";
import { Workload } from "../types";

/** A float64 256×256 matrix product (2·n³ flops): the kernel under every dense layer. */
const N = 256;

export const workload: Workload = {
  name: "matmul-256",
  description: `float64 ${N}x${N} @ ${N}x${N} (Tensor.matmul)`,
  defaultRuns: 10,
  impls: [
    ...gradlabImpls(() => {
      const a = Tensor.randn([N, N], 1), b = Tensor.randn([N, N], 2);
      return () => {
        a.matmul(b);
        return { flops: 2 * N ** 3 };
      };
    }, { warmup: 2 }),
    numpyImpl("matmul.py", ["--n", String(N)]),
  ],
};
