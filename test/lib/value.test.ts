/** Value (define-by-run scalars): the lecture's examples, reuse, repeated backward, display. */
import { Value } from "gradlab";

describe("known answers", () => {
  test("ln(x1) + x1·x2 - sin(x2) at (2, 5)", () => {
    const a = new Value(2, "x1"), b = new Value(5, "x2");
    const f = a.log().add(a.mul(b)).sub(b.sin());
    expect(f.data).toBeCloseTo(11.652, 3);
    f.backward();
    expect(a.grad).toBeCloseTo(5.5, 14);
    expect(b.grad).toBeCloseTo(2 - Math.cos(5), 14);
    expect(b.grad).toBeCloseTo(1.7163, 4);
  });

  test("x1·x2 + sin(x1): ∂/∂x1 = x2 + cos(x1), ∂/∂x2 = x1", () => {
    for (const [p, q] of [[0.5, -1.5], [2, 3], [-1, 4]]) {
      const x1 = new Value(p), x2 = new Value(q);
      x1.mul(x2).add(x1.sin()).backward();
      expect(x1.grad).toBeCloseTo(q + Math.cos(p), 14);
      expect(x2.grad).toBe(p);
    }
  });

  test("(x + y)·z and 2·(x·y + max(z, w))", () => {
    const [x, y, z] = [new Value(-2), new Value(5), new Value(-4)];
    const f = x.add(y).mul(z);
    f.backward();
    expect([f.data, x.grad, y.grad, z.grad]).toEqual([-12, -4, -4, 3]);
    const [p, q, r, w] = [new Value(3), new Value(-4), new Value(2), new Value(-1)];
    const g = p.mul(q).add(r.max(w)).mul(2);
    g.backward();
    expect([g.data, p.grad, q.grad, r.grad, w.grad]).toEqual([-20, -8, 6, 2, 0]);
  });
});

describe("backward", () => {
  test("a value reused: a = 1; b = a + a; c = b + b gives dc/da = 4", () => {
    const a = new Value(1, "a");
    const b = a.add(a);
    const c = b.add(b);
    c.backward();
    expect(c.data).toBe(4);
    expect(b.grad).toBe(2);
    expect(a.grad).toBe(4);
  });

  test("repeated backward() does not pile up; { accumulate: true } does", () => {
    const x = new Value(3);
    const y = x.mul(x);
    y.backward();
    y.backward();
    expect(x.grad).toBe(6);
    y.backward({ accumulate: true });
    expect(x.grad).toBe(12);
    expect(y.grad).toBe(2);
    y.zeroGrad();
    expect([x.grad, y.grad]).toEqual([0, 0]);
    y.backward({ grad: 0.5 });
    expect(x.grad).toBe(3);
  });

  test("numbers mix with Values, and every operation has the right derivative", () => {
    const x = new Value(0.7);
    const cases: [(v: Value) => Value, number][] = [
      [(v) => v.add(2), 1],
      [(v) => v.sub(2), 1],
      [(v) => v.mul(3), 3],
      [(v) => v.div(2), 0.5],
      [(v) => v.pow(3), 3 * 0.7 ** 2],
      [(v) => v.neg(), -1],
      [(v) => v.exp(), Math.exp(0.7)],
      [(v) => v.log(), 1 / 0.7],
      [(v) => v.sin(), Math.cos(0.7)],
      [(v) => v.cos(), -Math.sin(0.7)],
      [(v) => v.tanh(), 1 - Math.tanh(0.7) ** 2],
      [(v) => v.sigmoid(), (1 / (1 + Math.exp(-0.7))) * (1 - 1 / (1 + Math.exp(-0.7)))],
      [(v) => v.relu(), 1],
      [(v) => v.max(1), 0],
      [(v) => v.min(1), 1],
      [(v) => v.sqrt(), 0.5 / Math.sqrt(0.7)],
    ];
    for (const [f, d] of cases) {
      f(x).backward();
      expect(x.grad).toBeCloseTo(d, 14);
    }
  });

  test("a loop builds the graph as it runs: x^8 by squaring three times", () => {
    const x = new Value(1.1);
    let y = x;
    for (let i = 0; i < 3; i++) y = y.mul(y);
    y.backward();
    expect(y.data).toBeCloseTo(1.1 ** 8, 13);
    expect(x.grad).toBeCloseTo(8 * 1.1 ** 7, 13);
  });

  test("a long chain does not overflow the stack", () => {
    let y = new Value(0);
    const x = y;
    for (let i = 0; i < 20000; i++) y = y.add(1);
    y.backward();
    expect(y.data).toBe(20000);
    expect(x.grad).toBe(1);
  });

  test("bad input is named", () => {
    expect(() => new Value("3" as any)).toThrow("Value: data must be a number, got a string");
    expect(() => new Value(1).add("2" as any)).toThrow("Value: expected a Value or a number, got a string");
  });
});

describe("display", () => {
  test("toView shows every value with its op, data and grad; labels name nodes", () => {
    const a = new Value(2, "a"), b = new Value(-3, "b");
    const c = a.mul(b).named("c");
    c.backward();
    const view = c.toView();
    expect(view.nodes.map((n) => [n.label, n.op, n.value, n.grad])).toEqual([
      ["a", undefined, 2, -3],
      ["b", undefined, -3, 2],
      ["c", "*", -6, 1],
    ]);
    expect(view.edges).toEqual([
      { from: view.nodes[0].id, to: view.nodes[2].id },
      { from: view.nodes[1].id, to: view.nodes[2].id },
    ]);
    expect(String(c)).toBe("Value(c, data=-6, grad=1)");
    const bundle = (c as any)[Symbol.for("Jupyter.display")]() as Record<string, string>;
    expect(bundle["image/svg+xml"]).toContain("<svg");
    expect(bundle["text/plain"]).toContain("Value(c, data=-6, grad=1)");
  });
});

test("in a drawing, each edge out of a reused value carries its own branch's gradient", () => {
  const x1 = new Value(2, "x1"), x2 = new Value(5, "x2");
  const f = x1.log().add(x1.mul(x2));
  f.backward();
  const view = f.toView();
  const from = (v: Value) => view.edges.filter((e) => e.from === `v${v.id}`).map((e) => e.grad);
  expect(from(x1)).toEqual([0.5, 5]); // 1/x1 through log, x2 through the product: 5.5 in all
  expect(x1.grad).toBe(5.5);
  expect(from(x2)).toEqual([undefined]); // used once: the edge shows the node's own gradient
});
