/** Forward mode: dual numbers and jvp, against reverse mode (grad) on every gate. */
import { Dual, Tensor, Value, grad, jvp, tensor } from "gradlab";

describe("known answers", () => {
  const f = (x1: any, x2: any) => x1.log().add(x1.mul(x2)).sub(x2.sin());

  test("ln(x1) + x1·x2 - sin(x2) at (2, 5) by forward mode, one direction per pass", () => {
    const d1 = jvp(f, [2, 5], [1, 0]);
    expect(d1.value).toBeCloseTo(11.652, 3);
    expect(d1.tangent).toBeCloseTo(5.5, 14);
    const d2 = jvp(f, [2, 5], [0, 1]);
    expect(d2.tangent).toBeCloseTo(1.7163, 4);
    // Any direction: the directional derivative is the gradient dotted with it.
    expect(jvp(f, [2, 5], [3, -2]).tangent).toBeCloseTo(3 * 5.5 - 2 * (2 - Math.cos(5)), 13);
  });

  test("the same function by reverse mode", () => {
    const [g1, g2] = grad(f)(2, 5);
    expect(g1).toBeCloseTo(5.5, 14);
    expect(g2).toBeCloseTo(1.7163, 4);
  });

  test("x1·x2 + sin(x1)", () => {
    const h = (x1: any, x2: any) => x1.mul(x2).add(x1.sin());
    expect(jvp(h, [0.3, 2], [1, 0]).tangent).toBeCloseTo(2 + Math.cos(0.3), 14);
    expect(jvp(h, [0.3, 2], [0, 1]).tangent).toBeCloseTo(0.3, 14);
  });

  test("a Dual carries value and tangent", () => {
    const x = new Dual(3, 1);
    const y = x.mul(x).add(1);
    expect([y.value, y.tangent]).toEqual([10, 6]);
  });
});

describe("grad and jvp agree on every scalar operation", () => {
  type Fn = (...xs: any[]) => any;
  const unary: [string, Fn, number][] = [
    ["neg", (x) => x.neg(), 0.7], ["exp", (x) => x.exp(), 0.7], ["log", (x) => x.log(), 0.7],
    ["sin", (x) => x.sin(), 0.7], ["cos", (x) => x.cos(), 0.7], ["tanh", (x) => x.tanh(), 0.7],
    ["sigmoid", (x) => x.sigmoid(), -1.3], ["relu", (x) => x.relu(), 0.7], ["relu<0", (x) => x.relu(), -0.7],
    ["abs", (x) => x.abs(), -0.7], ["sqrt", (x) => x.sqrt(), 0.7], ["square", (x) => x.square(), -0.7],
  ];
  test.each(unary)("%s", (_name, fn, x) => {
    const [g] = grad(fn)(x);
    expect(jvp(fn, x, 1).tangent).toBeCloseTo(g as number, 14);
  });

  const binary: [string, Fn, number, number][] = [
    ["add", (x, y) => x.add(y), 0.7, -1.2], ["sub", (x, y) => x.sub(y), 0.7, -1.2], ["mul", (x, y) => x.mul(y), 0.7, -1.2],
    ["div", (x, y) => x.div(y), 0.7, -1.2], ["pow", (x, y) => x.pow(y), 0.7, -1.2], ["max", (x, y) => x.max(y), 0.7, -1.2],
    ["min", (x, y) => x.min(y), 0.7, -1.2],
  ];
  test.each(binary)("%s", (_name, fn, x, y) => {
    const [gx, gy] = grad(fn)(x, y) as number[];
    expect(jvp(fn, [x, y], [1, 0]).tangent).toBeCloseTo(gx, 14);
    expect(jvp(fn, [x, y], [0, 1]).tangent).toBeCloseTo(gy, 14);
  });

  test("pow with a constant exponent and a negative base has a finite derivative", () => {
    expect(jvp((x: Dual) => x.pow(2), -3, 1).tangent).toBe(-6);
    const x = new Value(-3);
    const y = x.pow(2);
    y.backward();
    expect(x.grad).toBe(-6);
    expect(y.inputs[1].grad).toBe(0); // the constant 2 receives no gradient (not NaN)
  });
});

describe("tensors", () => {
  test("jvp of a tensor function equals the reverse-mode gradient dotted with the direction", () => {
    const W = tensor([[0.2, -0.5], [1.5, 1.3]]), x = tensor([[0.3], [-1.1]]);
    const f = (w: any) => w.matmul(x).tanh().sum();
    const V = tensor([[1, 0.5], [-2, 0.25]]);
    const { tangent } = jvp(f, W, V);
    const [g] = grad<Tensor>(f)(W);
    let dot = 0;
    for (let i = 0; i < 4; i++) dot += g.data[i] * V.data[i];
    expect((tangent as Tensor).item()).toBeCloseTo(dot, 13);
  });

  // Each f is written once and run on Duals (forward mode) and on tensors with requiresGrad (reverse mode).
  const A = tensor([[0.5, -1.2, 0.3], [2.0, 0.7, -0.4]]);
  const B = tensor([[0.1, 0.2], [-0.3, 0.4], [0.5, -0.6]]);
  const tensorCases: [string, (a: any) => any][] = [
    ["matmul", (a) => a.matmul(B).sum()],
    ["sum over an axis", (a) => a.sum(1).square().sum()],
    ["mean with keepdims", (a) => a.mean(0, true).exp().sum()],
    ["reshape and transpose", (a) => a.reshape(3, 2).transpose().matmul(B).sin().sum()],
    ["maximum with a constant", (a) => a.maximum(0.1).sum()],
    ["clip", (a) => a.clip(-0.5, 0.6).mul(a).sum()],
    ["sigmoid, tanh, relu, abs", (a) => a.sigmoid().add(a.tanh()).add(a.relu()).add(a.abs()).sum()],
    ["division and powers", (a) => a.div(a.square().add(1)).pow(2).sum()],
  ];
  test.each(tensorCases)("%s: jvp equals the gradient dotted with the direction", (_name, f) => {
    const V = tensor([[1, -0.5, 0.25], [0.75, -1, 2]]);
    const { tangent } = jvp(f, A, V);
    const [g] = grad<Tensor>(f)(A);
    let dot = 0;
    for (let i = 0; i < g.size; i++) dot += g.data[i] * V.data[i];
    expect((tangent as Tensor).item()).toBeCloseTo(dot, 12);
  });

  test("errors name the shapes", () => {
    expect(() => jvp((a: Dual) => a, tensor([1, 2]), tensor([1, 2, 3]))).toThrow("jvp: direction 0 has shape [3] but input 0 has shape [2]");
    expect(() => jvp((a: Dual) => a, [1, 2], [1])).toThrow("jvp: 2 input(s) but 1 direction(s)");
    expect(() => grad((a: any) => a.mul(2))(tensor([1, 2]))).toThrow("grad: f must return a scalar, got a Tensor of shape [2]");
  });
});
