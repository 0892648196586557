/** Three edge cases where a gradient used to mislead: x^0 at 0, backward after a failed forward, a kink in checkGate. */
import { checkGate, Graph, MaxGate, MultiplyGate, nn, PowGate, ReLUGate, Tensor, Value } from "gradlab";

describe("x^0 at x = 0", () => {
  test("has gradient 0 (the constant 1), not NaN", () => {
    const x = new Value(0);
    x.pow(0).backward();
    expect(x.grad).toBe(0);
    const g = new PowGate();
    g.forward(0, 0);
    expect(g.backward(1)[0]).toBe(0);
    const t = Tensor.from([0, 2], { requiresGrad: true });
    t.pow(0).sum().backward();
    expect(t.grad!.toArray()).toEqual([0, 0]);
  });
});

describe("backward after a forward that threw", () => {
  test("a gate refuses instead of returning the previous run's gradients", () => {
    const g = new MultiplyGate();
    g.forward(2, 3);
    expect(() => g.forward(Tensor.zeros([2]), Tensor.zeros([3]))).toThrow();
    expect(() => g.backward(1)).toThrow(/MultiplyGate.backward\b.*the last forward threw/);
  });
  test("a Graph refuses too", () => {
    const graph = new Graph();
    const x = graph.input("x"), y = graph.input("y");
    graph.apply(new MultiplyGate(), [x, y], "p");
    graph.forward({ x: 2, y: 3 });
    expect(() => graph.forward({ x: Tensor.zeros([2]), y: Tensor.zeros([3]) })).toThrow();
    expect(() => graph.backward()).toThrow(/Graph.backward\b.*the last forward threw/);
  });
  test("an nn layer refuses too", () => {
    const layer = new nn.Linear(2, 1);
    layer.forward(Tensor.ones([1, 2]));
    expect(() => layer.forward(Tensor.ones([1, 3]))).toThrow();
    expect(() => layer.backward(Tensor.ones([1, 1]))).toThrow(/Linear.backward\b.*the last forward threw/);
  });
  test("a Sequential refuses before any later layer adds gradients from its older cache", () => {
    const first = new nn.Linear(2, 3), second = new nn.Linear(3, 1);
    const net = new nn.Sequential(first, new nn.ReLU(), second);
    net.forward(Tensor.ones([1, 2]));
    expect(() => net.forward(Tensor.ones([1, 5]))).toThrow();
    expect(() => net.backward(Tensor.ones([1, 1]))).toThrow(/Sequential.backward\b.*the last forward threw/);
    expect(second.W.grad ?? null).toBeNull();
  });
});

describe("checkGate at a kink", () => {
  test("a max tie is called a kink, not a factor of 2", () => {
    const r = checkGate(new MaxGate(), [1, 1]);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/a kink: the numeric gradient is not defined here/);
    expect(r.message).not.toMatch(/factor of 2/);
    expect(checkGate(new ReLUGate(), [0]).message).toMatch(/a kink/);
  });
  test("a real factor-of-2 mistake is still called one", () => {
    class Doubled extends MultiplyGate {
      backward(dout: number) { return super.backward(dout).map((g) => (g as number) * 2); }
    }
    expect(checkGate(new Doubled(), [1.5, -2]).message).toMatch(/off by a factor of 2/);
  });
});
