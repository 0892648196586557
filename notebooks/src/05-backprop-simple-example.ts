// %% [markdown]
// # 5. Backpropagation: a simple example
//
// $$ f(x, y, z) = (x + y)\, z \qquad \text{at } x = -2,\; y = 5,\; z = -4. $$
//
// We want $\partial f/\partial x$, $\partial f/\partial y$ and $\partial f/\partial z$. Name the
// intermediate sum $q = x + y$, so that $f = q z$. Each piece has an easy **local** derivative:
//
// $$ \frac{\partial q}{\partial x} = 1, \quad \frac{\partial q}{\partial y} = 1, \qquad
//    \frac{\partial f}{\partial q} = z, \quad \frac{\partial f}{\partial z} = q. $$
//
// The **chain rule** glues them: $\dfrac{\partial f}{\partial x} = \dfrac{\partial f}{\partial q} \cdot \dfrac{\partial q}{\partial x}$,
// that is, *upstream gradient × local gradient*. Backpropagation applies it node by node, from the
// output back to the inputs.

// %%
import { Graph, AddGate, MultiplyGate, Value, plot, assertClose } from "gradlab";

// %% [markdown]
// ## The graph and the forward pass
//
// Values flow left to right (green, above the edges).

// %%
const g = new Graph<number>();   // <number>: every value in this graph is a plain number
const x = g.input("x"), y = g.input("y"), z = g.input("z");
const q = g.apply(new AddGate(), [x, y], "q");
g.apply(new MultiplyGate(), [q, z], "f");

const f = g.forward({ x: -2, y: 5, z: -4 });
assertClose("q = x + y", q.value!, 3);   // value is undefined until forward has run
assertClose("f = q · z", f, -12);
g

// %% [markdown]
// ## The backward pass, one node at a time
//
// Start at the output with $\partial f / \partial f = 1$ and walk the nodes in reverse topological order.
// At each node the gradient arriving from above (**upstream**) is multiplied by the node's **local**
// gradient with respect to each input, and sent down that input's edge. Gradients are red, below the edges.

// %% tags=["helpers"]
// Helpers (collapsed): number formatting, and the graph drawn with only the gradients known so far.
const fmt = (v: unknown) => (typeof v === "number" ? String(Number(v.toPrecision(6))) : String(v));
/** A factor in a product: negative numbers in parentheses, as one writes 1 × (−4). */
const factor = (v: unknown) => (typeof v === "number" && v < 0 ? `(${fmt(v)})` : fmt(v));
/** The drawing with only the gradients known so far: the output's, and those sent by the visited gates. */
const drawing = (g: Graph, known: Set<string>) => {
  const view = g.toView();
  return plot.renderGraphSVG({ nodes: view.nodes.map((n) => (known.has(n.id) ? n : { ...n, grad: undefined })), edges: view.edges });
};

// %%
const grads = g.backward();
const steps = g.trace.filter((s) => s.phase === "backward");

const output = steps[0].node;
display.markdown(`**Start:** the gradient of the output with respect to itself, $\\partial f/\\partial ${output} = 1$.`);
display.svg(drawing(g, new Set([output])));
const known = new Set([output]);
steps.filter((step) => step.downstream).forEach((step, k) => {
  step.inputs.forEach((input) => known.add(input));
  const lines = step.inputs.map((input, i) =>
    `$\\dfrac{\\partial f}{\\partial ${input}} = \\underbrace{${fmt(step.upstream)}}_{\\text{upstream}} \\times \\underbrace{${factor(step.localGradients![i])}}_{\\text{local } \\partial ${step.node} / \\partial ${input}} = ${fmt(step.downstream![i])}$`);
  display.markdown(`**Step ${k + 1}: the \`${step.op}\` gate that computes $${step.node}$** receives $\\partial f/\\partial ${step.node} = ${fmt(step.upstream)}$ from above and sends down\n\n${lines.join("\n\n")}`);
  display.svg(drawing(g, known));
});

// %% [markdown]
// ## The answer
//
// $$ \frac{\partial f}{\partial x} = z \cdot 1 = -4, \qquad \frac{\partial f}{\partial y} = z \cdot 1 = -4, \qquad \frac{\partial f}{\partial z} = q = 3. $$

// %%
assertClose("∂f/∂x", grads.x, -4);
assertClose("∂f/∂y", grads.y, -4);
assertClose("∂f/∂z", grads.z, 3);
assertClose("∂f/∂q (upstream at the + node)", q.grad!, -4);

// %% [markdown]
// ## Check 1: nudge the inputs
//
// A gradient predicts how $f$ changes when one input moves a little: $f(x + h) \approx f(x) + h\, \partial f/\partial x$.

// %%
const h = 1e-6;
const at = (dx: number, dy: number, dz: number) => g.forward({ x: -2 + dx, y: 5 + dy, z: -4 + dz });
assertClose("(f(x+h) − f(x−h)) / 2h", (at(h, 0, 0) - at(-h, 0, 0)) / (2 * h), -4, 1e-6);
assertClose("(f(y+h) − f(y−h)) / 2h", (at(0, h, 0) - at(0, -h, 0)) / (2 * h), -4, 1e-6);
assertClose("(f(z+h) − f(z−h)) / 2h", (at(0, 0, h) - at(0, 0, -h)) / (2 * h), 3, 1e-6);

// %% [markdown]
// ## Check 2: the same function, define-by-run
//
// `Graph` declares the graph first and runs it later (define-then-run). `Value` builds the graph as
// the arithmetic happens (define-by-run, like PyTorch); the gradients must be the same.

// %%
const vx = new Value(-2, "x"), vy = new Value(5, "y"), vz = new Value(-4, "z");
const vf = vx.add(vy).mul(vz);
vf.backward();
assertClose("Value: f", vf.data, -12);
assertClose("Value: ∂f/∂x", vx.grad, -4);
assertClose("Value: ∂f/∂y", vy.grad, -4);
assertClose("Value: ∂f/∂z", vz.grad, 3);
vf

// %% [markdown]
// ## Summary
//
// * Backpropagation multiplies, at every node, the **upstream** gradient by the node's **local** gradient.
// * For $f = (x + y) z$ at $(-2, 5, -4)$: $\partial f/\partial x = \partial f/\partial y = -4$, $\partial f/\partial z = 3$,
//   confirmed by nudging the inputs and by define-by-run `Value`.
//
// ## Exercise
//
// Change the function to $f = (x + y) \cdot z \cdot x$ with `Value`. Work out $\partial f / \partial x$ by
// hand first ($x$ is now used twice), then compare with `backward()`.

// %% tags=["exercise"]
const ex = { x: new Value(-2, "x"), y: new Value(5, "y"), z: new Value(-4, "z") };
const exF = ex.x.add(ex.y).mul(ex.z).mul(ex.x);
exF.backward();
console.log(`f = ${exF.data}, ∂f/∂x = ${ex.x.grad}, ∂f/∂y = ${ex.y.grad}, ∂f/∂z = ${ex.z.grad}`);
