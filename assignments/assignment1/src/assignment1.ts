// %% [markdown]
// # Assignment 1: Backpropagation by hand
//
// In this assignment you build, piece by piece, what a deep-learning framework does when it trains a
// network: **gates** that know their local derivatives (Part 1), a **computational graph** that runs
// them forward in topological order and backward in reverse (Part 2), vectorised **layers** and losses
// (Part 3), and a **two-layer network** trained with mini-batch SGD (Part 4). Part 5 asks for two short
// derivations in words and formulas.
//
// **How this notebook works.**
//
// - Write code **only in the solution cells**: the cells with a `throw new Error("not implemented yet: ...")`
//   in them. Replace each such line with your code. Keep the names and signatures: the autograder calls
//   them. Code anywhere else is not graded.
// - The cells right after a solution cell are **check cells**: run them. They compare your gradients
//   with numerical ones and print the relative error on the CS231n scale:
//   **< 1e-7 good**, 1e-7 … 1e-4 suspicious (fine only at kinks such as `max` or ReLU),
//   1e-4 … 1e-2 probably wrong, **> 1e-2 wrong**. A failing check throws and explains what it saw.
// - The other code cells (imports, helpers) are **provided** and locked: the grader uses them as released,
//   so changes you make there are ignored. Check cells are never part of the graded program.
// - Run the notebook top to bottom (*Restart kernel and run all*) before you submit it. `gradlab check
//   assignment1.ipynb` runs the visible tests on your machine with the same engine as the grader.
//
// Points: Part 1 30, Part 2 18, Part 3 20, Part 4 22, Part 5 10 (graded by a TA). Hidden tests use other
// seeds, shapes (a batch of one example, broadcasting), ties and extreme values: the edge cases stated in
// each part are graded.

// %% provided id=imports
import { Tensor, Random, SinGate, SubtractGate, type Num, type GateLike } from "gradlab";

// %% [markdown]
// ## Part 1: Gates (30 points)
//
// A gate is one node of a computational graph. `forward(...inputs)` computes the output **and caches
// what `backward` will need**; `backward(dout)` receives $\frac{\partial L}{\partial \text{out}}$ and returns
// one gradient per input, in input order, by the chain rule:
// $\frac{\partial L}{\partial x} = \frac{\partial L}{\partial \text{out}} \cdot \frac{\partial \text{out}}{\partial x}$
// (upstream gradient times local gradient).
//
// Your gates take plain numbers **and** `Tensor`s. The helpers below do arithmetic on either
// (`add`, `sub`, `mul`, `div`, `exp`, `log`, `maximum`, `ge` for a 0/1 mask of $a \ge b$, `map` to apply a
// function to every element, `elements` to list them), broadcasting like NumPy when a Tensor is involved.

// %% provided id=helpers
const asTensor = (a: Num): Tensor => (typeof a === "number" ? Tensor.scalar(a) : a);
function lift(f: (a: number, b: number) => number, op: (a: Tensor, b: Num) => Tensor) {
  return (a: Num, b: Num): Num => (typeof a === "number" && typeof b === "number" ? f(a, b) : op(asTensor(a), b));
}
const add = lift((a, b) => a + b, (a, b) => a.add(b));
const sub = lift((a, b) => a - b, (a, b) => a.sub(b));
const mul = lift((a, b) => a * b, (a, b) => a.mul(b));
const div = lift((a, b) => a / b, (a, b) => a.div(b));
const maximum = lift((a, b) => (a >= b ? a : b), (a, b) => a.maximum(b));
/** 1 where a >= b, else 0. */
const ge = lift((a, b) => (a >= b ? 1 : 0), (a, b) => a.ge(b));
const map = (a: Num, f: (v: number) => number): Num => (typeof a === "number" ? f(a) : a.map(f));
const exp = (a: Num): Num => map(a, Math.exp);
const log = (a: Num): Num => map(a, Math.log);
const elements = (a: Num): number[] => (typeof a === "number" ? [a] : a.toFlat());

// %% [markdown]
// ### 1a. Numbers, tensors and broadcasting
//
// With tensors, `forward` may **broadcast**: $x$ of shape $[3, 4]$ times $y$ of shape $[1, 4]$ (or $[4]$,
// or a plain number) gives $[3, 4]$, as if $y$ were copied along the first axis. In `backward`, a value
// used several times receives the **sum** of the gradients of its copies (gradients add at branches), so
// each input's gradient must be summed back to **that input's shape**:
//
// - axes the broadcast *added* in front (shape $[4]$ → $[3, 4]$): sum over them;
// - axes where the input had size 1 (shape $[1, 4]$ → $[3, 4]$): sum over them, keeping the axis;
// - a plain-number input gets a plain number (the sum of all elements).
//
// Every gate below works on numbers and tensors alike and ends its `backward` with
// `unbroadcast(grad, input)` for each input. Write `unbroadcast(grad, like)` first: the gradient `grad`
// (shaped like the output) reduced to the shape of `like`. `t.sum(axis, true)` sums over one axis keeping it, `t.sum(0)` drops it, `t.sum().item()` sums all.

// %% solution id=gates-unbroadcast
function unbroadcast(grad: Num, like: Num): Num {
  // BEGIN SOLUTION
  // STUB: sum grad back to the shape of like (a number for a number)
  if (typeof like === "number") return typeof grad === "number" ? grad : grad.sum().item();
  let g = asTensor(grad);
  while (g.ndim > like.ndim) g = g.sum(0);
  like.shape.forEach((n, axis) => {
    if (n === 1 && g.shape[axis] !== 1) g = g.sum(axis, true);
  });
  return g;
  // END SOLUTION
}

// %% [markdown]
// ### 1b. The patterns of gradient flow
//
// The lecture's three patterns: the **add** gate *distributes* the upstream gradient to both inputs,
// the **max** gate *routes* it to the larger input, the **multiply** gate *switches* the inputs
// ($\frac{\partial}{\partial x} xy = y$, so `forward` must keep $x$ and $y$ around).
//
// Edge case graded: **a tie in `max`** ($x = y$) sends the whole gradient to the **first** input $x$ and
// $0$ to $y$ (gradlab's `MaxGate` does the same).
//
// Each gate stores what it needs in `this.cache` (an array; you choose what goes in it). Also graded:
// `backward` uses the inputs of the **most recent** `forward` (a gate can be run many times), and
// neither method modifies its arguments (return new values instead).

