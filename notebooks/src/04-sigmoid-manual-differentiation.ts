// %% [markdown]
// # 4. Manual differentiation with a non-linearity
//
// A linear model can only draw straight decision boundaries and its outputs are unbounded. Squashing
// the score through the **sigmoid** gives a number between 0 and 1 that reads as a probability:
//
// $$ \sigma(x) = \frac{1}{1 + e^{-x}}. $$
//
// To train through it we need its derivative, and it has a famously tidy one.

// %%
import { Tensor, tensor, SigmoidGate, numericGradient, relError, plot, assertClose } from "gradlab";

// %% [markdown]
// ## $\sigma'(x) = \sigma(x)\,(1 - \sigma(x))$
//
// $$ \sigma'(x) = \frac{e^{-x}}{(1 + e^{-x})^2}
//    = \underbrace{\frac{1}{1 + e^{-x}}}_{\sigma(x)} \cdot \underbrace{\frac{e^{-x}}{1 + e^{-x}}}_{1 - \sigma(x)}. $$
//
// So the backward pass needs no new exponential: it reuses the output $\sigma(x)$ cached by the forward
// pass. We compare the formula with the library's `SigmoidGate.backward` and with centred differences.

// %%
const sigma = (x: number) => 1 / (1 + Math.exp(-x));
const gate = new SigmoidGate<number>();   // <number>: a gate for plain numbers, so backward gives number[]
let worst = 0;
const rows: { x: number; value: number; curve: string }[] = [];
for (let x = -8; x <= 8; x += 0.25) {
  const s = gate.forward(x);
  const [fromGate] = gate.backward(1);
  const formula = s * (1 - s);
  const numeric = numericGradient(sigma, x);
  worst = Math.max(worst, relError(fromGate, formula), relError(fromGate, numeric));
  rows.push({ x, value: s, curve: "σ(x)" }, { x, value: formula, curve: "σ'(x) = σ(1 − σ)" });
}
assertClose("largest relative error of the gate's σ' (vs formula and centred differences)", worst, 0, 1e-7);
assertClose("σ'(0) = 1/4 (the steepest point)", (gate.forward(0), gate.backward(1)[0]), 0.25);
plot.lineChart(rows, { x: "x", y: "value", series: "curve", seriesOrder: ["σ(x)", "σ'(x) = σ(1 − σ)"], points: false, height: 300, title: "The sigmoid and its derivative" })

// %% [markdown]
// Two things to read off the plot: $\sigma'$ is at most $1/4$, so the sigmoid's own factor in the chain
// rule shrinks the gradient at least fourfold; through many layers these factors multiply (the
// *vanishing gradient*) unless the weights in between are large enough to make up for them; and far
// from 0 the sigmoid is flat, so a
// *saturated* unit learns almost nothing. The gate stays finite even at $x = \pm 1000$:

// %%
for (const x of [-1000, 1000]) {
  const s = gate.forward(x);
  const [d] = gate.backward(1);
  console.log(`σ(${x}) = ${s}, σ'(${x}) = ${d}`);
  if (!Number.isFinite(s) || !Number.isFinite(d)) throw new Error(`SigmoidGate overflows at ${x}`);
}

// %% [markdown]
// ## The sigmoid perceptron, differentiated by hand
//
// Prediction $\sigma_i = \sigma(w \cdot x_i)$ for example $i$ (with a constant feature $x_{i0} = 1$ for the bias),
// labels $y_i \in \{0, 1\}$, and the squared error $L = \sum_i (y_i - \sigma_i)^2$. With $\delta_i = y_i - \sigma_i$:
//
// $$ \frac{\partial L}{\partial w_j} = \sum_i 2 \delta_i \cdot (-1) \cdot \sigma_i (1 - \sigma_i) \cdot x_{ij}
//    \quad\Longrightarrow\quad
//    \boxed{\; w_j \leftarrow w_j + 2 \eta \sum_i \delta_i \, \sigma_i (1 - \sigma_i) \, x_{ij} \;} $$
//
// Compared with the linear regression of notebook 3 only the factor $\sigma_i (1 - \sigma_i)$ is new:
// the chain rule through the sigmoid.
//
// The data: two seeded Gaussian clouds of 50 points each, around $(-2, -1)$ (class 0) and $(2, 1)$ (class 1).

