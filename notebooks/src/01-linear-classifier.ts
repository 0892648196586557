// %% [markdown]
// # 1. The linear classifier
//
// A classifier turns an image into one **score per class**. The simplest one is *linear*:
// stretch the image into a column of pixel values $x$, and compute
//
// $$ f(x, W, b) = W x + b, \qquad W \in \mathbb{R}^{K \times D},\; x \in \mathbb{R}^{D},\; b \in \mathbb{R}^{K}. $$
//
// Each row of $W$ is a *template* for one class: the score of class $k$ is the dot product
// $w_k \cdot x$ (how well the image matches the template) plus a bias $b_k$.
//
// The slide's example is a tiny image of **4 pixels** and **3 classes** (cat, dog, ship), so
// $K = 3$ and $D = 4$. Every number below is computed, and checked against the known answer by
// `assertClose`: if the library were wrong, this notebook would stop with an error.

// %%
import { Tensor, tensor, Graph, MatMulGate, AddGate, SigmoidGate, LogGate, NegateGate, plot, assertClose } from "gradlab";

// %% [markdown]
// ## The image, the weights and the bias
//
// The 2×2 image has pixel values 56, 231, 24 and 2; stretched into a column,
// $x = (56, 231, 24, 2)^\top$.

// %%
const classes = ["cat", "dog", "ship"];
const W = tensor([
  [0.2, -0.5, 0.1, 2.0],
  [1.5, 1.3, 2.1, 0.0],
  [0.0, 0.25, 0.2, -0.3],
]);
const x = tensor([56, 231, 24, 2]);
const b = tensor([1.1, 3.2, -1.2]);
plot.heatmap(W.toArray(), { title: "W: one template (row) per class", xTitle: "pixel", yTitle: "class", rowNames: classes, cellSize: 70 });

// %% [markdown]
// ## The scores
//
// $$ s = W x + b = \begin{pmatrix} 0.2 & -0.5 & 0.1 & 2.0 \\ 1.5 & 1.3 & 2.1 & 0.0 \\ 0 & 0.25 & 0.2 & -0.3 \end{pmatrix}
//    \begin{pmatrix} 56 \\ 231 \\ 24 \\ 2 \end{pmatrix} + \begin{pmatrix} 1.1 \\ 3.2 \\ -1.2 \end{pmatrix} $$

// %%
const scores = W.matmul(x).add(b);
const expected = [-96.8, 437.9, 60.75];
classes.forEach((name, k) => assertClose(`score of ${name}`, scores.get(k), expected[k]));
scores

// %% [markdown]
// The weights do not like this image as a cat (−96.8), like it a lot as a dog (437.9), and moderately
// as a ship (60.75): the classifier says **dog**.
//
// **A slip on the slide.** The slide prints **61.95** for the ship. That number is the dot product
// $w_\text{ship} \cdot x = 0 \cdot 56 + 0.25 \cdot 231 + 0.2 \cdot 24 - 0.3 \cdot 2 = 61.95$ *before*
// the bias $b_\text{ship} = -1.2$ is added; with the bias the score is $61.95 - 1.2 = 60.75$. The
// other two scores on the slide include their bias.

// %%
const shipDot = W.slice(2).matmul(x).item();
assertClose("w_ship · x (the slide's 61.95)", shipDot, 61.95);
assertClose("w_ship · x + b_ship", shipDot + b.get(2), 60.75);
const winner = classes[scores.argmax().item()];
console.log(`predicted class: ${winner}`);
if (winner !== "dog") throw new Error(`expected the classifier to say dog, it says ${winner}`);

// %% [markdown]
// ## From scores to a loss: input → $w \cdot x$ → sigmoid → $-\log$
//
// To *learn* $W$ we need a number that says how bad the scores are. For one class at a time
// (say "is this a dog?", label $y = 1$), squash the score into a probability with the sigmoid
// and take the negative log-likelihood:
//
// $$ s = w \cdot x + b, \qquad p = \sigma(s) = \frac{1}{1 + e^{-s}}, \qquad L = -\log p. $$
//
// A confident right answer ($p \to 1$) costs nothing; a confident wrong one costs a lot. We build
// this chain as a computational graph from the library's gates; the lectures that follow explain how
// its gradients are computed.

// %%
const g = new Graph();
const wIn = g.input("w"), xIn = g.input("x"), bIn = g.input("b");
const s = g.apply(new MatMulGate(), [wIn, xIn], "w·x");
const sb = g.apply(new AddGate(), [s, bIn], "s");
const p = g.apply(new SigmoidGate(), [sb], "p");
const logp = g.apply(new LogGate(), [p], "log p");
g.apply(new NegateGate(), [logp], "L");

// Scaled-down pixels (divided by 255) keep the sigmoid out of saturation, so the gradients are visible.
const pixels = x.div(255);
// w·x of two 1-D tensors is a 0-d tensor; item() reads its number.
const lossOf = (k: number) => (g.forward({ w: W.slice(k), x: pixels, b: b.get(k) }) as Tensor).item();
const lossDog = lossOf(1);
const sDog = W.slice(1).matmul(pixels).item() + b.get(1);
assertClose("loss for 'dog' (-log σ(s))", lossDog, Math.log1p(Math.exp(-sDog)));
g

// %% [markdown]
// The same chain for "is this a cat?" (pretending the label were cat): the cat template scores the
// image lower, so $p$ is smaller and the loss larger. Gradient descent (next notebooks) would move
// $w_\text{cat}$ to reduce it.

// %%
const lossCat = lossOf(0);
const sCat = W.slice(0).matmul(pixels).item() + b.get(0);
assertClose("loss for 'cat' (-log σ(s))", lossCat, Math.log1p(Math.exp(-sCat)));
console.log(`score ${sCat.toFixed(3)} → p = ${(1 / (1 + Math.exp(-sCat))).toFixed(4)} → loss ${lossCat.toFixed(4)}`);
if (!(lossCat > lossDog)) throw new Error("the wrong class should cost more than the right one");

// %% [markdown]
// ## Summary
//
// * A linear classifier scores an image with $s = Wx + b$: one template (row of $W$) per class.
// * The slide's image scores −96.8 (cat), 437.9 (dog), 60.75 (ship); the slide's 61.95 leaves out the ship's bias.
// * Sigmoid and $-\log$ turn a score into a loss, a chain of gates that backpropagation will differentiate.
//
// ## Exercise
//
// Which pixel would you change to make the ship score beat the dog score? Change one entry of `xEx`
// below and re-run until the prediction says ship. (Hint: compare the dog and ship rows of $W$.)

// %% tags=["exercise"]
const xEx = tensor([56, 231, 24, 2]);   // try a different value for one pixel
const scoresEx = W.matmul(xEx).add(b);
console.log(`scores: ${scoresEx.toFlat().map((v) => v.toFixed(2)).join(", ")} → ${classes[scoresEx.argmax().item()]}`);