// %% solution id=gates-add
class AddGate {
  cache: Num[] = [];
  forward(x: Num, y: Num): Num {
    // BEGIN SOLUTION
    // STUB: cache what backward needs, return x + y
    this.cache = [x, y];
    return add(x, y);
    // END SOLUTION
  }
  backward(dz: Num): Num[] {
    // BEGIN SOLUTION
    // STUB: return [dx, dy] (the add gate distributes dz)
    const [x, y] = this.cache;
    return [unbroadcast(dz, x), unbroadcast(dz, y)];
    // END SOLUTION
  }
}

// %% solution id=gates-multiply
class MultiplyGate {
  cache: Num[] = [];
  forward(x: Num, y: Num): Num {
    // BEGIN SOLUTION
    // STUB: cache what backward needs, return x * y
    this.cache = [x, y];
    return mul(x, y);
    // END SOLUTION
  }
  backward(dz: Num): Num[] {
    // BEGIN SOLUTION
    // STUB: return [dx, dy] (the multiply gate switches its inputs)
    const [x, y] = this.cache;
    return [unbroadcast(mul(dz, y), x), unbroadcast(mul(dz, x), y)];
    // END SOLUTION
  }
}

// %% solution id=gates-max
class MaxGate {
  cache: Num[] = [];
  forward(x: Num, y: Num): Num {
    // BEGIN SOLUTION
    // STUB: cache what backward needs, return max(x, y)
    this.cache = [x, y];
    return maximum(x, y);
    // END SOLUTION
  }
  backward(dz: Num): Num[] {
    // BEGIN SOLUTION
    // STUB: return [dx, dy]: dz goes to the larger input only (a tie: all to x)
    const [x, y] = this.cache;
    const toX = ge(x, y);
    return [unbroadcast(mul(dz, toX), x), unbroadcast(mul(dz, sub(1, toX)), y)];
    // END SOLUTION
  }
}

// %% [markdown]
// The check cells use gradlab's `checkGate`: it runs your `forward` at $x \pm h$ for every input element,
// forms the centred difference $\frac{f(x+h) - f(x-h)}{2h}$, and compares it with what your `backward`
// returns, reporting the relative error $\frac{|a - n|}{\max(10^{-8}, |a| + |n|)}$.

// %% check id=check-helpers
import { checkGate, Graph, assertClose, assertAtLeast, relError, numericGradient, data, plot, type GateCheckResult } from "gradlab";

/** The CS231n scale for a relative error. */
function verdict(err: number): string {
  if (!(err < 1e-2)) return "wrong (> 1e-2)";
  if (err < 1e-7) return "good (< 1e-7)";
  return err < 1e-4 ? "suspicious (1e-7 to 1e-4: fine only at a kink)" : "probably wrong (1e-4 to 1e-2)";
}
function report(what: string, result: GateCheckResult): void {
  console.log(`${what}: relative error ${result.maxRelError.toExponential(2)}: ${verdict(result.maxRelError)}`);
  if (!result.ok) throw new Error(result.message);
}

// %% check id=check-add-multiply-max
report("AddGate(3, -4)", checkGate(new AddGate(), [3, -4]));
report("MultiplyGate(3, -4)", checkGate(new MultiplyGate(), [3, -4]));
report("MaxGate(3, -4)", checkGate(new MaxGate(), [3, -4]));
report("MaxGate(-1, 2)", checkGate(new MaxGate(), [-1, 2]));
const tie = new MaxGate();
tie.forward(2, 2);
console.log("MaxGate tie at (2, 2): backward(1) =", tie.backward(1), "(expected [1, 0])");
assertClose("MaxGate tie: dx", tie.backward(1)[0] as number, 1);
assertClose("MaxGate tie: dy", tie.backward(1)[1] as number, 0);

// %% [markdown]
// ### 1c. Exponentials, logarithms, the sigmoid and division
//
// $$\sigma(x) = \frac{1}{1 + e^{-x}}, \qquad \sigma'(x) = \sigma(x)\,\big(1 - \sigma(x)\big)$$
//
// The sigmoid's local gradient is written with its **output**: cache $\sigma(x)$, not $x$ (Caffe's
// sigmoid layer does the same). Likewise $\frac{d}{dx} e^x = e^x$ is the exp gate's output,
// $\frac{d}{dx} \ln x = \frac{1}{x}$, and for $z = x / y$: $\frac{\partial z}{\partial x} = \frac{1}{y}$,
// $\frac{\partial z}{\partial y} = -\frac{x}{y^2}$.
//
// Edge cases graded: `SigmoidGate` at $x = \pm 1000$ returns exactly 1 and 0 (no `NaN`, no `Infinity`)
// and a gradient of 0 there: never compute $e^{1000}$ (for $x < 0$ use $\frac{e^x}{1 + e^x}$).
// `LogGate.forward` **throws** an `Error` whose message mentions "log" when any input is $\le 0$.

// %% solution id=gates-sigmoid
class SigmoidGate {
  cache: Num[] = [];
  forward(x: Num): Num {
    // BEGIN SOLUTION
    // STUB: return sigma(x) without overflow at +-1000, and cache what backward needs
    const out = map(x, (v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))));
    this.cache = [out];
    return out;
    // END SOLUTION
  }
  backward(dz: Num): Num[] {
    // BEGIN SOLUTION
    // STUB: return [dx] using the cached output
    const [out] = this.cache;
    return [mul(dz, mul(out, sub(1, out)))];
    // END SOLUTION
  }
}

// %% solution id=gates-exp
class ExpGate {
  cache: Num[] = [];
  forward(x: Num): Num {
    // BEGIN SOLUTION
    // STUB: return e^x and cache what backward needs
    const out = exp(x);
    this.cache = [out];
    return out;
    // END SOLUTION
  }
  backward(dz: Num): Num[] {
    // BEGIN SOLUTION
    // STUB: return [dx]
    return [mul(dz, this.cache[0])];
    // END SOLUTION
  }
}

