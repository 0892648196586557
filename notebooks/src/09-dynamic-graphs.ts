// %% [markdown]
// # 9. Dynamic graphs and differentiable programming
//
// In notebooks 5 to 8 the graph was declared first and run later (*define-then-run*, like TensorFlow 1
// or Caffe). PyTorch popularised the other way: the graph is **recorded while the program runs**
// (*define-by-run*). Ordinary `for` loops and `if` statements then decide the graph's shape, and anything
// you can write as a program becomes differentiable.
//
// gradlab's `Tensor` works like PyTorch's: a tensor created with `requireGrad()` records every operation
// that uses it, and `backward()` walks the recorded graph in reverse.

// %%
import { Tensor, Value, gradcheck, relError, assertClose } from "gradlab";

// %% [markdown]
// ## The slide: one step of a recurrent network
//
// ```python
// import torch
// from torch.autograd import Variable
// x      = Variable(torch.randn(1, 20))
// prev_h = Variable(torch.randn(1, 20))
// W_h    = Variable(torch.randn(20, 20))
// W_x    = Variable(torch.randn(20, 20))
// i2h = torch.mm(W_x, x.t())
// h2h = torch.mm(W_h, prev_h.t())
// next_h = i2h + h2h
// next_h = next_h.tanh()
// next_h.backward(torch.ones(1, 20))
// ```
//
// The same in TypeScript, with a seeded generator so that every run gives the same numbers. (`next_h`
// has shape 20×1; the old PyTorch on the slide accepted `ones(1, 20)` for it, we pass ones of its own shape.)

// %%
const x = Tensor.randn([1, 20], 1).requireGrad();
const prevH = Tensor.randn([1, 20], 2).requireGrad();
const Wh = Tensor.randn([20, 20], 3).requireGrad();
const Wx = Tensor.randn([20, 20], 4).requireGrad();

const i2h = Wx.matmul(x.T);
const h2h = Wh.matmul(prevH.T);
let nextH = i2h.add(h2h);
nextH = nextH.tanh();
nextH.backward(Tensor.ones(nextH.shape));
console.log(`next_h: ${nextH.shape.join("×")}, W_h.grad: ${Wh.grad!.shape.join("×")}, W_x.grad: ${Wx.grad!.shape.join("×")}`);

// %% [markdown]
// Backpropagating ones through $h' = \tanh(W_x x^\top + W_h h^\top)$ gives, with $d = 1 - h'^2$ (the tanh
// derivative, one entry per unit),
//
// $$ \frac{\partial L}{\partial W_h} = d \, h, \qquad \frac{\partial L}{\partial W_x} = d \, x, \qquad
//    \frac{\partial L}{\partial h} = d^\top W_h, \qquad \frac{\partial L}{\partial x} = d^\top W_x, $$
//
// outer products and vector-matrix products. The recorded graph must give exactly these:

// %%
const d = nextH.detach().square().neg().add(1);   // 20×1
assertClose("W_h.grad vs d·h (relative error)", relError(Wh.grad!, d.matmul(prevH.detach())), 0, 1e-12);
assertClose("W_x.grad vs d·x (relative error)", relError(Wx.grad!, d.matmul(x.detach())), 0, 1e-12);
assertClose("prev_h.grad vs dᵀ·W_h (relative error)", relError(prevH.grad!, d.T.matmul(Wh.detach())), 0, 1e-12);
assertClose("x.grad vs dᵀ·W_x (relative error)", relError(x.grad!, d.T.matmul(Wx.detach())), 0, 1e-12);

// %% [markdown]
// ## Loops: the same cell, unrolled in time
//
// A recurrent network applies the *same* weights at every time step. Written as a `for` loop, the
// recorded graph is as long as the sequence, and the gradient of the shared $W_h$ is the **sum** of its
// contributions from every step (the "gradients add at branches" rule, with the branches in time).

// %%
const T = 6;
const xs = Array.from({ length: T }, (_, t) => Tensor.randn([20, 1], 100 + t));
function rnnLoss(Wh: Tensor, Wx: Tensor): Tensor {
  let h = Tensor.zeros([20, 1]);
  for (let t = 0; t < T; t++) h = Wx.matmul(xs[t]).add(Wh.matmul(h)).tanh();   // the graph grows here
  return h.sum();
}
// Small weights keep the tanh units out of saturation so that every step matters.
const WhSmall = Tensor.randn([20, 20], 5).mul(0.2), WxSmall = Tensor.randn([20, 20], 6).mul(0.2);
const check = gradcheck(rnnLoss, [WhSmall, WxSmall]);
console.log(check.message);
if (!check.ok) throw new Error("gradients through the unrolled loop do not match finite differences");

// %% [markdown]
// ## Branches: only the path taken is recorded
//
// $$ f(x) = \begin{cases} x^2 & x > 0 \\ -3x & x \le 0 \end{cases} $$
//
// With define-by-run, the `if` runs on actual numbers, and only the operations of the chosen branch enter
// the graph, so the gradient is that branch's derivative: $2x$ on the right, $-3$ on the left.

// %%
const piecewise = (v: Value) => (v.data > 0 ? v.mul(v) : v.mul(-3));
for (const [at, expected] of [[2, 4], [-1, -3]]) {
  const v = new Value(at, "x");
  piecewise(v).backward();
  assertClose(`f'(${at})`, v.grad, expected);
}

