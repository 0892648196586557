// %% [markdown]
// # 7. The modular forward/backward API
//
// Backpropagation never needs to see the whole function at once. Each **gate** knows only two things:
// how to compute its output from its inputs (`forward`), and, given the gradient of the loss with
// respect to its output, how to compute the gradients with respect to its inputs (`backward`).
// A **graph** calls the gates' `forward` in topological order and their `backward` in reverse order.
// Deep-learning frameworks are, at heart, large collections of such gates ("layers").
//
// This notebook writes the slide's `ComputationalGraph` and `MultiplyGate` in TypeScript, then a
// Caffe-style sigmoid layer, and gradient-checks each one.

// %%
import { Gate, AddGate, MultiplyGate, Graph, Tensor, Random, checkGate, numericGradient, relError, assertClose } from "gradlab";
import type { Num } from "gradlab";

// %% [markdown]
// ## A gate: `MultiplyGate`, as on the slide
//
// $z = x y$. The forward pass must **cache** its inputs, because the local gradients
// $\partial z / \partial x = y$ and $\partial z / \partial y = x$ need them in the backward pass.
//
// ```python
// class MultiplyGate(object):
//     def forward(x, y):
//         z = x * y
//         self.x = x   # must keep these around!
//         self.y = y
//         return z
//     def backward(dz):
//         dx = self.y * dz   # [dz/dx * dL/dz]
//         dy = self.x * dz   # [dz/dy * dL/dz]
//         return [dx, dy]
// ```

// %%
class SlideMultiplyGate {
  private x = NaN;
  private y = NaN;
  forward(x: number, y: number): number {
    this.x = x;   // cached for backward
    this.y = y;
    return x * y;
  }
  backward(dz: number): [number, number] {
    return [this.y * dz, this.x * dz];
  }
}

class SlideAddGate {
  forward(x: number, y: number): number { return x + y; }
  backward(dz: number): [number, number] { return [dz, dz]; }   // nothing to cache
}

const mulGate = new SlideMultiplyGate();
assertClose("forward(3, -4)", mulGate.forward(3, -4), -12);
const [dx, dy] = mulGate.backward(2);
assertClose("backward(2): dx = dz·y", dx, -8);
assertClose("backward(2): dy = dz·x", dy, 6);

// %% [markdown]
// ## The graph: `ComputationalGraph`, as on the slide
//
// ```python
// class ComputationalGraph(object):
//     def forward(inputs):
//         # 1. [pass inputs to input gates...]
//         # 2. forward the computational graph:
//         for gate in self.graph.nodes_topologically_sorted():
//             gate.forward()
//         return loss   # the final gate in the graph outputs the loss
//     def backward():
//         for gate in reversed(self.graph.nodes_topologically_sorted()):
//             gate.backward()   # little piece of backprop (chain rule applied)
//         return inputs_gradients
// ```
//
// Below, nodes are kept in the order they were added, which is already topological (a node can only
// use nodes that exist). Gradients arriving at a node from several consumers are **added**.

// %%
type SlideGate = SlideMultiplyGate | SlideAddGate;
interface SlideNode { name: string; gate: SlideGate | null; inputs: string[] }

class ComputationalGraph {
  private nodes: SlideNode[] = [];
  private values = new Map<string, number>();
  input(name: string): string { this.nodes.push({ name, gate: null, inputs: [] }); return name; }
  apply(gate: SlideGate, inputs: [string, string], name: string): string { this.nodes.push({ name, gate, inputs }); return name; }
  forward(feed: Record<string, number>): number {
    for (const node of this.nodes) {          // topological order
      const value = node.gate ? node.gate.forward(this.values.get(node.inputs[0])!, this.values.get(node.inputs[1])!) : feed[node.name];
      this.values.set(node.name, value);
    }
    return this.values.get(this.nodes[this.nodes.length - 1].name)!;
  }
  backward(): Record<string, number> {
    const grads = new Map<string, number>([[this.nodes[this.nodes.length - 1].name, 1]]);
    for (const node of [...this.nodes].reverse()) {   // reverse topological order
      if (!node.gate) continue;
      const local = node.gate.backward(grads.get(node.name) ?? 0);
      node.inputs.forEach((input, i) => grads.set(input, (grads.get(input) ?? 0) + local[i]));   // branches add
    }
    return Object.fromEntries(this.nodes.filter((n) => !n.gate).map((n) => [n.name, grads.get(n.name) ?? 0]));
  }
}

