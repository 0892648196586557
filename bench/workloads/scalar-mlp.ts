/**
 * The Value engine on micrograd's demo: an MLP 2-16-16-1 (ReLU, last layer linear) on 100 two-moons
 * points, full batch, SVM hinge loss mean(relu(1 − y·score)) + 1e-4·Σp², forward + backward + SGD
 * per step; median ms per step, against micrograd's own engine (bench/python/micrograd_step.py).
 */
import { Random, Value } from "../../lib";
import { inProcess } from "../harness";
import { numpyImpl } from "../python";
import { Workload } from "../types";

const POINTS = 100, LR = 0.5;

/** Two interleaving half circles (sklearn's make_moons) with Gaussian noise 0.1, labels −1 and 1. */
export function moons(n: number, noise: number, seed: number): { X: number[][]; y: number[] } {
  const rng = new Random(seed), half = n >> 1, X: number[][] = [], y: number[] = [];
  for (let i = 0; i < half; i++) {
    const t = (Math.PI * i) / (half - 1);
    X.push([Math.cos(t) + noise * rng.normal(), Math.sin(t) + noise * rng.normal()]);
    y.push(-1);
  }
  for (let i = 0; i < n - half; i++) {
    const t = (Math.PI * i) / (n - half - 1);
    X.push([1 - Math.cos(t) + noise * rng.normal(), 1 - Math.sin(t) - 0.5 + noise * rng.normal()]);
    y.push(1);
  }
  return { X, y };
}

/** micrograd's MLP: per neuron, weights uniform in [−1, 1] and a zero bias. */
function mlp(sizes: number[], rng: Random): { layers: { w: Value[][]; b: Value[]; relu: boolean }[]; params: Value[] } {
  const params: Value[] = [];
  const layers = sizes.slice(1).map((out, l) => {
    const w = Array.from({ length: out }, () => Array.from({ length: sizes[l] }, () => new Value(rng.uniform(-1, 1))));
    const b = Array.from({ length: out }, () => new Value(0));
    for (let j = 0; j < out; j++) params.push(...w[j], b[j]);
    return { w, b, relu: l < sizes.length - 2 };
  });
  return { layers, params };
}

function setup(): () => object {
  const { X, y } = moons(POINTS, 0.1, 0);
  const model = mlp([2, 16, 16, 1], new Random(1337));
  return () => {
    let total: Value = new Value(0);
    for (let i = 0; i < X.length; i++) {
      let x: (Value | number)[] = X[i];
      for (const layer of model.layers) {
        x = layer.w.map((w, j) => {
          let act = layer.b[j];
          for (let k = 0; k < w.length; k++) act = act.add(w[k].mul(x[k]));
          return layer.relu ? act.relu() : act;
        });
      }
      total = total.add((x[0] as Value).mul(-y[i]).add(1).relu());
    }
    let reg: Value = new Value(0);
    for (const p of model.params) reg = reg.add(p.mul(p));
    const loss = total.mul(1 / POINTS).add(reg.mul(1e-4));
    loss.backward();
    for (const p of model.params) p.data -= LR * p.grad;
    return {};
  };
}

export const workload: Workload = {
  name: "scalar-mlp",
  description: `Value engine: micrograd's demo, MLP 2-16-16-1 on ${POINTS} two-moons points, hinge loss + L2, one SGD step; ms per step`,
  defaultRuns: 3, // micrograd takes ~2 s a step
  impls: [
    // The Value engine is plain TypeScript whatever the matrix-product backend, hence gradlab-js only.
    (() => {
      let job: (() => object) | undefined;
      return inProcess("gradlab-js", () => (job ??= setup())(), { warmup: 2 });
    })(),
    numpyImpl("micrograd_step.py", ["--points", String(POINTS), "--lr", String(LR)], "micrograd"),
  ],
};