// %%
const n = 50;
const cloud = (cx: number, cy: number, seed: number) => Tensor.randn([n, 2], seed).add(tensor([cx, cy]));
const points = Tensor.concat([cloud(-2, -1, 1), cloud(2, 1, 2)]);
const labels = tensor([...Array(n).fill(0), ...Array(n).fill(1)]);
const X = Tensor.concat([Tensor.ones([2 * n, 1]), points], 1);   // x_i0 = 1: the bias feature
console.log(`X: ${X.shape.join("×")} (bias, x1, x2), labels: ${labels.shape}`);

const manualGradient = (w: Tensor) => {
  const s = X.matmul(w).sigmoid();
  const delta = labels.sub(s);
  return X.T.matmul(delta.mul(s).mul(s.neg().add(1))).mul(-2);   // -2 Σ δ_i σ_i (1 − σ_i) x_ij
};

// %% [markdown]
// ### The hand-derived gradient against the library's
//
// The library differentiates $L$ through `matmul`, `sigmoid`, `sub`, `square` and `sum` by backpropagation;
// the two must agree to rounding error.

// %%
const wProbe = tensor([0.1, -0.3, 0.2]).requireGrad();
labels.sub(X.matmul(wProbe).sigmoid()).square().sum().backward();
const byHand = manualGradient(wProbe.detach());
console.log("autodiff:", wProbe.grad!.toFlat().map((v) => v.toFixed(5)).join(", "));
console.log("by hand: ", byHand.toFlat().map((v) => v.toFixed(5)).join(", "));
assertClose("relative error, hand-derived vs autodiff", relError(wProbe.grad!, byHand), 0, 1e-12);

// %% [markdown]
// ### Training with the update rule

// %%
let w = Tensor.zeros([3]);
const eta = 0.01;
const losses: number[] = [];
for (let step = 0; step < 200; step++) {
  losses.push(labels.sub(X.matmul(w).sigmoid()).square().sum().item());
  w = w.sub(manualGradient(w).mul(eta));          // w_j ← w_j + 2η Σ δ_i σ_i (1 − σ_i) x_ij
}
const predict = (P: number[][]) => tensor(P).matmul(w.slice([1, 3])).add(w.get(0)).gt(0).toFlat();
const accuracy = predict(points.toArray()).filter((p, i) => p === labels.get(i)).length / (2 * n);
console.log(`w = [${w.toFlat().map((v) => v.toFixed(3))}], loss ${losses[0].toFixed(2)} → ${losses[199].toFixed(3)}, accuracy ${accuracy}`);
if (!(accuracy >= 0.95)) throw new Error(`the perceptron should separate the clouds (accuracy ${accuracy})`);
if (!(losses[199] < losses[0] / 5)) throw new Error("training should cut the loss at least fivefold");
plot.decisionBoundary(predict, points, labels, { title: `Sigmoid perceptron after 200 steps: accuracy ${accuracy}`, width: 420, height: 420, resolution: 120 })

// %% [markdown]
// ## Summary
//
// * $\sigma'(x) = \sigma(x)(1 - \sigma(x)) \le \tfrac14$, computed stably even at $\pm 1000$.
// * The sigmoid perceptron's update rule $w_j \leftarrow w_j + 2\eta \sum_i \delta_i \sigma_i (1-\sigma_i) x_{ij}$
//   is the chain rule written out, and matches autodiff.
//
// ## Exercise
//
// Where does $\sigma'(x)$ fall below $1/100$? Find the smallest $x > 0$ with $\sigma'(x) < 0.01$ (to 0.01),
// then check your answer with the formula $\sigma' = \sigma(1 - \sigma)$ solved for $\sigma$.

// %% tags=["exercise"]
let exX = 0;
while (sigma(exX) * (1 - sigma(exX)) >= 0.01) exX += 0.01;
console.log(`σ'(x) < 0.01 from x ≈ ${exX.toFixed(2)}`);
