/** Transposes read in place (matmul2d), and backward passes that skip the gradient of an input that needs none. */
import { MatMulGate, Random, Tensor, ops } from "gradlab";

const rng = new Random(5);

test("matmul2d(a, b, transA, transB) equals matmul of the materialised transposes", () => {
  const a = Tensor.randn([7, 13], rng), b = Tensor.randn([13, 5], rng);
  const at = a.transpose(), bt = b.transpose();
  const want = a.matmul(b).toFlat();
  for (const [x, y, ta, tb] of [[a, b, false, false], [at, b, true, false], [a, bt, false, true], [at, bt, true, true]] as const) {
    const got = ops.matmul2d(x, y, ta, tb);
    expect(got.shape).toEqual([7, 5]);
    got.toFlat().forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
  }
  expect(() => ops.matmul2d(a, a)).toThrow(/not aligned/);
});

test("MatMulGate.backwardSome gives backward's gradients for the inputs asked for, null for the others", () => {
  const gate = new MatMulGate();
  const x = Tensor.randn([6, 9], rng), w = Tensor.randn([9, 4], rng), d = Tensor.randn([6, 4], rng);
  gate.forward(x, w);
  const [dx, dw] = gate.backward(d) as Tensor[];
  const [sx, sw] = gate.backwardSome(d, [false, true]);
  expect(sx).toBeNull();
  expect((sw as Tensor).toFlat()).toEqual(dw.toFlat());
  const [tx, tw] = gate.backwardSome(d, [true, false]);
  expect((tx as Tensor).toFlat()).toEqual(dx.toFlat());
  expect(tw).toBeNull();
});

test("autograd through a layer: the weights get their gradients and the data none", () => {
  const X = Tensor.randn([5, 8], rng), W = Tensor.randn([8, 3], rng).requireGrad();
  X.matmul(W).relu().sum().backward();
  expect(X.grad).toBeNull();
  const mask = X.matmul(W).gt(0);
  const want = ops.matmul2d(X, mask, true, false).toFlat();
  (W.grad as Tensor).toFlat().forEach((v, i) => expect(v).toBeCloseTo(want[i], 12));
});

test("Linear.backwardParams fills W.grad and b.grad as backward does, without the input gradient", async () => {
  const { nn } = await import("gradlab");
  const x = Tensor.randn([4, 6], rng), d = Tensor.randn([4, 3], rng);
  const a = new nn.Linear(6, 3, { rng: 1 }), b = new nn.Linear(6, 3, { rng: 1 });
  a.forward(x);
  a.backward(d);
  b.forward(x);
  b.backwardParams(d);
  expect(b.W.grad!.toFlat()).toEqual(a.W.grad!.toFlat());
  expect(b.b.grad!.toFlat()).toEqual(a.b.grad!.toFlat());
});