// %% solution id=gates-log
class LogGate {
  cache: Num[] = [];
  forward(x: Num): Num {
    // BEGIN SOLUTION
    // STUB: reject inputs <= 0 as the handout says, else cache what backward needs and return ln(x)
    if (elements(x).some((v) => !(v > 0))) throw new Error("LogGate: log is only defined for positive inputs");
    this.cache = [x];
    return log(x);
    // END SOLUTION
  }
  backward(dz: Num): Num[] {
    // BEGIN SOLUTION
    // STUB: return [dx]
    return [div(dz, this.cache[0])];
    // END SOLUTION
  }
}

// %% solution id=gates-divide
class DivideGate {
  cache: Num[] = [];
  forward(x: Num, y: Num): Num {
    // BEGIN SOLUTION
    // STUB: cache what backward needs, return x / y
    this.cache = [x, y];
    return div(x, y);
    // END SOLUTION
  }
  backward(dz: Num): Num[] {
    // BEGIN SOLUTION
    // STUB: return [dx, dy]
    const [x, y] = this.cache;
    const dx = div(dz, y);
    const dy = mul(-1, mul(dz, div(x, mul(y, y))));
    return [unbroadcast(dx, x), unbroadcast(dy, y)];
    // END SOLUTION
  }
}

// %% check id=check-unary-divide
report("SigmoidGate(0.7)", checkGate(new SigmoidGate(), [0.7]));
report("SigmoidGate(-3)", checkGate(new SigmoidGate(), [-3]));
report("ExpGate(1.5)", checkGate(new ExpGate(), [1.5]));
report("LogGate(2.5)", checkGate(new LogGate(), [2.5]));
report("DivideGate(3, -4)", checkGate(new DivideGate(), [3, -4]));
const s = new SigmoidGate();
assertClose("sigmoid(1000)", s.forward(1000) as number, 1);
assertClose("sigmoid'(1000)", s.backward(1)[0] as number, 0);
assertClose("sigmoid(-1000)", s.forward(-1000) as number, 0);
assertClose("sigmoid'(-1000)", s.backward(1)[0] as number, 0);
let threw = false;
try { new LogGate().forward(0); } catch (e) { threw = /log/i.test((e as Error).message); }
if (!threw) throw new Error("LogGate.forward(0) should throw an Error whose message mentions log");
console.log("LogGate.forward(0) throws: good");

// %% [markdown]
// ### 1d. Matrix multiplication
//
// `MatMulGate` for 2-D tensors, $Z = XW$ with $X: [N, D]$, $W: [D, M]$:
// $\frac{\partial L}{\partial X} = \frac{\partial L}{\partial Z} W^\top$ and
// $\frac{\partial L}{\partial W} = X^\top \frac{\partial L}{\partial Z}$ (check the shapes: that is how to
// remember where the transposes go). `t.matmul(u)` and `t.T` do the work.

// %% solution id=gates-matmul
class MatMulGate {
  cache: Tensor[] = [];
  forward(x: Tensor, w: Tensor): Tensor {
    // BEGIN SOLUTION
    // STUB: cache what backward needs, return the matrix product x w
    this.cache = [x, w];
    return x.matmul(w);
    // END SOLUTION
  }
  backward(dz: Tensor): Tensor[] {
    // BEGIN SOLUTION
    // STUB: return [dx, dw]
    const [x, w] = this.cache;
    return [dz.matmul(w.T), x.T.matmul(dz)];
    // END SOLUTION
  }
}

// %% check id=check-tensors
const rng = new Random(231);
const r = (shape: number[]) => Tensor.randn(shape, rng);
const shapeOf = (a: Num) => (typeof a === "number" ? "a number" : `[${a.shape}]`);
console.log("unbroadcast [3,4] to [4], [1,4], [3,1] and a number:", [r([4]), r([1, 4]), r([3, 1]), 2].map((like) => shapeOf(unbroadcast(r([3, 4]), like))).join(", "));
report("AddGate [3,4] + [4]", checkGate(new AddGate(), [r([3, 4]), r([4])]));
report("MultiplyGate [3,4] * [1,4]", checkGate(new MultiplyGate(), [r([3, 4]), r([1, 4])]));
report("MultiplyGate [2,3] * number", checkGate(new MultiplyGate(), [r([2, 3]), 1.5]));
report("MaxGate [3,4] vs [3,1]", checkGate(new MaxGate(), [r([3, 4]), r([3, 1])]));
report("DivideGate [2,3] / [2,1]", checkGate(new DivideGate(), [r([2, 3]), r([2, 1]).map((v) => 2 + Math.abs(v))]));
report("SigmoidGate [4,5]", checkGate(new SigmoidGate(), [r([4, 5]).mul(3)]));
report("ExpGate [3]", checkGate(new ExpGate(), [r([3])]));
report("LogGate [2,2]", checkGate(new LogGate(), [r([2, 2]).map((v) => 0.5 + Math.abs(v))]));
report("MatMulGate [5,3] x [3,4]", checkGate(new MatMulGate(), [r([5, 3]), r([3, 4])]));
report("MatMulGate [1,3] x [3,2]", checkGate(new MatMulGate(), [r([1, 3]), r([3, 2])]));

// %% [markdown]
// ## Part 2: The computational graph (18 points)
//
// The lecture's `ComputationalGraph` runs `forward` on every gate in **topological order** (each node after
// its inputs) and `backward` in **reverse** topological order, passing each node's gradient to its gate and
// **adding** what comes back into the gradients of the node's inputs (a node used twice, *fan-out*, gets the
// sum of both gradients: "gradients add at branches").
//
// A graph is built by name: `g.input("x")` declares an input, `g.apply(gate, ["x", "y"], "q")` a node
// computing `gate.forward(x, y)`. The **last node applied is the output**. Inputs may name nodes that are
// applied later, so a graph *can* contain a cycle: your topological sort must then **throw an `Error`
// whose message mentions "cycle"** (a cycle has no topological order). An input name that is not a node
// is also an error.
//
// Write `topologicalOrder(nodes, output)`: the names of the nodes the output depends on (itself included),
// every node after its inputs, by depth-first search from the output. Mark a node *in progress* while you
// visit its inputs (meeting it again then means a cycle) and *done* after.

// %% provided id=graph-node
interface GraphNode {
  name: string;
  gate: GateLike | null;   // null for an input
  inputs: string[];        // names of the nodes whose values feed the gate, in order
}

