/**
 * The computation graphs the lecture notebooks draw, built the way the notebooks build them, for the
 * drawing tests (geometry here, rendered text in a browser in plot-graph-browser.test.ts).
 */
import { AddGate, Graph, LogGate, MatMulGate, MaxGate, MultiplyGate, NegateGate, SigmoidGate, SinGate, SubtractGate, Value, plot, tensor } from "gradlab";

/** Notebook 05: f = (x + y) z at (-2, 5, -4). */
export function simpleExample(): plot.GraphView {
  const g = new Graph();
  const x = g.input("x"), y = g.input("y"), z = g.input("z");
  g.apply(new MultiplyGate(), [g.apply(new AddGate(), [x, y], "q"), z], "f");
  g.forward({ x: -2, y: 5, z: -4 });
  g.backward();
  return g.toView();
}

/** Notebook 06: 2·(x·y + max(z, w)), with the constant declared first or last. */
export function circuit(constantFirst: boolean): plot.GraphView {
  const g = new Graph();
  const early = constantFirst ? g.constant(2, "two") : null;
  const x = g.input("x"), y = g.input("y"), z = g.input("z"), w = g.input("w");
  const xy = g.apply(new MultiplyGate(), [x, y], "x·y");
  const m = g.apply(new MaxGate(), [z, w], "max(z,w)");
  const s = g.apply(new AddGate(), [xy, m], "sum");
  g.apply(new MultiplyGate(), [s, early ?? g.constant(2, "two")], "f");
  g.forward({ x: 3, y: -4, z: 2, w: -1 });
  g.backward();
  return g.toView();
}

/** Notebooks 06 and 08: the slides' x1·x2 + sin(x2), where x2 fans out. */
export function branches(): plot.GraphView {
  const g = new Graph();
  const x1 = g.input("x1"), x2 = g.input("x2");
  g.apply(new AddGate(), [g.apply(new MultiplyGate(), [x1, x2], "a1"), g.apply(new SinGate(), [x2], "a2")], "a3");
  g.forward({ x1: 2, x2: 5 });
  g.backward();
  return g.toView();
}

/** Notebook 08: ln(x1) + x1·x2 − sin(x2) at (2, 5). */
export function autodiffDag(): plot.GraphView {
  const g = new Graph();
  const x1 = g.input("x1"), x2 = g.input("x2");
  const v1 = g.apply(new LogGate(), [x1], "v1"), v2 = g.apply(new MultiplyGate(), [x1, x2], "v2"), v3 = g.apply(new SinGate(), [x2], "v3");
  g.apply(new SubtractGate(), [g.apply(new AddGate(), [v1, v2], "v4"), v3], "v5");
  g.forward({ x1: 2, x2: 5 });
  g.backward();
  return g.toView();
}

/** Notebook 09: one step of Heron's square root, y1 = (y0 + a / y0) · 0.5, define-by-run. */
export function heronStep(): plot.GraphView {
  const a = new Value(2, "a"), y0 = new Value(1, "y0");
  const y1 = y0.add(a.div(y0)).mul(0.5).named("y1");
  y1.backward();
  return y1.toView();
}

/** Notebook 01: the classifier as a graph, input → w·x → + b → σ → log → −, with tensor values. */
export function classifier(): plot.GraphView {
  const g = new Graph();
  const w = g.input("w"), x = g.input("x"), b = g.input("b");
  const s = g.apply(new AddGate(), [g.apply(new MatMulGate(), [w, x], "w·x"), b], "s");
  g.apply(new NegateGate(), [g.apply(new LogGate(), [g.apply(new SigmoidGate(), [s], "p")], "log p")], "L");
  g.forward({ w: tensor([0.2, -0.5, 0.1, 2.0]), x: tensor([56, 231, 24, 2]).div(255), b: 3.2 });
  g.backward();
  return g.toView();
}

/** The sigmoid written out, 1 / (1 + e^−x), with the numeric constants 1 and −1 unnamed. */
export function sigmoidByHand(): plot.GraphView {
  const x = new Value(1.5, "x");
  const s = x.neg().exp().add(1).pow(-1);
  s.backward();
  return s.toView();
}

/** Fan-out at its tightest: a value used twice by one gate and once more, a·a + a (06's branches). */
export function fanOut(): plot.GraphView {
  const a = new Value(3, "a");
  const f = a.mul(a).add(a);
  f.backward();
  return f.toView();
}

export const LECTURE_GRAPHS: [string, () => plot.GraphView][] = [
  ["05 (x + y) z", simpleExample],
  ["06 the circuit 2(xy + max(z, w))", () => circuit(false)],
  ["06, 08 the slides' x1 x2 + sin x2", branches],
  ["08 ln x1 + x1 x2 - sin x2", autodiffDag],
  ["09 a step of Heron's loop", heronStep],
  ["01 the classifier's graph", classifier],
  ["the sigmoid by hand", sigmoidByHand],
  ["fan-out a·a + a", fanOut],
];
