/**
 * The full numeric gradient of a small TwoLayerNet (D=64, H=32, C=10, N=20, float64), as assignment 1
 * checks it: every parameter perturbed by ±h with a loss evaluation each (2·2410 forward and backward
 * passes); ms for the whole check. Many small products, so this measures per-call overheads.
 */
import { nn, numericGradient, Tensor } from "../../lib";
import { gradlabImpls } from "../backends";
import { numpyImpl } from "../python";
import { Workload } from "../types";

const D = 64, H = 32, C = 10, N = 20;

function setup(): () => object {
  const model = new nn.TwoLayerNet(D, H, C, { weightScale: 1e-1, reg: 0.1, seed: 0 });
  const X = Tensor.randn([N, D], 1), y = Int32Array.from({ length: N }, (_, i) => i % C);
  return () => {
    for (const p of Object.values(model.params)) numericGradient(() => model.loss(X, y).loss, p);
    return {};
  };
}

export const workload: Workload = {
  name: "gradcheck-twolayer",
  description: `numeric gradient of every parameter of a TwoLayerNet ${D}-${H}-${C}, N=${N} (2 loss evaluations each); ms`,
  defaultRuns: 3,
  impls: [
    ...gradlabImpls(setup, { warmup: 0 }), // 4820 loss evaluations a run: V8 is warm after the first few
    numpyImpl("gradcheck_twolayer.py", ["--d", String(D), "--h", String(H), "--c", String(C), "--n", String(N)]),
  ],
};