// %% solution id=graph-topological-order
function topologicalOrder(nodes: Map<string, GraphNode>, output: string): string[] {
  // BEGIN SOLUTION
  // STUB: depth-first search from output, as described above
  const state = new Map<string, "active" | "done">();
  const order: string[] = [];
  const visit = (name: string) => {
    const node = nodes.get(name);
    if (!node) throw new Error(`unknown node "${name}"`);
    if (state.get(name) === "done") return;
    if (state.get(name) === "active") throw new Error(`the graph has a cycle through "${name}"`);
    state.set(name, "active");
    node.inputs.forEach(visit);
    state.set(name, "done");
    order.push(name);
  };
  visit(output);
  return order;
  // END SOLUTION
}

// %% provided id=graph-builder
/** Builds the graph's nodes; ComputationalGraph adds forward and backward. */
class GraphBuilder {
  nodes = new Map<string, GraphNode>();
  output = "";
  input(name: string): string {
    return this.add({ name, gate: null, inputs: [] });
  }
  apply(gate: GateLike, inputs: string[], name: string): string {
    this.output = name;
    return this.add({ name, gate, inputs });
  }
  order(): string[] {
    return topologicalOrder(this.nodes, this.output);
  }
  private add(node: GraphNode): string {
    if (this.nodes.has(node.name)) throw new Error(`there is already a node named "${node.name}"`);
    this.nodes.set(node.name, node);
    return node.name;
  }
}

// %% [markdown]
// Now `forward(feed)`: give each input node its value from `feed` (an object like `{ x: -2, y: 5 }`),
// run the gates in topological order, keep every node's value in `this.values`, return the output's value.
// And `backward(dout = 1)`: start with $\frac{\partial L}{\partial \text{output}} = $ `dout`, walk the order
// in reverse, call each gate's `backward` with its node's gradient, and **add** the results into the
// gradients of its inputs. Return the gradient of every input node, by name (0 for an input the output
// does not depend on). A graph must be reusable: `forward` then `backward` again, with new values, gives
// the new gradients (nothing left over from the last run).

// %% solution id=graph-computational-graph
class ComputationalGraph extends GraphBuilder {
  values = new Map<string, Num>();
  forward(feed: Record<string, Num>): Num {
    // BEGIN SOLUTION
    // STUB: run every gate in topological order; return the output's value
    this.values.clear();
    for (const name of this.order()) {
      const { gate, inputs } = this.nodes.get(name)!;
      if (gate === null && !(name in feed)) throw new Error(`no value given for input "${name}"`);
      this.values.set(name, gate === null ? feed[name] : gate.forward(...inputs.map((i) => this.values.get(i)!)));
    }
    return this.values.get(this.output)!;
    // END SOLUTION
  }
  backward(dout: Num = 1): Record<string, Num> {
    // BEGIN SOLUTION
    // STUB: reverse topological order; gradients from several consumers add up
    const grads = new Map<string, Num>([[this.output, dout]]);
    for (const name of this.order().reverse()) {
      const { gate, inputs } = this.nodes.get(name)!;
      if (gate === null) continue;
      const local = gate.backward(grads.get(name)!);
      inputs.forEach((input, i) => grads.set(input, grads.has(input) ? add(grads.get(input)!, local[i]) : local[i]));
    }
    const inputNames = [...this.nodes.values()].filter((n) => n.gate === null).map((n) => n.name);
    return Object.fromEntries(inputNames.map((name) => [name, grads.get(name) ?? 0]));
    // END SOLUTION
  }
}

// %% [markdown]
// The autograder builds graphs from a plain description with `buildGraph` (provided), using **your**
// gates (and gradlab's `SinGate` and `SubtractGate` for the lecture's third example):

// %% provided id=graph-build
interface GraphSpec {
  inputs: string[];
  nodes: Array<{ name: string; gate: string; inputs: string[] }>;
}
const GATES: Record<string, () => GateLike> = {
  add: () => new AddGate(), multiply: () => new MultiplyGate(), max: () => new MaxGate(),
  sigmoid: () => new SigmoidGate(), exp: () => new ExpGate(), log: () => new LogGate(),
  divide: () => new DivideGate(), matmul: () => new MatMulGate(),
  sin: () => new SinGate(), subtract: () => new SubtractGate(),
};
function buildGraph(spec: GraphSpec): ComputationalGraph {
  const g = new ComputationalGraph();
  for (const name of spec.inputs) g.input(name);
  for (const node of spec.nodes) {
    if (!(node.gate in GATES)) throw new Error(`unknown gate "${node.gate}" (gates: ${Object.keys(GATES).join(", ")})`);
    g.apply(GATES[node.gate](), node.inputs, node.name);
  }
  return g;
}

// %% [markdown]
// ### The lecture's examples as checks
//
// **Example 1**: $f(x, y, z) = (x + y)\,z$ at $x = -2, y = 5, z = -4$: $q = 3$, $f = -12$,
// $\frac{\partial f}{\partial x} = \frac{\partial f}{\partial y} = z = -4$, $\frac{\partial f}{\partial z} = q = 3$.
// The drawing is gradlab's `Graph` running **your** gates (it accepts any object with `forward`/`backward`):
// values above, gradients below each node.

// %% check id=check-graph-example1
const g1 = new ComputationalGraph();
g1.apply(new AddGate(), [g1.input("x"), g1.input("y")], "q");
g1.apply(new MultiplyGate(), ["q", g1.input("z")], "f");
assertClose("f(-2, 5, -4)", g1.forward({ x: -2, y: 5, z: -4 }) as number, -12);
const grads1 = g1.backward();
console.log("gradients:", grads1);
for (const [name, want] of [["x", -4], ["y", -4], ["z", 3]] as const) assertClose(`df/d${name}`, grads1[name] as number, want);
const drawing1 = new Graph();
drawing1.apply(new AddGate(), [drawing1.input("x"), drawing1.input("y")], "q");
drawing1.apply(new MultiplyGate(), ["q", drawing1.input("z")], "f");
drawing1.forward({ x: -2, y: 5, z: -4 });
drawing1.backward();
drawing1