// %%
// (x + y) · z at (-2, 5, -4), as in notebook 5.
const cg = new ComputationalGraph();
const q = cg.apply(new SlideAddGate(), [cg.input("x"), cg.input("y")], "q");
cg.apply(new SlideMultiplyGate(), [q, cg.input("z")], "f");
assertClose("ComputationalGraph.forward", cg.forward({ x: -2, y: 5, z: -4 }), -12);
const slideGrads = cg.backward();
console.log("ComputationalGraph.backward:", slideGrads);

// %% [markdown]
// The library's `Graph` is the same idea with more care (cycle detection, tensors, a trace, drawings).
// Both must agree:

// %%
const g = new Graph<number>();   // <number>: a graph of plain numbers, so its results are numbers
const gq = g.apply(new AddGate(), [g.input("x"), g.input("y")], "q");
g.apply(new MultiplyGate(), [gq, g.input("z")], "f");
g.forward({ x: -2, y: 5, z: -4 });
const libGrads = g.backward();
for (const name of ["x", "y", "z"]) assertClose(`∂f/∂${name}: slide graph = library Graph`, slideGrads[name], libGrads[name]);
g

// %% [markdown]
// ## Checking a gate
//
// A gate's `backward` can be checked against its own `forward`: nudge each input by $\pm h$ and compare
// $\big(f(x + h) - f(x - h)\big) / 2h$, times the upstream gradient, with what `backward` returns.
// The library does this in `checkGate` for any gate written in its form (subclass `Gate`, state
// `compute`, `gradients` and the forward-mode `tangent`). Here is our multiply gate in that form, and a
// version with a classic slip: forgetting to *switch* the inputs.

// %%
class MyMultiplyGate extends Gate<number> {   // Gate<number>: a gate for plain numbers
  readonly name: string = "MyMultiplyGate";
  readonly symbol = "*";
  readonly inputNames = ["x", "y"] as const;
  protected compute([x, y]: number[]): number { return x * y; }
  protected gradients(dz: number, [x, y]: number[]): number[] { return [dz * y, dz * x]; }
  protected tangent([tx, ty]: number[], [x, y]: number[]): number { return tx * y + x * ty; }
}

class ForgetfulMultiplyGate extends MyMultiplyGate {
  readonly name = "ForgetfulMultiplyGate";
  protected gradients(dz: number, [x, y]: number[]): number[] { return [dz * x, dz * y]; }   // not switched!
}

const good = checkGate(new MyMultiplyGate(), [3, -4]);
console.log(good.message);
if (!good.ok) throw new Error("MyMultiplyGate should pass its gradient check");
const bad = checkGate(new ForgetfulMultiplyGate(), [3, -4]);
console.log(bad.message);
if (bad.ok) throw new Error("checkGate should catch the unswitched gradients");

// %% [markdown]
// The library's own gates pass the same check, including on tensors with broadcasting:

// %%
const rng = new Random(0);
for (const [gate, inputs] of [
  [new MultiplyGate(), [Tensor.randn([3, 4], rng), Tensor.randn([4], rng)]],
  [new AddGate(), [Tensor.randn([2, 3], rng), Tensor.randn([2, 1], rng)]],
] as [Gate, Num[]][]) {
  const result = checkGate(gate, inputs);
  console.log(`${gate.name}: max relative error ${result.maxRelError.toExponential(2)}`);
  if (!result.ok || !(result.maxRelError < 1e-7)) throw new Error(result.message);
}

// %% [markdown]
// Calling `backward` before `forward` is a mistake the gate can name (there is nothing cached to
// differentiate at). This cell is *expected* to fail (its tag `raises-exception` tells the notebook
// runner so):

// %% tags=["raises-exception"]
new MultiplyGate().backward(1);

