/**
 * The op table's promise: an operation declared once in lib/gates/table.ts works on every surface.
 * softplus and atan were added by their table entries alone; this checks them on all four surfaces
 * (Gate, Value, Dual, Tensor) against closed forms and centred differences.
 */
import {
  AtanGate, Dual, Graph, SoftplusGate, Tensor, UnaryGate, Value, checkGate, gradcheck, jvp, numericGradient, tensor,
} from "gradlab";

const softplus = (x: number) => Math.log(1 + Math.exp(x));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const points = [-2.5, -0.3, 0, 0.8, 3];

describe.each([
  ["softplus", SoftplusGate, "SoftplusGate", "softplus", softplus, sigmoid],
  ["atan", AtanGate, "AtanGate", "atan", Math.atan, (x: number) => 1 / (1 + x * x)],
] as const)("%s", (method, GateClass, gateName, symbol, f, df) => {
  test("the gate: a UnaryGate with its name and symbol, forward and backward by the closed forms", () => {
    const g = new GateClass();
    expect(g).toBeInstanceOf(UnaryGate);
    expect([g.name, g.symbol, GateClass.name]).toEqual([gateName, symbol, gateName]);
    for (const x of points) {
      expect(g.forward(x)).toBeCloseTo(f(x), 14);
      expect(g.backward(2)[0]).toBeCloseTo(2 * df(x), 14);
    }
  });

  test("the gate's backward and jvp match centred differences, on numbers and on a tensor", () => {
    for (const x of points) {
      const r = checkGate(new GateClass(), [x]);
      expect(r.ok).toBe(true);
      expect(r.jvpOk).toBe(true);
    }
    const r = checkGate(new GateClass(), [tensor([[-1.5, 0.2, 2], [0.7, -0.1, 4]])]);
    expect([r.ok, r.jvpOk]).toEqual([true, true]);
  });

  test("Value: the value, and backward against a numeric gradient", () => {
    for (const x0 of points) {
      const x = new Value(x0);
      const y = (x.mul(x) as any)[method]().mul(3) as Value; // 3·f(x²)
      expect(y.data).toBeCloseTo(3 * f(x0 * x0), 13);
      y.backward();
      const numeric = numericGradient((v: number) => 3 * f(v * v), x0) as number;
      expect(x.grad).toBeCloseTo(numeric, 6);
      expect(x.grad).toBeCloseTo(3 * df(x0 * x0) * 2 * x0, 12);
    }
    // The gate made on request for drawings is the table's class.
    expect((new Value(0.5) as any)[method]().gate).toBeInstanceOf(GateClass);
  });

  test("Dual: forward mode gives the derivative, equal to reverse mode", () => {
    for (const x0 of points) {
      const d = (new Dual(x0, 1) as any)[method]() as Dual;
      expect(d.value).toBeCloseTo(f(x0), 14);
      expect(d.tangent).toBeCloseTo(df(x0), 14);
      const { tangent } = jvp((x: any) => x.mul(2)[method](), x0, 1);
      expect(tangent).toBeCloseTo(2 * df(2 * x0), 14);
    }
  });

  test("Tensor: elementwise values, autograd gradients pass gradcheck, and the raw path records nothing", () => {
    const t = tensor([[-2, -0.5, 0], [0.5, 1, 30]]);
    const out = (t as any)[method]() as Tensor;
    expect(out.shape).toEqual([2, 3]);
    out.data.forEach((v, i) => expect(v).toBeCloseTo(f(t.data[i]), 13));
    expect(out.requiresGrad).toBe(false);
    const x = tensor([[-1.2, 0.4, 2.2], [0.1, -3, 0.9]]);
    const r = gradcheck((a: Tensor) => (a.mul(a.sum(1, true)) as any)[method](), [x]);
    expect(r.ok).toBe(true);
    const leaf = x.clone().requireGrad();
    ((leaf as any)[method]() as Tensor).sum().backward();
    leaf.grad!.data.forEach((g, i) => expect(g).toBeCloseTo(df(x.data[i]), 13));
  });

  test("Graph: the gate in a define-then-run graph, with its trace", () => {
    const g = new Graph();
    const x = g.input("x");
    const y = g.apply(new GateClass(), [x], "y");
    g.apply(new GateClass(), [y], "z");
    expect(g.forward({ x: 0.6 })).toBeCloseTo(f(f(0.6)), 14);
    expect(g.backward().x).toBeCloseTo(df(f(0.6)) * df(0.6), 14);
    expect(g.trace.find((s) => s.phase === "backward" && s.node === "y")!.op).toBe(symbol);
  });
});

test("softplus does not overflow where log(1 + e^x) would", () => {
  expect(new SoftplusGate().forward(1000)).toBe(1000);
  expect(new SoftplusGate().forward(-1000)).toBe(0);
  expect(new Value(800).softplus().data).toBe(800);
});