// %% [markdown]
// **Example 2** (patterns of gradient flow): $f = 2\,\big(xy + \max(z, w)\big)$ at $x = 3, y = -4, z = 2,
// w = -1$: the add gate distributes, max routes (to $z$), multiply switches:
// $\frac{\partial f}{\partial x} = -8$, $\frac{\partial f}{\partial y} = 6$, $\frac{\partial f}{\partial z} = 2$,
// $\frac{\partial f}{\partial w} = 0$.

// %% check id=check-graph-example2
const spec2: GraphSpec = {
  inputs: ["x", "y", "z", "w", "two"],
  nodes: [
    { name: "xy", gate: "multiply", inputs: ["x", "y"] },
    { name: "m", gate: "max", inputs: ["z", "w"] },
    { name: "s", gate: "add", inputs: ["xy", "m"] },
    { name: "f", gate: "multiply", inputs: ["two", "s"] },
  ],
};
const g2 = buildGraph(spec2);
assertClose("f", g2.forward({ x: 3, y: -4, z: 2, w: -1, two: 2 }) as number, -20);
const grads2 = g2.backward();
console.log("gradients:", grads2);
for (const [name, want] of [["x", -8], ["y", 6], ["z", 2], ["w", 0]] as const) assertClose(`df/d${name}`, grads2[name] as number, want);

// %% [markdown]
// **Example 3** (fan-out): $f(x_1, x_2) = \ln x_1 + x_1 x_2 - \sin x_2$ at $x_1 = 2, x_2 = 5$. Both inputs are
// used twice, so their gradients add: $\frac{\partial f}{\partial x_1} = \frac{1}{x_1} + x_2 = 5.5$,
// $\frac{\partial f}{\partial x_2} = x_1 - \cos x_2 \approx 1.7163$. Then a second run at new values, and a
// graph with a cycle.

// %% check id=check-graph-example3
const spec3: GraphSpec = {
  inputs: ["x1", "x2"],
  nodes: [
    { name: "a", gate: "log", inputs: ["x1"] },
    { name: "b", gate: "multiply", inputs: ["x1", "x2"] },
    { name: "c", gate: "sin", inputs: ["x2"] },
    { name: "d", gate: "add", inputs: ["a", "b"] },
    { name: "f", gate: "subtract", inputs: ["d", "c"] },
  ],
};
const g3 = buildGraph(spec3);
assertClose("f(2, 5)", g3.forward({ x1: 2, x2: 5 }) as number, Math.log(2) + 10 - Math.sin(5));
const grads3 = g3.backward();
assertClose("df/dx1", grads3.x1 as number, 5.5);
assertClose("df/dx2", grads3.x2 as number, 2 - Math.cos(5));
g3.forward({ x1: 1, x2: 0 });
const again = g3.backward();
assertClose("second run: df/dx1 = 1/1 + 0", again.x1 as number, 1);
assertClose("second run: df/dx2 = 1 - cos 0", again.x2 as number, 0);
const loop = buildGraph({ inputs: ["x"], nodes: [{ name: "p", gate: "add", inputs: ["x", "q"] }, { name: "q", gate: "exp", inputs: ["p"] }] });
let cycleFound = false;
try { loop.forward({ x: 1 }); } catch (e) { cycleFound = /cycle/i.test((e as Error).message); }
if (!cycleFound) throw new Error("a graph with a cycle should throw an Error mentioning 'cycle'");
console.log("example 3, the second run and the cycle: good");

// %% [markdown]
// ## Part 3: Layers (20 points)
//
// Gates work one value at a time; a **layer** works on a whole mini-batch at once, vectorised (no loop
// over examples except to pick out each example's label). We use the CS231n shape: a forward function
// returns `[out, cache]`, and the backward function takes the upstream gradient `dout` and that cache
// and returns **an array with the gradient of each input**, in input order (also when there is one input).
// `x` is $[N, D]$: one example per row. Labels `y` are a Tensor of $N$ class indices (`y.data[i]`).
//
// **Affine**: $\text{out} = xW + b$ with $W: [D, M]$, $b: [M]$ (broadcast over the rows):
// $\;dx = \text{dout}\,W^\top$, $\;dW = x^\top \text{dout}$, $\;db = \sum_i \text{dout}_i$.

// %% solution id=layers-affine
type AffineCache = { x: Tensor; w: Tensor; b: Tensor };
function affineForward(x: Tensor, w: Tensor, b: Tensor): [Tensor, AffineCache] {
  // BEGIN SOLUTION
  // STUB: return [x w + b, cache]
  return [x.matmul(w).add(b), { x, w, b }];
  // END SOLUTION
}
function affineBackward(dout: Tensor, cache: AffineCache): [Tensor, Tensor, Tensor] {
  // BEGIN SOLUTION
  // STUB: return [dx, dw, db]
  const { x, w } = cache;
  return [dout.matmul(w.T), x.T.matmul(dout), dout.sum(0)];
  // END SOLUTION
}

// %% [markdown]
// **ReLU** $\max(0, x)$ elementwise (its gradient passes where $x > 0$; at exactly 0 take the gradient 0),
// and the **sigmoid** layer (as the gate in Part 1, from the cached output, stable at $\pm 1000$).

// %% solution id=layers-relu-sigmoid
function reluForward(x: Tensor): [Tensor, Tensor] {
  // BEGIN SOLUTION
  // STUB: return [max(0, x), cache]
  return [x.map((v) => (v > 0 ? v : 0)), x];
  // END SOLUTION
}
function reluBackward(dout: Tensor, cache: Tensor): [Tensor] {
  // BEGIN SOLUTION
  // STUB: return [dx]
  return [dout.mul(cache.gt(0))];
  // END SOLUTION
}
function sigmoidForward(x: Tensor): [Tensor, Tensor] {
  // BEGIN SOLUTION
  // STUB: return [sigma(x), cache]
  const out = x.map((v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v))));
  return [out, out];
  // END SOLUTION
}
function sigmoidBackward(dout: Tensor, cache: Tensor): [Tensor] {
  // BEGIN SOLUTION
  // STUB: return [dx]
  return [dout.mul(cache).mul(cache.mul(-1).add(1))];
  // END SOLUTION
}

// %% [markdown]
// The layer checks treat a layer as a function and compare its backward with centred differences of
// $L = \sum_{ij} \text{out}_{ij}\, \text{dout}_{ij}$ for a random `dout` (gradlab's `numericGradient`).

