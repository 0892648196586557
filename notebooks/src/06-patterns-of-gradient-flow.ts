// %% [markdown]
// # 6. Patterns in gradient flow
//
// Once you have seen a few gates backpropagate, their behaviour becomes predictable. Each gate
// receives an upstream gradient $\frac{\partial L}{\partial z}$ and hands one gradient to each input:
//
// | gate | forward | backward (what it does with the upstream gradient) |
// |---|---|---|
// | **add** | $z = x + y$ | **distributes**: both inputs get $\frac{\partial L}{\partial z}$ unchanged |
// | **max** | $z = \max(x, y)$ | **routes**: the larger input gets all of it, the other gets 0 |
// | **mul** | $z = x y$ | **switches**: $x$ gets $\frac{\partial L}{\partial z} \cdot y$, $y$ gets $\frac{\partial L}{\partial z} \cdot x$ |
// | **copy** (a value used twice) | $x \to x, x$ | **adds**: the gradients from both branches are summed |
//
// Below, each pattern is shown with the library's gates, then all of them together in the slide's circuit.

// %%
import { Graph, AddGate, MultiplyGate, MaxGate, SinGate, Value, assertClose } from "gradlab";

// %% [markdown]
// ## The three gates, one at a time
//
// The same upstream gradient, $2$, arrives at each gate; inputs $x = 3$ and $y = -4$.

// %%
// <number>: gates for plain numbers, so backward gives number[]
const add = new AddGate<number>(), max = new MaxGate<number>(), mul = new MultiplyGate<number>();
add.forward(3, -4); max.forward(3, -4); mul.forward(3, -4);
const [addX, addY] = add.backward(2);
const [maxX, maxY] = max.backward(2);
const [mulX, mulY] = mul.backward(2);
console.log(`add distributes: dx = ${addX}, dy = ${addY}`);
console.log(`max routes:      dx = ${maxX}, dy = ${maxY}   (x = 3 won)`);
console.log(`mul switches:    dx = ${mulX}, dy = ${mulY}  (dx = 2·y, dy = 2·x)`);
assertClose("add: dx", addX, 2); assertClose("add: dy", addY, 2);
assertClose("max: dx", maxX, 2); assertClose("max: dy", maxY, 0, 0);
assertClose("mul: dx", mulX, -8); assertClose("mul: dy", mulY, 6);

// %% [markdown]
// ## The patterns in the slides' example
//
// The slides show the patterns on $f(x_1, x_2) = x_1 x_2 + \sin x_2$ with $a_1 = x_1 x_2$, $a_2 = \sin x_2$,
// $a_3 = a_1 + a_2$ (worked in full in notebook 08). At $(x_1, x_2) = (2, 5)$:
//
// * **addition distributes**: $\bar a_1 = \bar a_2 = \bar a_3 = 1$;
// * **multiplication switches**: $\bar x_1 = \bar a_1 x_2 = 5$, and the `*` gate sends $x_2$ the value $\bar a_1 x_1 = 2$;
// * **gradients add at branches**: $x_2$ feeds both the `*` and the `sin` gate, so a small change in it changes
//   $f$ through both; the two gradients are summed, $\bar x_2 = \bar a_1 x_1 + \bar a_2 \cos x_2 = 2 + \cos 5 \approx 2.2837$.
//
// Each edge leaving $x_2$ is labelled with its own branch's gradient.

// %%
const br = new Graph<number>();
const bx1 = br.input("x1"), bx2 = br.input("x2");
const a1 = br.apply(new MultiplyGate(), [bx1, bx2], "a1"), a2 = br.apply(new SinGate(), [bx2], "a2");
br.apply(new AddGate(), [a1, a2], "a3");
br.forward({ x1: 2, x2: 5 });
const branchGrads = br.backward();
assertClose("ā1 = ā3 (add distributes)", a1.grad!, 1);
assertClose("ā2 = ā3 (add distributes)", a2.grad!, 1);
assertClose("x̄1 = ā1·x2 (mul switches)", branchGrads.x1, 5);
assertClose("x̄2 = ā1·x1 + ā2·cos x2 (the two branches added)", branchGrads.x2, 2 + Math.cos(5));
br

