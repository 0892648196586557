// %% [markdown]
// # 3. Full-batch vs mini-batch gradient descent
//
// A linear regression, $f(x, w) = w \cdot x$, trained on the squared error
//
// $$ L(w) = \sum_{k} \left| y_k - w \cdot x_k \right|^2 . $$
//
// We derive its gradient by hand, check the hand-derived update rule against the library's automatic
// differentiation, and then compare two ways of using it: one step per pass over **all** the data
// (full batch) or one step per small random **mini-batch**.

// %%
import { Tensor, tensor, Random, relError, plot, assertClose } from "gradlab";

// %% [markdown]
// ## Data
//
// 200 points $x_k \in \mathbb{R}^3$ from a seeded generator, and targets from a known weight vector
// $w_\text{true} = (2, -3, 0.5)$ plus a little noise ($\sigma = 0.1$). Training should find $w_\text{true}$ again.

// %%
const N = 200, D = 3;
const X = Tensor.randn([N, D], 0);
const wTrue = tensor([2, -3, 0.5]);
const y = X.matmul(wTrue).add(Tensor.randn([N], 1).mul(0.1));
console.log(`X: ${X.shape.join("×")}, y: ${y.shape.join("×")}`);

// %% [markdown]
// ## The gradient by hand
//
// Write the residual of example $k$ as $\delta_k = y_k - w \cdot x_k$. Then
//
// $$ \frac{\partial L}{\partial w_j} = \sum_k 2 \delta_k \, \frac{\partial \delta_k}{\partial w_j} = -2 \sum_k \delta_k \, x_{kj}, $$
//
// and a gradient-descent step $w_j \leftarrow w_j - \eta \, \partial L / \partial w_j$ becomes the update rule
//
// $$ \boxed{\; w_j \leftarrow w_j + 2\eta \sum_k \delta_k \, x_{kj} \;} $$
//
// In matrix form, $\nabla_w L = -2 X^\top \delta$. The library computes the same gradient by
// backpropagation through `sub`, `square` and `sum`:

// %%
const manualGradient = (w: Tensor, Xb: Tensor, yb: Tensor) => Xb.T.matmul(yb.sub(Xb.matmul(w))).mul(-2);

const w0 = tensor([0.5, 0.5, 0.5]).requireGrad();
const L0 = y.sub(X.matmul(w0)).square().sum();
L0.backward();
const byHand = manualGradient(w0.detach(), X, y);
console.log("autodiff ∇L:", w0.grad!.toFlat().map((v) => v.toFixed(4)).join(", "));
console.log("by hand  ∇L:", byHand.toFlat().map((v) => v.toFixed(4)).join(", "));
assertClose("relative error, hand-derived vs autodiff gradient", relError(w0.grad!, byHand), 0, 1e-12);

// %% [markdown]
// ## Two ways to take steps
//
// * **Full batch**: sum over all $N$ examples, one step per pass (*epoch*).
// * **Mini-batch**: shuffle the examples each epoch, cut them into batches of $B = 20$, one step per batch
//   (10 steps per epoch), each with the same rule summed over the batch only.
//
// The slide writes both losses as means, so that one learning rate serves both:
//
// $$ \text{full batch: } L = \frac1N \sum_{i=1}^{N} L\big(f(x_i, W), y_i\big), \qquad
//    \text{mini-batch: } L = \frac1M \sum_{i \in B} L\big(f(x_i, W), y_i\big), $$
//
// with $M = |B|$ the mini-batch's size. Here $L(f(x_i, w), y_i) = (y_i - w \cdot x_i)^2$, so the
// gradient is the one above divided by $N$ or $M$, and the rule becomes
// $w_j \leftarrow w_j + \frac{2\eta}{M} \sum_{k \in B} \delta_k x_{kj}$ with $\eta = 0.05$ ($M = N$ for the full batch).
// Both runs see every example exactly once per epoch, so an epoch costs the same arithmetic.

// %%
const meanLoss = (w: Tensor) => y.sub(X.matmul(w)).square().mean().item();

function train(batchSize: number, epochs: number, lr: number, seed: number) {
  const rng = new Random(seed);
  let w = Tensor.zeros([D]);
  const losses = [meanLoss(w)];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = batchSize === N ? Array.from({ length: N }, (_, i) => i) : rng.permutation(N);
    for (let start = 0; start < N; start += batchSize) {
      const batch = order.slice(start, start + batchSize);
      const Xb = X.take(batch), yb = y.take(batch);
      w = w.sub(manualGradient(w, Xb, yb).mul(lr / batch.length));   // the update rule
    }
    losses.push(meanLoss(w));
  }
  return { w, losses };
}

const full = train(N, 30, 0.05, 7);
const mini = train(20, 30, 0.05, 7);
console.log(`full batch after 30 epochs: w = [${full.w.toFlat().map((v) => v.toFixed(3))}], loss ${full.losses[30].toFixed(5)}`);
console.log(`mini-batch after 30 epochs: w = [${mini.w.toFlat().map((v) => v.toFixed(3))}], loss ${mini.losses[30].toFixed(5)}`);

// %%
const rows = [
  ...full.losses.map((loss, epoch) => ({ epoch, loss, method: "full batch (1 step / epoch)" })),
  ...mini.losses.map((loss, epoch) => ({ epoch, loss, method: "mini-batch B=20 (10 steps / epoch)" })),
];
plot.lineChart(rows, { x: "epoch", y: "loss", series: "method", logY: true, title: "Mean squared error on all 200 points" });

// %% [markdown]
// For the same number of passes over the data, mini-batches make **ten times as many steps**, each
// with a noisier estimate of the gradient. Here that wins by a wide margin: the mini-batch run reaches
// the noise floor ($\sigma^2 \approx 0.01$) within a few epochs, while full batch is still on its way.
// The full-batch curve is smooth and falls every epoch; the mini-batch one wobbles near the floor,
// because each step follows only 20 examples.

// %%
full.losses.slice(1).forEach((l, i) => {
  if (!(l < full.losses[i])) throw new Error(`full-batch loss rose at epoch ${i + 1}`);
});
if (!(mini.losses[30] < full.losses[30])) throw new Error("mini-batch should be ahead after 30 epochs");
assertClose("mini-batch: distance of w from w_true", mini.w.sub(wTrue).square().sum().sqrt().item(), 0, 0.05);
assertClose("mini-batch: final loss near the noise floor 0.01", mini.losses[30], 0.01, 0.5);

// %% [markdown]
// ## Summary
//
// * The squared-error gradient by hand, $\nabla_w L = -2 X^\top \delta$, is what autodiff computes.
// * Full batch: one exact step per epoch, $L = \frac1N \sum$; mini-batch: many noisy steps, $L = \frac1M \sum$
//   over the batch. For the same arithmetic, mini-batches got much further here.
//
// ## Exercise
//
// Vary the batch size: try 1, 5, 50 and 200 (full batch) with the same learning rate and 30 epochs.
// Which reaches the noise floor first? Which curve is the noisiest?

// %% tags=["exercise"]
for (const batchSize of [1, 5, 50, 200]) {
  const run = train(batchSize, 30, 0.05, 7);
  console.log(`batch size ${String(batchSize).padStart(3)}: loss after 30 epochs ${run.losses[30].toFixed(5)}`);
}