// %% check id=check-layer-helper
/** Checks backward(dout, cache) of a layer against centred differences of its forward, input by input. */
function checkLayer(name: string, forward: (...xs: Tensor[]) => [Tensor, unknown],
  backward: (dout: Tensor, cache: any) => Tensor[], inputs: Tensor[]): void {
  const [out, cache] = forward(...inputs);
  const dout = Tensor.randn(out.shape, 7);
  const grads = backward(dout, cache);
  inputs.forEach((x, i) => {
    const f = (xi: Tensor) => forward(...inputs.map((v, j) => (j === i ? xi : v)))[0].mul(dout).sum().item();
    const err = relError(grads[i], numericGradient(f, x) as Tensor);
    console.log(`${name}, input ${i}: relative error ${err.toExponential(2)}: ${verdict(err)}`);
    if (!(err < 1e-7)) throw new Error(`${name}: the gradient of input ${i} is wrong (relative error ${err})`);
  });
}

// %% check id=check-layers
const lr = new Random(42);
checkLayer("affine [4,5]·[5,3]", affineForward, affineBackward, [Tensor.randn([4, 5], lr), Tensor.randn([5, 3], lr), Tensor.randn([3], lr)]);
checkLayer("affine, N = 1", affineForward, affineBackward, [Tensor.randn([1, 3], lr), Tensor.randn([3, 2], lr), Tensor.randn([2], lr)]);
checkLayer("relu [3,4]", reluForward, reluBackward, [Tensor.randn([3, 4], lr)]);
checkLayer("sigmoid [3,4]", sigmoidForward, sigmoidBackward, [Tensor.randn([3, 4], lr).mul(3)]);
const [big] = sigmoidForward(Tensor.from([[1000, -1000]]));
assertClose("sigmoid layer at +1000", big.get(0, 0), 1);
assertClose("sigmoid layer at -1000", big.get(0, 1), 0);

// %% [markdown]
// ### Losses
//
// Both losses take the scores $s: [N, C]$ and the labels, and return `[loss, dscores]`: the loss
// **averaged** over the $N$ examples, and its gradient with respect to the scores.
//
// **Softmax cross-entropy**: $p_{ij} = \frac{e^{s_{ij}}}{\sum_k e^{s_{ik}}}$,
// $L = -\frac{1}{N} \sum_i \ln p_{i y_i}$, $\frac{\partial L}{\partial s_{ij}} = \frac{1}{N}\big(p_{ij} - [j = y_i]\big)$.
// Edge case graded: scores around 1000 ($e^{1000}$ is `Infinity` in float64). Subtracting each row's
// maximum from the row first changes nothing mathematically and keeps every exponent $\le 0$; compute
// $\ln p_{i y_i}$ as $(s_{i y_i} - \max_k s_{ik}) - \ln \sum_k e^{s_{ik} - \max_k s_{ik}}$.
//
// **Multiclass SVM (hinge)**: $L = \frac{1}{N} \sum_i \sum_{j \ne y_i} \max(0,\; s_{ij} - s_{i y_i} + 1)$;
// each positive margin adds $\frac{1}{N}$ to $\frac{\partial L}{\partial s_{ij}}$ and subtracts $\frac{1}{N}$
// from $\frac{\partial L}{\partial s_{i y_i}}$.

// %% solution id=layers-softmax
function softmaxLoss(scores: Tensor, y: Tensor): [number, Tensor] {
  // BEGIN SOLUTION
  // STUB: return [mean cross-entropy, dscores], stable for scores around 1000
  const N = scores.shape[0];
  const shifted = scores.sub(scores.max(1, true));
  const e = shifted.exp();
  const logSum = e.sum(1, true).log();
  const dscores = e.div(e.sum(1, true));
  let loss = 0;
  for (let i = 0; i < N; i++) {
    const c = y.data[i];
    loss -= shifted.get(i, c) - logSum.get(i, 0);
    dscores.set([i, c], dscores.get(i, c) - 1);
  }
  return [loss / N, dscores.div(N)];
  // END SOLUTION
}

// %% solution id=layers-svm
function svmLoss(scores: Tensor, y: Tensor): [number, Tensor] {
  // BEGIN SOLUTION
  // STUB: return [mean hinge loss, dscores]
  const N = scores.shape[0];
  const correct = Tensor.from(Array.from({ length: N }, (_, i) => [scores.get(i, y.data[i])]));
  const margins = scores.sub(correct).add(1).map((v) => (v > 0 ? v : 0));
  for (let i = 0; i < N; i++) margins.set([i, y.data[i]], 0);
  const dscores = margins.gt(0);
  const counts = dscores.sum(1);
  for (let i = 0; i < N; i++) dscores.set([i, y.data[i]], -counts.get(i));
  return [margins.sum().item() / N, dscores.div(N)];
  // END SOLUTION
}

// %% check id=check-losses
const scores = Tensor.randn([5, 4], 3), labels = Tensor.from([0, 3, 1, 1, 2]);
for (const [name, loss] of [["softmax", softmaxLoss], ["svm", svmLoss]] as const) {
  const numeric = numericGradient((s: Tensor) => loss(s, labels)[0], scores) as Tensor;
  const err = relError(loss(scores, labels)[1], numeric);
  console.log(`${name} loss ${loss(scores, labels)[0].toFixed(4)}; dscores relative error ${err.toExponential(2)}: ${verdict(err)}`);
  if (!(err < 1e-7)) throw new Error(`${name}: dscores does not match the numeric gradient`);
}
// With tiny random scores every class is equally likely: the softmax loss is about ln C.
assertClose("softmax loss at scores ~ 0", softmaxLoss(Tensor.zeros([3, 4]), Tensor.from([0, 1, 2]))[0], Math.log(4));
const [hugeLoss, hugeGrad] = softmaxLoss(Tensor.from([[1000, 999, 998]]), Tensor.from([0]));
if (!Number.isFinite(hugeLoss) || hugeGrad.toFlat().some((v) => !Number.isFinite(v))) throw new Error("softmax overflows at scores ~1000: subtract each row's max");
console.log(`softmax at scores ~1000: loss ${hugeLoss.toFixed(4)} (finite): good`);