// %% [markdown]
// ## A layer in Caffe's style: the sigmoid
//
// Caffe stores each layer's inputs (`bottom`) and outputs (`top`) in *blobs* that hold both the values
// (`data`) and the gradients (`diff`). Its sigmoid layer (`sigmoid_layer.cpp`) is:
//
// ```cpp
// void SigmoidLayer::Forward_cpu(bottom, top) {
//   for (int i = 0; i < count; ++i) top_data[i] = sigmoid(bottom_data[i]);
// }
// void SigmoidLayer::Backward_cpu(top, propagate_down, bottom) {
//   for (int i = 0; i < count; ++i) {
//     const Dtype sigmoid_x = top_data[i];
//     bottom_diff[i] = top_diff[i] * sigmoid_x * (1. - sigmoid_x);   // chain rule
//   }
// }
// ```
//
// Note that backward reads the cached *output* `top_data`, not the input: $\sigma' = \sigma (1 - \sigma)$.

// %%
class Blob {
  readonly data: Float64Array;
  readonly diff: Float64Array;
  constructor(readonly count: number) {
    this.data = new Float64Array(count);
    this.diff = new Float64Array(count);
  }
}

class SigmoidLayer {
  forward(bottom: Blob, top: Blob): void {
    for (let i = 0; i < bottom.count; i++) top.data[i] = 1 / (1 + Math.exp(-bottom.data[i]));
  }
  backward(top: Blob, propagateDown: boolean, bottom: Blob): void {
    if (!propagateDown) return;
    for (let i = 0; i < top.count; i++) {
      const sigmoidX = top.data[i];
      bottom.diff[i] = top.diff[i] * sigmoidX * (1 - sigmoidX);
    }
  }
}

// %% [markdown]
// To check a layer with many outputs, turn it into a scalar: $L = \sum_i c_i \, \mathrm{top}_i$ with fixed
// random weights $c$. Then $\partial L / \partial\, \mathrm{top}_i = c_i$ is the `top_diff` to feed backward,
// and $\partial L / \partial\, \mathrm{bottom}$ can be estimated by centred differences.

// %%
const count = 8;
const bottom = new Blob(count), top = new Blob(count);
const c = Tensor.randn([count], 1);
Tensor.randn([count], 2).mul(3).toFlat().forEach((v, i) => (bottom.data[i] = v));
const layer = new SigmoidLayer();
layer.forward(bottom, top);
c.toFlat().forEach((v, i) => (top.diff[i] = v));
layer.backward(top, true, bottom);

const lossOf = (x: Tensor) => {
  const b = new Blob(count), t = new Blob(count);
  x.toFlat().forEach((v, i) => (b.data[i] = v));
  layer.forward(b, t);
  return t.data.reduce((sum, v, i) => sum + c.get(i) * v, 0);
};
const numeric = numericGradient(lossOf, Tensor.from(Array.from(bottom.data)));
const error = relError(Tensor.from(Array.from(bottom.diff)), numeric);
console.log("bottom_diff:", Array.from(bottom.diff, (v) => v.toFixed(5)).join(", "));
console.log("numeric:    ", numeric.toFlat().map((v) => v.toFixed(5)).join(", "));
assertClose("SigmoidLayer: relative error of bottom_diff", error, 0, 1e-8);

// %% [markdown]
// ## Layers as modules: the slides' training picture
//
// The slides draw a network as a chain of modules, $h^\ell = W^\ell h^{\ell-1}$, then $\sigma$, then the
// loss, and train it in three steps:
//
// 1. **Forward pass**: each module computes its output from its input, and **keeps** the values its
//    gradients will need ("we must store the intermediate outputs of all layers").
// 2. **Backward pass**: each module is handed $\partial L / \partial h^\ell$ by the module above (the
//    upstream gradient), multiplies it by its **local gradients** $\partial h^\ell / \partial W^\ell$ and
//    $\partial h^\ell / \partial h^{\ell-1}$, and passes $\partial L / \partial h^{\ell-1}$ down. For
//    $h^\ell = W^\ell h^{\ell-1}$ the local gradients are $h^{\ell-1}$ and $W^\ell$:
//
//    $$ \frac{\partial L}{\partial W^\ell} = \frac{\partial L}{\partial h^\ell} \, (h^{\ell-1})^\top, \qquad
//       \frac{\partial L}{\partial h^{\ell-1}} = (W^\ell)^\top \frac{\partial L}{\partial h^\ell}. $$
// 3. **Update** every parameter with its gradient.
//
// Below, a two-layer network $x \to W^1 \to \sigma \to W^2 \to L$ with the mini-batch loss
// $L = \frac1M \sum_{k=1}^{M} |h^2_k - y_k|^2$ over $M = 4$ examples (the columns), by hand, module by module.