// %% [markdown]
// ## The slide's circuit
//
// $$ f(x, y, z, w) = 2 \cdot \big( x y + \max(z, w) \big) \qquad \text{at } x = 3,\; y = -4,\; z = 2,\; w = -1. $$
//
// Forward: $x y = -12$, $\max(z, w) = 2$, their sum $-10$, times 2 gives $f = -20$.
//
// Backward: the final multiply by the constant 2 sends $2$ down; the add **distributes** it to both
// branches; the max **routes** it to $z$ (which won) and gives $w$ nothing; the mul **switches** the
// inputs: $\partial f / \partial x = 2 \cdot y = -8$, $\partial f / \partial y = 2 \cdot x = 6$.

// %%
const c = new Graph<number>();
const x = c.input("x"), y = c.input("y"), z = c.input("z"), w = c.input("w");
const xy = c.apply(new MultiplyGate(), [x, y], "x·y");
const m = c.apply(new MaxGate(), [z, w], "max(z,w)");
const s = c.apply(new AddGate(), [xy, m], "sum");
c.apply(new MultiplyGate(), [s, c.constant(2, "two")], "f");

assertClose("f", c.forward({ x: 3, y: -4, z: 2, w: -1 }), -20);
const grads = c.backward();
assertClose("∂f/∂x (mul switches: 2·y)", grads.x, -8);
assertClose("∂f/∂y (mul switches: 2·x)", grads.y, 6);
assertClose("∂f/∂z (max routes to the winner)", grads.z, 2);
assertClose("∂f/∂w (max gives the loser 0)", grads.w, 0, 0);
c

// %% [markdown]
// Each node's gradient came from one line of arithmetic: the trace of the backward pass lists the
// upstream gradient and what each node sent to its inputs.

// %%
for (const step of c.trace.filter((t) => t.phase === "backward" && t.downstream)) {
  const sent = step.inputs.map((input, i) => `${input} ← ${step.downstream![i]}`).join(", ");
  console.log(`${step.node.padEnd(9)} (${step.op}) upstream ${String(step.upstream).padStart(3)}  →  ${sent}`);
}

// %% [markdown]
// ## The same circuit, define-by-run
//
// Written as ordinary arithmetic on `Value`s, with a value that fans out added for good measure: the
// $x$ used in $x \cdot y$ also appears as $+\,x$, so its gradient becomes $-8 + 1 = -7$.

// %%
const vx = new Value(3, "x"), vy = new Value(-4, "y"), vz = new Value(2, "z"), vw = new Value(-1, "w");
const vf = vx.mul(vy).add(vz.max(vw)).mul(2);
vf.backward();
assertClose("Value: f", vf.data, -20);
assertClose("Value: ∂f/∂x", vx.grad, -8);
assertClose("Value: ∂f/∂w", vw.grad, 0, 0);


// %% [markdown]
// Drawn, $x$ has two edges: the one into $x \cdot y$ carries $-8$, the one into the final $+$ carries $1$,
// and the node shows their sum, $\Sigma\,{-7}$. The constant 2 shows its own gradient, $xy + \max(z, w) = -10$.

// %%
const vx2 = new Value(3, "x");
const branched = vx2.mul(vy).add(vz.max(vw)).mul(2).add(vx2);
branched.backward();
assertClose("branch: ∂(f + x)/∂x = -8 + 1", vx2.grad, -7);
branched

// %% [markdown]
// ## Summary
//
// * **add** distributes the upstream gradient, **max** routes it to the winner, **mul** switches the
//   inputs, and where a value fans out its gradients **add**.
// * The slides' $x_1 x_2 + \sin x_2$ shows three of them; the circuit $2(xy + \max(z, w))$ all four.
//
// ## Exercise
//
// Make $w$ win the max: choose a value for `wEx` below so that the gradient goes to $w$ instead of $z$.
// Predict $\partial f/\partial w$ and $f$ before you run it.

// %% tags=["exercise"]
const wEx = -1;   // try a value larger than z = 2
const exIn = { x: new Value(3), y: new Value(-4), z: new Value(2), w: new Value(wEx) };
const exOut = exIn.x.mul(exIn.y).add(exIn.z.max(exIn.w)).mul(2);
exOut.backward();
console.log(`f = ${exOut.data}; ∂f/∂z = ${exIn.z.grad}, ∂f/∂w = ${exIn.w.grad}`);