// %% [markdown]
// ## Part 4: A two-layer network (22 points)
//
// $$\text{scores} = \max\big(0,\; X W_1 + b_1\big)\, W_2 + b_2, \qquad
// L = \text{softmax cross-entropy} + \tfrac{\lambda}{2}\big(\lVert W_1 \rVert^2 + \lVert W_2 \rVert^2\big)$$
//
// (affine → ReLU → affine → softmax). Write `twoLayerLoss(X, y, params, reg)` from your Part 3 layers:
// it returns `[loss, grads]` where `grads` has the same keys and shapes as `params`
// (the regulariser adds $\lambda W$ to the gradient of each $W$, nothing to the biases), and
// `twoLayerPredict(X, params)`: the class with the highest score for each row (`t.argmax(1)`).

// %% provided id=network-init
interface TwoLayerParams { W1: Tensor; b1: Tensor; W2: Tensor; b2: Tensor }
/** He initialisation: weights ~ N(0, 2 / fan-in), biases 0. */
function initTwoLayer(D: number, H: number, C: number, seed: number): TwoLayerParams {
  const rng = new Random(seed);
  return {
    W1: Tensor.randn([D, H], rng).mul(Math.sqrt(2 / D)), b1: Tensor.zeros([H]),
    W2: Tensor.randn([H, C], rng).mul(Math.sqrt(2 / H)), b2: Tensor.zeros([C]),
  };
}

// %% solution id=network-loss
function twoLayerLoss(X: Tensor, y: Tensor, params: TwoLayerParams, reg: number): [number, TwoLayerParams] {
  // BEGIN SOLUTION
  // STUB: forward through affine, relu, affine, softmax; backward through the same; return [loss, grads]
  const { W1, b1, W2, b2 } = params;
  const [h, c1] = affineForward(X, W1, b1);
  const [a, c2] = reluForward(h);
  const [scores, c3] = affineForward(a, W2, b2);
  const [dataLoss, dscores] = softmaxLoss(scores, y);
  const loss = dataLoss + 0.5 * reg * (W1.square().sum().item() + W2.square().sum().item());
  const [da, dW2, db2] = affineBackward(dscores, c3);
  const [dh] = reluBackward(da, c2);
  const [, dW1, db1] = affineBackward(dh, c1);
  return [loss, { W1: dW1.add(W1.mul(reg)), b1: db1, W2: dW2.add(W2.mul(reg)), b2: db2 }];
  // END SOLUTION
}
function twoLayerPredict(X: Tensor, params: TwoLayerParams): Tensor {
  // BEGIN SOLUTION
  // STUB: return the predicted class of each row of X
  const [h] = affineForward(X, params.W1, params.b1);
  return affineForward(reluForward(h)[0], params.W2, params.b2)[0].argmax(1);
  // END SOLUTION
}

// %% check id=check-network-gradients
const small = initTwoLayer(4, 6, 3, 0);
const Xs = Tensor.randn([5, 4], 1), ys = Tensor.from([0, 1, 2, 2, 1]);
const [, netGrads] = twoLayerLoss(Xs, ys, small, 0.1);
for (const key of ["W1", "b1", "W2", "b2"] as const) {
  const f = (p: Tensor) => twoLayerLoss(Xs, ys, { ...small, [key]: p }, 0.1)[0];
  const err = relError(netGrads[key], numericGradient(f, small[key]) as Tensor);
  console.log(`d loss / d ${key}: relative error ${err.toExponential(2)}: ${verdict(err)}`);
  if (!(err < 1e-6)) throw new Error(`twoLayerLoss: the gradient of ${key} is wrong`);
}

// %% [markdown]
// ### Training with mini-batch SGD
//
// `trainTwoLayer(X, y, opts)` starts from `initTwoLayer(D, opts.hidden, C, opts.seed)` ($C$ = the largest
// label + 1) and runs `opts.epochs` epochs. Each epoch shuffles the rows (`new Random(opts.seed)` once,
// then `rng.permutation(N)` per epoch), cuts them into mini-batches of `opts.batchSize` (`X.take(indices, 0)`),
// and for each batch computes `twoLayerLoss` and steps every parameter: $\theta \leftarrow \theta - \eta\, \nabla_\theta L$
// with $\eta$ = `opts.learningRate`. Record each batch's loss in `lossHistory` and, after each epoch, the
// accuracy on all of `X` in `trainAccuracy` (a fraction between 0 and 1).
//
// **Targets (graded)**: on the CS231n spiral (3 classes, 100 points each) with `hidden: 100,
// learningRate: 1, reg: 1e-3, epochs: 30, batchSize: 100` your network must reach a training accuracy of
// at least **0.90** (a linear classifier stays near 0.5; the reference reaches about 0.95), within the
// test's time limit (a few seconds).

// %% provided id=network-train-types
interface TrainOptions { hidden: number; learningRate: number; reg: number; epochs: number; batchSize: number; seed: number }
interface TrainResult { params: TwoLayerParams; lossHistory: number[]; trainAccuracy: number[] }
function accuracy(predicted: Tensor, y: Tensor): number {
  return predicted.eq(y).mean().item();
}

// %% solution id=network-train
function trainTwoLayer(X: Tensor, y: Tensor, opts: TrainOptions): TrainResult {
  // BEGIN SOLUTION
  // STUB: mini-batch SGD as described above; return { params, lossHistory, trainAccuracy }
  const rng = new Random(opts.seed);
  const N = X.shape[0], C = Math.max(...y.toFlat()) + 1;
  let params = initTwoLayer(X.shape[1], opts.hidden, C, opts.seed);
  const lossHistory: number[] = [], trainAccuracy: number[] = [];
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const order = rng.permutation(N);
    for (let start = 0; start < N; start += opts.batchSize) {
      const batch = order.slice(start, start + opts.batchSize);
      const [loss, grads] = twoLayerLoss(X.take(batch, 0), y.take(batch, 0), params, opts.reg);
      lossHistory.push(loss);
      const step = (key: keyof TwoLayerParams) => params[key].sub(grads[key].mul(opts.learningRate));
      params = { W1: step("W1"), b1: step("b1"), W2: step("W2"), b2: step("b2") };
    }
    trainAccuracy.push(accuracy(twoLayerPredict(X, params), y));
  }
  return { params, lossHistory, trainAccuracy };
  // END SOLUTION
}

