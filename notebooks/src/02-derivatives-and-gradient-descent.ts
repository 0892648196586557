// %% [markdown]
// # 2. Derivatives and gradient descent
//
// Training a network means moving its weights downhill on the loss. "Downhill" is the negative
// **gradient**; this notebook builds it up from the definition of the derivative, measures how well
// finite differences approximate it, and then walks downhill on a 2-D function.

// %%
import { Value, plot, assertClose } from "gradlab";


// %% [markdown]
// ## The limit definition
//
// $$ f'(x) = \lim_{h \to 0} \frac{f(x + h) - f(x)}{h}. $$
//
// A computer cannot take the limit, but it can pick a small $h$. Two recipes:
//
// * **forward difference** $\;\dfrac{f(x+h) - f(x)}{h}\;$: by Taylor, its error is $\tfrac{h}{2} |f''(x)| + O(h^2)$ (first order);
// * **centred difference** $\;\dfrac{f(x+h) - f(x-h)}{2h}\;$: the $f''$ terms cancel, the error is $\tfrac{h^2}{6} |f'''(x)| + O(h^4)$ (second order).
//
// Both also suffer from **rounding**: $f(x+h) - f(x)$ loses digits when $h$ is tiny (about
// $\varepsilon_\text{mach} / h$ with $\varepsilon_\text{mach} \approx 2.2 \cdot 10^{-16}$). We measure both on
// $f(x) = \sin x$ at $x = 1$, where the exact answer is $\cos 1$.

// %%
const f = Math.sin, x0 = 1, exact = Math.cos(1);
const forward = (h: number) => (f(x0 + h) - f(x0)) / h;
const centred = (h: number) => (f(x0 + h) - f(x0 - h)) / (2 * h);
const hs = Array.from({ length: 29 }, (_, i) => 10 ** (-1 - i / 2));   // 1e-1 ... 1e-15
const errors = hs.flatMap((h) => [
  { h, error: Math.abs(forward(h) - exact), method: "forward difference" },
  { h, error: Math.abs(centred(h) - exact), method: "centred difference" },
]).filter((r) => r.error > 0);
plot.lineChart(errors, { x: "h", y: "error", series: "method", logX: true, logY: true, xTicks: [1e-15, 1e-13, 1e-11, 1e-9, 1e-7, 1e-5, 1e-3, 1e-1],
  title: "Error of finite differences for sin'(1)" });

// %% [markdown]
// Read the plot from the right (large $h$) to the left:
//
// * the forward difference's error falls with slope 1 (10× smaller $h$, 10× smaller error), the centred
//   one with slope 2 (100× smaller error): the Taylor prediction;
// * below an optimal $h$ rounding takes over and the error *grows* again like $\varepsilon / h$.
//   The optimum is near $\sqrt{\varepsilon} \approx 10^{-8}$ for the forward difference and near
//   $\sqrt[3]{\varepsilon} \approx 10^{-5}$ for the centred one, which is why gradient checks use
//   centred differences with $h \approx 10^{-5}$.

// %%
assertClose("forward error at h=1e-3 (≈ h/2·sin 1)", Math.abs(forward(1e-3) - exact), 0.5e-3 * Math.sin(1), 1e-2);
assertClose("centred error at h=1e-3 (≈ h²/6·cos 1)", Math.abs(centred(1e-3) - exact), 1e-6 / 6 * Math.cos(1), 1e-2);
const best = (method: string) => errors.filter((r) => r.method.startsWith(method)).reduce((a, r) => (r.error < a.error ? r : a));
const bestForward = best("forward"), bestCentred = best("centred");
console.log(`best forward h = ${bestForward.h.toExponential(0)} (error ${bestForward.error.toExponential(1)})`);
console.log(`best centred h = ${bestCentred.h.toExponential(0)} (error ${bestCentred.error.toExponential(1)})`);
if (!(bestForward.h >= 1e-9 && bestForward.h <= 1e-7)) throw new Error(`forward optimum at h=${bestForward.h}, expected near 1e-8`);
if (!(bestCentred.h >= 1e-6 && bestCentred.h <= 1e-4)) throw new Error(`centred optimum at h=${bestCentred.h}, expected near 1e-5`);
if (!(bestCentred.error < bestForward.error / 100)) throw new Error("the centred difference should be far more accurate");