// %% [markdown]
// ## A loop whose length depends on the data
//
// Heron's method computes $\sqrt{a}$ by repeating $y \leftarrow \tfrac12 (y + a / y)$ **until** $y^2$ is
// close enough to $a$. The number of iterations depends on $a$, so each input builds a different graph,
// yet backpropagating through all the iterations gives the derivative of the square root,
// $\frac{d\sqrt a}{da} = \frac{1}{2\sqrt a}$.

// %%
function heronSqrt(a: Value): { y: Value; iterations: number } {
  let y = new Value(1, "y0");
  let iterations = 0;
  while (Math.abs(y.data * y.data - a.data) > 1e-12 * a.data) {
    y = y.add(a.div(y)).mul(0.5);
    iterations++;
  }
  return { y, iterations };
}
for (const value of [2, 9, 1000]) {
  const a = new Value(value, "a");
  const { y, iterations } = heronSqrt(a);
  y.backward();
  console.log(`a = ${value}: ${iterations} iterations`);
  assertClose(`√${value} by Heron's loop`, y.data, Math.sqrt(value), 1e-12);
  assertClose(`d√a/da at a = ${value}, through the loop (= 1/(2√a))`, a.grad, 1 / (2 * Math.sqrt(value)), 1e-9);
}

// %% [markdown]
// Each iteration adds a division, an addition and a multiplication to the graph, and $a$ fans out into
// every iteration, so its gradient is a sum over iterations. Here is one iteration, drawn with values
// and gradients, and the size of the whole graph for each $a$:

// %%
const a1 = new Value(2, "a"), y0 = new Value(1, "y0");
const y1 = y0.add(a1.div(y0)).mul(0.5).named("y1");
y1.backward();
for (const value of [2, 9, 1000]) {
  const { y } = heronSqrt(new Value(value, "a"));
  console.log(`a = ${value}: the recorded graph has ${y.topologicalOrder().length} values`);
}
y1

// %% [markdown]
// ## Differentiable programming: aiming a simulation
//
// A program that simulates physics is differentiable too. A ball is thrown at 10 m/s with air drag;
// Euler steps of 0.02 s, until it falls below the ground, give where it lands. We want it to land at 6 m, so we minimise
// $(\text{landing} - 6)^2$ over the launch angle $\theta$ by **gradient descent through the simulation loop**.

// %%
function landing(theta: Value): Value {
  const dt = 0.02, drag = 0.1, g = 9.81;
  let px: Value = new Value(0), py: Value = new Value(0);
  let vx = theta.cos().mul(10), vy = theta.sin().mul(10);
  let prevX = px, prevY = py;
  for (let step = 0; step < 200 && (step === 0 || py.data > 0); step++) {
    [prevX, prevY] = [px, py];
    px = px.add(vx.mul(dt));
    py = py.add(vy.mul(dt));
    vx = vx.sub(vx.mul(drag * dt));
    vy = vy.sub(vy.mul(drag * dt)).sub(g * dt);
  }
  // Interpolate to the exact crossing of y = 0 between the last two steps. Without this, the landing
  // point would depend on θ only through a fixed number of steps, and its gradient would be wrong.
  return prevX.add(px.sub(prevX).mul(prevY.div(prevY.sub(py))));
}

// %%
let theta = 0.3;
const history: string[] = [];
for (let it = 0; it < 6; it++) {
  const t = new Value(theta, "θ");
  const miss = landing(t).sub(6);
  const loss = miss.mul(miss);
  loss.backward();
  history.push(`iteration ${String(it).padStart(2)}: θ = ${theta.toFixed(4)}, lands at ${(miss.data + 6).toFixed(3)} m`);
  theta -= 0.002 * t.grad;
}
console.log(history.join("\n"));
const finalLanding = landing(new Value(theta)).data;
console.log(`after 6 steps: θ = ${theta.toFixed(4)} rad (${((theta * 180) / Math.PI).toFixed(1)}°), lands at ${finalLanding.toFixed(4)} m`);
assertClose("landing point after gradient descent on θ", finalLanding, 6, 1e-3);

// %% [markdown]
// One subtlety, typical of differentiating programs: the loop stops at the first step below ground, and
// that *number of steps* is an integer, invisible to the gradient. Returning the position after the last
// step would give a landing point that, locally, depends on $\theta$ only through the velocity (a steeper
// throw then seems to land *shorter*), and gradient descent would walk the wrong way. Interpolating to the
// exact crossing of $y = 0$ makes the flight time, and with it the landing point, a smooth function of $\theta$.

// %% [markdown]
// ## Summary
//
// * Define-by-run records the graph while the program runs: loops, branches and data-dependent loops
//   are differentiated along the path actually taken.
// * The PyTorch slide's RNN step, an unrolled RNN, Heron's square root and a simulated throw all
//   backpropagate with the same `backward()`.
//
// ## Exercise
//
// Aim the throw at 8 m instead of 6 m: change `targetEx` and the number of steps until the landing
// point is within 1 cm. Does a larger learning rate help or hurt?

// %% tags=["exercise"]
const targetEx = 6;   // try 8
let thetaEx = 0.3;
for (let it = 0; it < 6; it++) {
  const t = new Value(thetaEx, "θ");
  const missEx = landing(t).sub(targetEx);
  missEx.mul(missEx).backward();
  thetaEx -= 0.002 * t.grad;
}
console.log(`θ = ${thetaEx.toFixed(4)} rad: lands at ${landing(new Value(thetaEx)).data.toFixed(3)} m (target ${targetEx} m)`);
