// %% [markdown]
// # 8. Automatic differentiation: forward and reverse mode
//
// Automatic differentiation (AD) evaluates derivatives of a program *exactly* (up to rounding),
// by applying the chain rule to the elementary operations the program is made of. It is neither
// symbolic differentiation (no expression swell) nor finite differences (no truncation error).
//
// Two examples from the slides: first their backprop example $f(x_1, x_2) = x_1 x_2 + \sin x_2$, worked
// by hand (adjoints, then tangents), then the slides' DAG (from Baydin et al., *Automatic differentiation
// in machine learning: a survey*):
//
// $$ f(x_1, x_2) = \ln(x_1) + x_1 x_2 - \sin(x_2) \qquad \text{at } (x_1, x_2) = (2, 5), $$
//
// with the exact answers $\partial f / \partial x_1 = 1/x_1 + x_2 = 5.5$ and
// $\partial f / \partial x_2 = x_1 - \cos x_2 \approx 1.7163$.

// %%
import { Graph, AddGate, SubtractGate, MultiplyGate, LogGate, SinGate, Value, Dual, jvp, grad, plot, assertClose } from "gradlab";

// %% tags=["helpers"]
// Helpers (collapsed): the tangent and adjoint tables of any Graph, as plain Markdown tables.
import type { Num, TraceStep } from "gradlab";
const fmt = (v: Num | undefined) => (typeof v === "number" ? Number(v.toFixed(4)).toString() : String(v));
/** A factor in a product: negative numbers in parentheses, as one writes 1 × (−1). */
const factor = (v: Num | undefined) => (typeof v === "number" && v < 0 ? `(${fmt(v)})` : fmt(v));
const SUB = "₀₁₂₃₄₅₆₇₈₉";
/** Node names as one writes them: "x1" → "x₁"; with a bar for the adjoint: "x1" → "x̄₁". */
const name = (n: string, bar = false) => n.replace(/^([a-z]+?)(\d*)$/, (_, l: string, d: string) => l + (bar ? "\u0304" : "") + [...d].map((c) => SUB[+c]).join(""));
const table = (head: string[], rows: string[][]) => [head, head.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");

// %% tags=["helpers"]
// Helpers (collapsed): forward mode's tangent table and reverse mode's adjoint table, for any Graph.
/** Forward mode: each node's tangent from its inputs' tangents by the gate's jvp, in topological order. */
function forwardMode(g: Graph<number>, seed: Record<string, number>) {
  const tangent = new Map<string, number>();
  const rows: string[][] = [];
  for (const node of g.topologicalOrder()) {
    // The gate cached its inputs in g.forward; jvp applies its forward-mode rule at that point.
    tangent.set(node.name, node.gate ? node.gate.jvp(node.inputs.map((i) => tangent.get(i)!)) : seed[node.name]);
    const op = node.gate ? `${node.gate.label}(${node.inputs.map((i) => name(i)).join(", ")})` : "input";
    rows.push([name(node.name), op, fmt(node.value), fmt(tangent.get(node.name))]);
  }
  return { tangent, table: table(["node", "operation", "value", "tangent"], rows) };
}

/** What one backward step sends each input: "x̄₁ += 1 × 5" (upstream × local). */
const sent = (s: TraceStep) => s.inputs.map((input, i) => `${name(input, true)} += ${fmt(s.upstream)} × ${factor(s.localGradients![i])}`);

/** Reverse mode, read from the backward trace: each node's adjoint and what it sends to its inputs. */
function adjointTable(g: Graph): string {
  const rows = g.trace.filter((s) => s.phase === "backward").map((s) => [
    name(s.node), s.op ?? "input", `${name(s.node, true)} = ${fmt(s.upstream)}`,
    s.downstream ? sent(s).join(", ") : "(input: adjoint complete)",
  ]);
  return table(["node", "operation", "adjoint", "sent to inputs (upstream × local)"], rows);
}

// %% tags=["helpers"]
// Helper (collapsed): the backward pass drawn gate by gate.
/**
 * One drawing per gate of the backward pass, with the gradients known so far: an edge shows its
 * gradient once the gate it feeds has sent it, and a node fed back by several gates (Σ) the sum so far.
 */
function backwardDrawings(g: Graph<number>): { step: string; svg: string }[] {
  const view = g.toView();
  const gates = g.trace.filter((s) => s.phase === "backward" && s.downstream);
  const partial = new Map<string, number>([[gates[0].node, 1]]);
  const visited = new Set<string>();
  const draw = () => plot.renderGraphSVG({
    nodes: view.nodes.map((n) => ({ ...n, grad: partial.get(n.id) })),
    edges: view.edges.map((e) => (visited.has(e.to) ? e : { ...e, grad: undefined })),
  });
  const out = [{ step: `start: ${name(gates[0].node, true)} = 1`, svg: draw() }];
  for (const s of gates) {
    visited.add(s.node);
    s.inputs.forEach((input, i) => partial.set(input, (partial.get(input) ?? 0) + s.downstream![i]));
    out.push({ step: `the \`${s.op}\` gate of ${name(s.node)}: ${sent(s).join(", ")}`, svg: draw() });
  }
  return out;
}

// %% [markdown]
// ## The slides' example: $f(x_1, x_2) = x_1 x_2 + \sin x_2$
//
// The slide assigns intermediate variables $a_1 = x_1 x_2$, $a_2 = \sin x_2$, $a_3 = a_1 + a_2 = f$ and
// writes the adjoint of each as a bar, $\bar a_i = \partial f / \partial a_i$. Starting at the end and
// moving backward:
//
// $$ \bar a_3 = 1, \qquad \bar a_1 = \bar a_3 \frac{\partial a_3}{\partial a_1} = \bar a_3, \quad \bar a_2 = \bar a_3 \qquad \text{(addition distributes)}, $$
//
// $$ \bar x_2 = \bar a_2 \cos x_2 + \bar a_1 x_1 \qquad \text{(gradients from multiple paths summed)}, \qquad
//    \bar x_1 = \bar a_1 x_2 \qquad \text{(multiplication switches)}. $$
//
// We evaluate at $(x_1, x_2) = (2, 5)$: $f = 10 + \sin 5 \approx 9.0411$, $\bar x_1 = 5$,
// $\bar x_2 = \cos 5 + 2 \approx 2.2837$.

// %%
const s = new Graph<number>();   // <number>: a graph of plain numbers, so its results are numbers
const sx1 = s.input("x1"), sx2 = s.input("x2");
const a1 = s.apply(new MultiplyGate(), [sx1, sx2], "a1");
const a2 = s.apply(new SinGate(), [sx2], "a2");
s.apply(new AddGate(), [a1, a2], "a3");
assertClose("f(2, 5) = a3 = 2·5 + sin 5", s.forward({ x1: 2, x2: 5 }), 10 + Math.sin(5));
const sGrads = s.backward();
display.markdown(`**Adjoints, seed $\\bar a_3 = 1$**\n\n${adjointTable(s)}`);
assertClose("ā1 = ā3 (addition distributes)", a1.grad!, 1);
assertClose("ā2 = ā3 (addition distributes)", a2.grad!, 1);
assertClose("x̄2 = ā2·cos(x2) + ā1·x1 (two paths summed)", sGrads.x2, Math.cos(5) + 2);
assertClose("x̄1 = ā1·x2 (multiplication switches)", sGrads.x1, 5);

// %% [markdown]
// The same backward pass drawn gate by gate. Watch $x_2$: it feeds both the `*` and the `sin` gate, so
// its adjoint arrives in two parts, and it is complete only after both gates have sent theirs.

// %%
for (const { step, svg } of backwardDrawings(s)) {
  display.markdown(`**${step}**`);
  display.svg(svg);
}

// %% [markdown]
// ### Forward mode on the same function
//
// Forward mode carries tangents $\dot a_i = \partial a_i / \partial x_j$ along with the values, from the
// inputs to the output: $\dot a_1 = \dot x_1 x_2 + x_1 \dot x_2$, $\dot a_2 = \cos(x_2)\, \dot x_2$,
// $\dot a_3 = \dot a_1 + \dot a_2$. One sweep per input direction.

// %%
const sd1 = forwardMode(s, { x1: 1, x2: 0 });
display.markdown(`**Tangents along $\\dot x = (1, 0)$**\n\n${sd1.table}`);
const sd2 = forwardMode(s, { x1: 0, x2: 1 });
display.markdown(`**Tangents along $\\dot x = (0, 1)$**\n\n${sd2.table}`);
assertClose("forward mode: ∂f/∂x1 = x2", sd1.tangent.get("a3")!, 5);
assertClose("forward mode: ∂f/∂x2 = x1 + cos x2", sd2.tangent.get("a3")!, 2 + Math.cos(5));

// %% [markdown]
// ## The program as a DAG
//
// Every intermediate result gets a name $v_i$: inputs $v_{-1} = x_1$, $v_0 = x_2$, then one node per operation.
// The nodes form a directed acyclic graph; evaluating them in a **topological order** (every node after
// its inputs) is the forward pass.

// %%
const g = new Graph<number>();
const x1 = g.input("x1"), x2 = g.input("x2");
const v1 = g.apply(new LogGate(), [x1], "v1");
const v2 = g.apply(new MultiplyGate(), [x1, x2], "v2");
const v3 = g.apply(new SinGate(), [x2], "v3");
const v4 = g.apply(new AddGate(), [v1, v2], "v4");
g.apply(new SubtractGate(), [v4, v3], "v5");

const order = g.topologicalOrder();
console.log("topological order:", order.map((n) => n.name).join(" → "));
const f = g.forward({ x1: 2, x2: 5 });
assertClose("f(2, 5) = ln 2 + 10 − sin 5", f, Math.log(2) + 10 - Math.sin(5));
g

// %% [markdown]
// ## Forward mode: tangents
//
// Pick a direction, here $\dot x_1 = 1, \dot x_2 = 0$, and carry along each $v_i$ its **tangent**
// $\dot v_i = \partial v_i / \partial x_1$, computed from the inputs' tangents by each gate's own rule
// (its Jacobian-vector product, `jvp`), in the same topological order as the values. One sweep gives the
// derivative of *every* output with respect to *one* input direction.

// %%
const dx1 = forwardMode(g, { x1: 1, x2: 0 });
display.markdown(`**Forward mode, direction $\\dot x = (1, 0)$**\n\n${dx1.table}`);
const dx2 = forwardMode(g, { x1: 0, x2: 1 });
display.markdown(`**Forward mode, direction $\\dot x = (0, 1)$**\n\n${dx2.table}`);
assertClose("forward mode: ∂f/∂x1 (one sweep)", dx1.tangent.get("v5")!, 5.5);
assertClose("forward mode: ∂f/∂x2 (a second sweep)", dx2.tangent.get("v5")!, 2 - Math.cos(5));

// %% [markdown]
// ## Reverse mode: adjoints
//
// Now go the other way. The **adjoint** $\bar v_i = \partial f / \partial v_i$ starts at $\bar v_5 = 1$ and
// flows backwards through the gates in *reverse* topological order; where a node feeds several others
// (here $x_1$ feeds $v_1$ and $v_2$, $x_2$ feeds $v_2$ and $v_3$) the contributions **add**:
//
// $$ \bar x_1 = \bar v_1 \frac{\partial v_1}{\partial x_1} + \bar v_2 \frac{\partial v_2}{\partial x_1} = 1 \cdot \tfrac12 + 1 \cdot 5 = 5.5 . $$
//
// One sweep gives the derivative of *one* output with respect to *every* input.

// %%
const adjoints = g.backward();
display.markdown(`**Reverse mode, seed $\\bar v_5 = 1$**\n\n${adjointTable(g)}`);
assertClose("reverse mode: ∂f/∂x1", adjoints.x1, 5.5);
assertClose("reverse mode: ∂f/∂x2", adjoints.x2, 2 - Math.cos(5));
assertClose("∂f/∂x2 to four decimals", Number(adjoints.x2.toFixed(4)), 1.7163, 0);
g

// %% [markdown]
// ## The same answers from the library's two front ends
//
// * `Value` records the operations as they run (define-by-run) and differentiates in reverse mode;
// * `jvp(f, x, v)` runs $f$ on **dual numbers** $a + b\varepsilon$ with $\varepsilon^2 = 0$: the $\varepsilon$ part
//   is the tangent, exactly the forward-mode table above.

// %%
const a = new Value(2, "x1"), b = new Value(5, "x2");
const out = a.log().add(a.mul(b)).sub(b.sin());
out.backward();
assertClose("Value: f", out.data, 11.652071455223084, 1e-12);
assertClose("Value (reverse): ∂f/∂x1", a.grad, 5.5);
assertClose("Value (reverse): ∂f/∂x2", b.grad, 2 - Math.cos(5));

// Dual<number>: dual numbers of plain numbers, so jvp's results are numbers.
const fDual = (p: Dual<number>, q: Dual<number>) => p.log().add(p.mul(q)).sub(q.sin());
assertClose("jvp (forward) along (1, 0)", jvp(fDual, [2, 5], [1, 0]).tangent, 5.5);
assertClose("jvp (forward) along (0, 1)", jvp(fDual, [2, 5], [0, 1]).tangent, 2 - Math.cos(5));

// %% [markdown]
// ## Which mode is cheaper?
//
// For $f : \mathbb{R}^n \to \mathbb{R}^m$, forward mode needs one sweep per **input** ($n$ sweeps for the
// full gradient), reverse mode one sweep per **output** ($m$ sweeps). A loss has $m = 1$ and millions of
// inputs (the weights), which is why training uses reverse mode, under the name backpropagation.
//
// We measure it on $f(x) = \sum_{i=1}^{n} \sin(x_i)\, x_{i+1}$ (indices wrap around), with $n$ inputs and one output.

// %%
interface Scalar<T> { add(o: T): T; mul(o: T): T; sin(): T }
function chain<T extends Scalar<T>>(xs: T[]): T {
  let acc = xs[0].sin().mul(xs[1 % xs.length]);
  for (let i = 1; i < xs.length; i++) acc = acc.add(xs[i].sin().mul(xs[(i + 1) % xs.length]));
  return acc;
}
const point = (n: number) => Array.from({ length: n }, (_, i) => Math.cos(i));

function reverseGradient(xs: number[]): number[] {
  return grad<number>((...vs: Value[]) => chain(vs))(...xs);
}
function forwardGradient(xs: number[]): number[] {
  // One jvp per input, along the unit vector e_i.
  return xs.map((_, i) => jvp((...ds: Dual<number>[]) => chain(ds), xs, xs.map((__, j) => (j === i ? 1 : 0))).tangent);
}

// Both modes give the same gradient: ∂f/∂x_i = cos(x_i) x_{i+1} + sin(x_{i-1}).
const x40 = point(40);
const exact40 = x40.map((x, i) => Math.cos(x) * x40[(i + 1) % 40] + Math.sin(x40[(i + 39) % 40]));
const worstReverse = Math.max(...reverseGradient(x40).map((gi, i) => Math.abs(gi - exact40[i])));
const worstForward = Math.max(...forwardGradient(x40).map((gi, i) => Math.abs(gi - exact40[i])));
assertClose("n=40: largest error of reverse mode", worstReverse, 0, 1e-12);
assertClose("n=40: largest error of forward mode", worstForward, 0, 1e-12);

// %% tags=["helpers"]
// Helper (collapsed): a timer that is not fooled by the JIT compiler or the garbage collector.
/** Milliseconds per call: calls repeated for at least 60 ms, best of three such batches (less noise from GC and JIT). */
function millis(fn: () => void): number {
  fn();                                        // warm up the JIT
  let best = Infinity;
  for (let batch = 0; batch < 3; batch++) {
    let calls = 0;
    const t0 = process.hrtime.bigint();
    let elapsed = 0;
    do {
      fn();
      calls++;
      elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
    } while (elapsed < 60);
    best = Math.min(best, elapsed / calls);
  }
  return best;
}

// %%
// Warm up both code paths first, so that the first sizes do not pay for the JIT compiler.
const warmUntil = Date.now() + 300;
while (Date.now() < warmUntil) { reverseGradient(point(40)); forwardGradient(point(40)); }
const sizes = [10, 20, 40, 80, 160, 320];
const timings = sizes.flatMap((n) => {
  const xs = point(n);
  return [
    { n, ms: millis(() => reverseGradient(xs)), mode: "reverse (1 sweep)" },
    { n, ms: millis(() => forwardGradient(xs)), mode: "forward (n sweeps)" },
  ];
});
for (const n of sizes) {
  const [r, fw] = timings.filter((t) => t.n === n);
  console.log(`n = ${String(n).padStart(3)}: reverse ${r.ms.toFixed(2).padStart(7)} ms, forward ${fw.ms.toFixed(2).padStart(8)} ms, ratio ${(fw.ms / r.ms).toFixed(0)}`);
}
const [rev320, fwd320] = timings.filter((t) => t.n === 320);
// The ratio grows like n (n forward sweeps against one reverse sweep, each about as costly): a few
// hundred at n = 320. The bound only asks for 20, to leave room for a noisy machine.
if (!(fwd320.ms > 20 * rev320.ms)) throw new Error(`forward mode should be far slower at n = 320 (ratio ${(fwd320.ms / rev320.ms).toFixed(1)})`);

// %%
// Log-log axes: slopes 1 and 2 are then straight lines; ticks at the measured sizes.
plot.lineChart(timings, {
  x: "n", y: "ms", series: "mode", logX: true, logY: true, xTicks: sizes, xFormat: "d", yFormat: "~g",
  xTitle: "number of inputs n", yTitle: "milliseconds", title: "Time for the full gradient of f: ℝⁿ → ℝ",
})

// %% [markdown]
// Reverse mode grows like $n$ (one sweep over a graph of size $\propto n$); forward mode like $n^2$
// ($n$ sweeps of size $\propto n$): on the log-log plot, slopes 1 and 2. The price of reverse mode is
// memory: it must keep every intermediate value of the forward pass until the backward pass uses it.

// %% [markdown]
// ## Summary
//
// * The slides' $x_1 x_2 + \sin x_2$: adjoints $\bar a_3 = 1$, $\bar a_1 = \bar a_2 = 1$, $\bar x_1 = x_2$,
//   $\bar x_2 = \cos x_2 + x_1$ summed over two paths; forward-mode tangents give the same numbers.
// * Forward mode costs one sweep per input, reverse mode one sweep per output: for a loss, reverse mode.
//
// ## Exercise
//
// Build the graph of $f(x_1, x_2) = x_1 x_2 \sin x_2$ with the library's gates, run the backward pass and
// fill in the adjoint table by hand before you display it. Which node fans out now?

// %% tags=["exercise"]
const e = new Graph();
const ex1 = e.input("x1"), ex2 = e.input("x2");
e.apply(new MultiplyGate(), [e.apply(new MultiplyGate(), [ex1, ex2], "a1"), e.apply(new SinGate(), [ex2], "a2")], "a3");
e.forward({ x1: 2, x2: 5 });
e.backward();
display.markdown(adjointTable(e));