// %% [markdown]
// ## The gradient is the direction of steepest ascent
//
// For a function of several variables the gradient collects the partial derivatives,
// $\nabla f = (\partial f / \partial x, \partial f / \partial y)$. The slope of $f$ in a direction $u$
// (a unit vector) is the **directional derivative** $D_u f = \nabla f \cdot u = |\nabla f| \cos\theta$,
// largest when $u$ points along $\nabla f$ ($\theta = 0$), where it equals $|\nabla f|$.
//
// We take the elongated bowl $f(x, y) = \tfrac12 x^2 + 5 y^2$, compute its gradient at $(2, 1)$ with the
// library's reverse-mode autodiff (`Value`), and check it by trying 360 directions.

// %%
const bowl = (x: number, y: number) => 0.5 * x * x + 5 * y * y;

/** ∇f at (x, y) by reverse-mode autodiff on Values. */
function gradient(x: number, y: number): [number, number] {
  const X = new Value(x, "x"), Y = new Value(y, "y");
  const F = X.mul(X).mul(0.5).add(Y.mul(Y).mul(5));
  F.backward();
  return [X.grad, Y.grad];
}

const [gx, gy] = gradient(2, 1);
assertClose("∂f/∂x at (2, 1)", gx, 2);
assertClose("∂f/∂y at (2, 1)", gy, 10);
const slopes = Array.from({ length: 360 }, (_, deg) => {
  const t = (deg * Math.PI) / 180, h = 1e-6;
  return { deg, slope: (bowl(2 + h * Math.cos(t), 1 + h * Math.sin(t)) - bowl(2 - h * Math.cos(t), 1 - h * Math.sin(t))) / (2 * h) };
});
const steepest = slopes.reduce((a, s) => (s.slope > a.slope ? s : a));
// The best of 360 whole degrees misses ∇f's direction (78.69°) by 0.31°, so it is within 2e-5 of |∇f|.
assertClose("steepest slope over 360 directions (= |∇f| = √104)", steepest.slope, Math.hypot(2, 10), 1e-4);
assertClose("its direction in degrees (= atan2(10, 2))", steepest.deg, Math.round((Math.atan2(10, 2) * 180) / Math.PI), 0);
plot.gradientField(bowl, { x: [-5, 5], y: [-2.5, 2.5], arrows: 12, resolution: 40, width: 520, height: 260, title: "f(x,y) = x²/2 + 5y² and the arrows of −∇f" })

// %% [markdown]
// ## Gradient descent
//
// Step against the gradient, with a **learning rate** $\eta$:
//
// $$ (x, y) \leftarrow (x, y) - \eta \, \nabla f(x, y). $$
//
// On our bowl $\nabla f = (x, 10y)$, so each step multiplies $x$ by $(1 - \eta)$ and $y$ by $(1 - 10\eta)$.
// The steep direction ($y$) limits the learning rate: for $\eta > 2/10$ the factor $|1 - 10\eta|$ exceeds 1
// and the iterates **diverge**; just below it they zig-zag across the valley.

// %%
function descend(lr: number, steps: number, start: [number, number] = [-4.5, 2]) {
  const path: [number, number][] = [start];
  for (let k = 0; k < steps; k++) {
    const [x, y] = path[path.length - 1];
    const [dx, dy] = gradient(x, y);
    path.push([x - lr * dx, y - lr * dy]);
  }
  return path;
}