// %% check id=check-spiral
const spiral = data.cs231nSpiral({ seed: 0 });
const spiralOpts: TrainOptions = { hidden: 100, learningRate: 1, reg: 1e-3, epochs: 30, batchSize: 100, seed: 0 };
const t0 = Date.now();
const spiralRun = trainTwoLayer(spiral.X, spiral.y, spiralOpts);
const spiralAcc = spiralRun.trainAccuracy[spiralRun.trainAccuracy.length - 1];
console.log(`spiral: training accuracy ${spiralAcc.toFixed(3)} after ${spiralOpts.epochs} epochs (${Date.now() - t0} ms)`);
assertAtLeast("spiral training accuracy", spiralAcc, 0.9);
plot.lossCurve(spiralRun.lossHistory, { title: "Spiral: loss per mini-batch", xTitle: "step" })

// %% check id=check-spiral-plots
plot.decisionBoundary((points: number[][]) => twoLayerPredict(Tensor.from(points), spiralRun.params).toFlat(),
  spiral.X, spiral.y, { title: "What the network learned" })

// %% [markdown]
// ### A small hyper-parameter search, then the digits
//
// Choose hyper-parameters on a **validation** split, never on the test split: the test accuracy is read
// once, at the end. The cell below tries a few learning rates and regularisation strengths on the digits
// (8×8 images, 10 classes; standardised with the training statistics) for a few epochs each, keeps the best
// by validation accuracy, and trains it longer. **Target**: test accuracy at least **0.90**.
// Change the grid if you like; this cell is not graded, but your plots and the numbers it prints are part
// of what you hand in.

// %% check id=check-digits-search
const digits = data.trainValTestSplit(data.loadDigits(), { seed: 0 });
const results: Array<{ learningRate: number; reg: number; val: number }> = [];
for (const learningRate of [0.01, 0.1, 0.5]) {
  for (const reg of [1e-4, 1e-2]) {
    const run = trainTwoLayer(digits.train.X, digits.train.y, { hidden: 64, learningRate, reg, epochs: 3, batchSize: 64, seed: 1 });
    results.push({ learningRate, reg, val: accuracy(twoLayerPredict(digits.val.X, run.params), digits.val.y) });
  }
}
console.table(results);
const best = results.reduce((a, b) => (b.val > a.val ? b : a));
console.log(`best: learning rate ${best.learningRate}, reg ${best.reg} (validation accuracy ${best.val.toFixed(3)})`);

// %% check id=check-digits-final
const digitsRun = trainTwoLayer(digits.train.X, digits.train.y, { hidden: 64, learningRate: best.learningRate, reg: best.reg, epochs: 15, batchSize: 64, seed: 1 });
const testAcc = accuracy(twoLayerPredict(digits.test.X, digitsRun.params), digits.test.y);
console.log(`digits: test accuracy ${testAcc.toFixed(3)}`);
assertAtLeast("digits test accuracy", testAcc, 0.9);
plot.accuracyCurve(digitsRun.trainAccuracy, { title: "Digits: training accuracy per epoch", xTitle: "epoch" })

// %% [markdown]
// ## Part 5: Written questions (10 points, graded by a teaching assistant)
//
// Answer in the Markdown cells below (LaTeX works: `$...$`).
//
// **5a (5 points).** A sigmoid perceptron $f(x_i) = \sigma\big(\sum_k w_k x_{ik}\big)$ is trained on
// $L = \sum_i \big(y_i - f(x_i)\big)^2$ by gradient descent with step $\eta$. Derive the update rule
// $$w_j \leftarrow w_j + 2\eta \sum_i \delta_i\, \sigma_i (1 - \sigma_i)\, x_{ij}, \qquad
// \delta_i = y_i - \sigma_i,\; \sigma_i = \sigma\Big(\sum_k w_k x_{ik}\Big),$$
// showing each use of the chain rule and where $\sigma'(z) = \sigma(z)\big(1 - \sigma(z)\big)$ comes in
// (derive that too).

// %% [markdown] written id=written-sigmoid points=5
// $\frac{\partial L}{\partial w_j} = \sum_i 2\,(y_i - \sigma_i) \cdot \big(-\frac{\partial \sigma_i}{\partial w_j}\big)$ by the chain rule on the square.
// With $d_i = \sum_k w_k x_{ik}$: $\frac{\partial \sigma_i}{\partial w_j} = \sigma'(d_i)\,\frac{\partial d_i}{\partial w_j} = \sigma'(d_i)\, x_{ij}$.
// And $\sigma(z) = (1 + e^{-z})^{-1}$ gives $\sigma'(z) = \frac{e^{-z}}{(1 + e^{-z})^2} = \sigma(z)\,\frac{e^{-z}}{1 + e^{-z}} = \sigma(z)\big(1 - \sigma(z)\big)$.
// So $\frac{\partial L}{\partial w_j} = -2 \sum_i \delta_i\, \sigma_i (1 - \sigma_i)\, x_{ij}$, and the step
// $w_j \leftarrow w_j - \eta \frac{\partial L}{\partial w_j}$ is the update rule.

// %% [markdown]
// **5b (5 points).** Forward-mode automatic differentiation pushes derivatives from the inputs to the
// output; reverse mode (backpropagation) pushes them from the output back to the inputs. For a network
// with $n$ parameters and a scalar loss, explain why reverse mode is the better choice. Give the cost
// argument: how many passes through the graph each mode needs to get the whole gradient, what one pass
// costs relative to evaluating the function, and what reverse mode pays for it instead (memory).

// %% [markdown] written id=written-reverse-mode points=5
// Forward mode computes one directional derivative per pass: the derivative of every node with respect
// to *one* input. The gradient of $L$ with respect to $n$ parameters needs $n$ passes, each costing a
// small constant times one evaluation of $L$: $O(n)$ evaluations, millions for a network.
// Reverse mode computes the derivative of *one* output with respect to every node in one backward pass
// (a constant factor, about 2 to 3 times the forward pass), so the whole gradient of a scalar loss costs
// $O(1)$ evaluations whatever $n$ is. The price is memory: the forward pass must store the intermediate
// values (the gates' caches) that the backward pass needs. With $m$ outputs and $n$ inputs the costs are
// $O(n)$ vs $O(m)$ passes, so forward mode wins only when outputs outnumber inputs.