// %%
/** h^ℓ = W^ℓ h^{ℓ−1}; keeps its input h^{ℓ−1}, which is the local gradient ∂h^ℓ/∂W^ℓ. */
class Linear {
  private input: Tensor | null = null;
  constructor(readonly W: Tensor) {}
  forward(h: Tensor): Tensor { this.input = h; return this.W.matmul(h); }
  backward(dh: Tensor): { dW: Tensor; dInput: Tensor } {
    if (!this.input) throw new Error("Linear: backward before forward");
    return { dW: dh.matmul(this.input.T), dInput: this.W.T.matmul(dh) };
  }
}
/** σ elementwise; keeps its output, since σ' = σ(1 − σ). */
class Sigmoid {
  private out: Tensor | null = null;
  forward(h: Tensor): Tensor { this.out = h.sigmoid(); return this.out; }
  backward(ds: Tensor): Tensor { return ds.mul(this.out!).mul(this.out!.neg().add(1)); }
}
/** L = (1/M) Σ_k |h_k − y_k|² over the M columns; keeps the residuals. */
class SquaredLoss {
  private diff: Tensor | null = null;
  forward(h: Tensor, y: Tensor): number { this.diff = h.sub(y); return this.diff.square().sum().item() / h.shape[1]; }
  backward(): Tensor { return this.diff!.mul(2 / this.diff!.shape[1]); }
}

// %%
const X = Tensor.randn([3, 4], 11), Y = Tensor.randn([2, 4], 12);   // 4 examples as columns
const layer1 = new Linear(Tensor.randn([4, 3], 13)), sigma = new Sigmoid(), layer2 = new Linear(Tensor.randn([2, 4], 14));
const lossModule = new SquaredLoss();
// Step 1, forward: one module at a time, each keeping what its backward pass needs.
const L = lossModule.forward(layer2.forward(sigma.forward(layer1.forward(X))), Y);
// Step 2, backward: in reverse, each module turns ∂L/∂(output) into ∂L/∂(input) and ∂L/∂W.
const fromLoss = lossModule.backward();
const fromLayer2 = layer2.backward(fromLoss);
const fromLayer1 = layer1.backward(sigma.backward(fromLayer2.dInput));
console.log(`∂L/∂W²: ${fromLayer2.dW.shape.join("×")} (like W²), ∂L/∂W¹: ${fromLayer1.dW.shape.join("×")} (like W¹)`);

// %% [markdown]
// The library's autograd on the same network must give the same loss and gradients:

// %%
const W1 = layer1.W.detach().requireGrad(), W2 = layer2.W.detach().requireGrad();
const autoLoss = W2.matmul(W1.matmul(X).sigmoid()).sub(Y).square().sum().div(4);
autoLoss.backward();
assertClose("L by modules vs autograd", L, autoLoss.item(), 1e-12);
assertClose("∂L/∂W² by hand vs autograd (relative error)", relError(fromLayer2.dW, W2.grad!), 0, 1e-12);
assertClose("∂L/∂W¹ by hand vs autograd (relative error)", relError(fromLayer1.dW, W1.grad!), 0, 1e-12);

// %% [markdown]
// ## Summary
//
// * A gate needs only `forward` (caching what it needs) and `backward` (upstream × local); a graph runs
//   them in topological and reverse topological order, adding gradients where values fan out.
// * `checkGate` compares a gate's backward with finite differences and catches a wrong gradient.
// * Layers are gates on tensors: each keeps its forward values and hands $\partial L/\partial h^{\ell-1}$ down.
//
// ## Exercise
//
// Write a `DivideGate` ($z = x / y$) for the library and `checkGate` it. The starting point below has the
// right forward pass and local gradients; check it, then break a sign in `local` and watch the check fail.

// %% tags=["exercise"]
class DivideGate extends Gate<number> {
  readonly name = "DivideGate";
  readonly symbol = "/";
  readonly inputNames = ["x", "y"] as const;
  protected compute([x, y]: number[]): number { return x / y; }
  // ∂z/∂x = 1/y, ∂z/∂y = −x/y²
  protected gradients(dz: number, [x, y]: number[]): number[] { return [dz / y, -dz * x / y ** 2]; }
  protected tangent([tx, ty]: number[], [x, y]: number[]): number { return tx / y - x * ty / y ** 2; }
}
console.log(checkGate(new DivideGate(), [3, -4]).message);