const rates = [0.02, 0.1, 0.19, 0.205];
/** One colour per learning rate, the same in the paths and the loss curves below. */
const RATE_COLOURS = ["#ff7f0e", "#17becf", "#e41a1c", "#000000"];
const runs = rates.map((lr) => ({ lr, path: descend(lr, 30) }));
for (const { lr, path } of runs) {
  // The closed form x_k = x0 (1 - lr)^k, y_k = y0 (1 - 10 lr)^k checks the autodiff gradients along the way.
  const [x, y] = path[30];
  assertClose(`η=${lr}: x after 30 steps`, x, -4.5 * (1 - lr) ** 30, 1e-9);
  assertClose(`η=${lr}: y after 30 steps`, y, 2 * (1 - 10 * lr) ** 30, 1e-9);
}

// %% [markdown]
// All four paths over the contours of $f$. A plot is a Vega-Lite specification (plain JSON), so we can
// take the library's contour plot and add one more layer: the paths, one colour per learning rate.

// %%
const contours = plot.contourPlot(bowl, {
  x: [-5, 5], y: [-2.5, 2.5], levels: 10, resolution: 40, width: 640, height: 320,
  title: "30 steps of gradient descent from (−4.5, 2)",
});
const pathRows = runs.flatMap(({ lr, path }) =>
  path.map(([x, y], step) => ({ x, y, step, rate: `η = ${lr}` })).filter((p) => Math.abs(p.y) <= 2.5));
const pathLayer = {
  data: { values: pathRows },
  mark: { type: "line", strokeWidth: 3, point: { size: 40 }, clip: true },
  encoding: {
    x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" },
    order: { field: "step", type: "quantitative" },
    color: { field: "rate", type: "nominal", title: "learning rate", scale: { range: RATE_COLOURS } },
  },
};
plot.makePlot({
  ...contours,
  layer: [...(contours as { layer: object[] }).layer, pathLayer],
  resolve: { scale: { color: "independent" } },   // f's colour map and the paths' colours are separate scales
  config: { axis: { grid: false, labelFontSize: 14, titleFontSize: 16 }, legend: { labelFontSize: 14, titleFontSize: 14 }, title: { fontSize: 18 } },
} as never, "gradient descent paths for four learning rates")

// %% [markdown]
// * $\eta = 0.02$: safe but slow; after 30 steps it has not reached the bottom in $x$.
// * $\eta = 0.1$: $y$ is solved in one step ($1 - 10\eta = 0$), $x$ shrinks by 0.9 per step.
// * $\eta = 0.19$: $y$ flips sign every step (factor $-0.9$): the zig-zag of a too-large step.
// * $\eta = 0.205$: factor $-1.05$: the iterates leave the valley. Diverging training looks like this.
//
// The loss curves of all four on one (log-scale) plot:

// %%
const curves = runs.flatMap(({ lr, path }) => path.map(([x, y], step) => ({ step, loss: bowl(x, y), rate: `η = ${lr}` })));
const finalLoss = (lr: number) => bowl(...runs.find((r) => r.lr === lr)!.path[30]);
if (!(finalLoss(0.1) < finalLoss(0.02) && finalLoss(0.205) > bowl(-4.5, 2))) throw new Error("learning-rate story does not hold");
plot.lineChart(curves, { x: "step", y: "loss", series: "rate", logY: true, yFormat: "~g", colors: RATE_COLOURS, title: "Loss against step for four learning rates" });

// %% [markdown]
// ## Summary
//
// * The derivative is the limit of difference quotients; centred differences are accurate to $O(h^2)$
//   until rounding takes over.
// * The gradient points uphill the steepest, with slope $|\nabla f|$; gradient descent steps against it.
// * The learning rate must fit the steepest direction: too small is slow, above $2/10$ here it diverges.
//
// ## Exercise
//
// Start gradient descent from another point, for example $(3, -2)$, with $\eta = 0.1$. How many steps does
// it take until $f < 10^{-6}$? Predict the answer from the factors $(1 - \eta)$ and $(1 - 10\eta)$ first.

// %% tags=["exercise"]
const exPath = descend(0.1, 200, [3, -2]);
const exSteps = exPath.findIndex(([x, y]) => bowl(x, y) < 1e-6);
console.log(`η = 0.1 from (3, −2): f < 1e-6 after ${exSteps} steps`);
