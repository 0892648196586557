/** The "Known answers" of issue 2, each asserted through the public API in one place. */
import { AddGate, Graph, MaxGate, MultiplyGate, SigmoidGate, Tensor, Value, grad, jvp, tensor } from "gradlab";

test("(x + y)·z at (-2, 5, -4): f = -12, ∂f/∂x = -4, ∂f/∂y = -4, ∂f/∂z = 3", () => {
  const g = new Graph();
  const x = g.input("x"), y = g.input("y"), z = g.input("z");
  const q = g.apply(new AddGate(), [x, y], "q");
  g.apply(new MultiplyGate(), [q, z], "f");
  expect(g.forward({ x: -2, y: 5, z: -4 })).toBe(-12);
  expect(g.backward()).toEqual({ x: -4, y: -4, z: 3 });
});

test("patterns of gradient flow: 2·(x·y + max(z, w)) at x=3, y=-4, z=2, w=-1", () => {
  const g = new Graph();
  const [x, y, z, w] = ["x", "y", "z", "w"].map((n) => g.input(n));
  const s = g.apply(new AddGate(), [g.apply(new MultiplyGate(), [x, y]), g.apply(new MaxGate(), [z, w])]);
  g.apply(new MultiplyGate(), [g.constant(2), s]);
  expect(g.forward({ x: 3, y: -4, z: 2, w: -1 })).toBe(-20);
  expect(g.backward()).toEqual({ x: -8, y: 6, z: 2, w: 0 });
});

test("ln(x1) + x1·x2 - sin(x2) at (2, 5) by reverse and forward mode", () => {
  const f = (x1: any, x2: any) => x1.log().add(x1.mul(x2)).sub(x2.sin());
  const a = new Value(2, "x1"), b = new Value(5, "x2");
  const out = f(a, b);
  out.backward();
  expect(out.data).toBeCloseTo(11.652, 3);
  expect(a.grad).toBeCloseTo(5.5, 14);
  expect(b.grad).toBeCloseTo(1.7163, 4);
  expect(jvp(f, [2, 5], [1, 0]).tangent).toBeCloseTo(5.5, 14);
  expect(jvp(f, [2, 5], [0, 1]).tangent).toBeCloseTo(1.7163, 4);
});

test("x1·x2 + sin(x1): ∂/∂x1 = x2 + cos(x1), ∂/∂x2 = x1", () => {
  const f = (x1: Value, x2: Value) => x1.mul(x2).add(x1.sin());
  const [d1, d2] = grad(f)(1.2, -0.8);
  expect(d1).toBeCloseTo(-0.8 + Math.cos(1.2), 15);
  expect(d2).toBe(1.2);
});

test("σ'(x) = σ(x)(1 - σ(x)) on a range of x, no overflow for |x| up to 1000", () => {
  const gate = new SigmoidGate();
  const xs = Tensor.linspace(-1000, 1000, 4001);
  const s = gate.forward(xs) as Tensor;
  const ds = gate.backward(Tensor.onesLike(xs))[0] as Tensor;
  expect(s.data.every(Number.isFinite) && ds.data.every(Number.isFinite)).toBe(true);
  for (let i = 0; i < xs.size; i++) expect(ds.data[i]).toBeCloseTo(s.data[i] * (1 - s.data[i]), 15);
  expect(gate.forward(0)).toBe(0.5);
  expect(gate.backward(1)).toEqual([0.25]);
});

test("linear classifier scores of the lecture's 4-pixel image: cat -96.8, dog 437.9, ship 60.75", () => {
  const W = tensor([[0.2, -0.5, 0.1, 2.0], [1.5, 1.3, 2.1, 0.0], [0, 0.25, 0.2, -0.3]], { requiresGrad: true });
  const x = tensor([56, 231, 24, 2]);
  const b = tensor([1.1, 3.2, -1.2], { requiresGrad: true });
  const scores = W.matmul(x).add(b);
  // The slide prints 61.95 for "ship"; 0·56 + 0.25·231 + 0.2·24 - 0.3·2 - 1.2 is 60.75.
  expect(scores.allClose(tensor([-96.8, 437.9, 60.75]), 1e-12, 1e-12)).toBe(true);
  // d(dog score)/dW is x in the dog row; d/db is the one-hot of dog.
  scores.backward(tensor([0, 1, 0]));
  expect(W.grad!.toArray()).toEqual([[0, 0, 0, 0], [56, 231, 24, 2], [0, 0, 0, 0]]);
  expect(b.grad!.toArray()).toEqual([0, 1, 0]);
});
