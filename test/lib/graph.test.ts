/** Graph (define-then-run): the lecture's circuits, fan-out, cycles, repeat runs, trace and view. */
import { AddGate, ExpGate, ForeignGate, Graph, LogGate, MatMulGate, MaxGate, MultiplyGate, SinGate, SubtractGate, SumGate, Tensor, tensor } from "gradlab";

function xPlusYTimesZ(): Graph {
  const g = new Graph();
  const x = g.input("x"), y = g.input("y"), z = g.input("z");
  const q = g.apply(new AddGate(), [x, y], "q");
  g.apply(new MultiplyGate(), [q, z], "f");
  return g;
}

/** 2·(x·y + max(z, w)): "patterns of gradient flow". */
function patterns(): Graph {
  const g = new Graph();
  const [x, y, z, w] = ["x", "y", "z", "w"].map((n) => g.input(n));
  const xy = g.apply(new MultiplyGate(), [x, y], "xy");
  const m = g.apply(new MaxGate(), [z, w], "max");
  const s = g.apply(new AddGate(), [xy, m], "s");
  g.apply(new MultiplyGate(), [g.constant(2, "two"), s], "f");
  return g;
}

describe("known answers", () => {
  test("(x + y)·z at (-2, 5, -4): f = -12, grads -4, -4, 3", () => {
    const g = xPlusYTimesZ();
    expect(g.forward({ x: -2, y: 5, z: -4 })).toBe(-12);
    expect(g.backward()).toEqual({ x: -4, y: -4, z: 3 });
    expect(g.node("q").value).toBe(3);
    expect(g.node("q").grad).toBe(-4);
  });

  test("patterns of gradient flow: 2·(x·y + max(z, w)) at (3, -4, 2, -1)", () => {
    const g = patterns();
    expect(g.forward({ x: 3, y: -4, z: 2, w: -1 })).toBe(-20);
    expect(g.backward()).toEqual({ x: -8, y: 6, z: 2, w: 0 });
  });

  test("ln(x1) + x1·x2 - sin(x2) at (2, 5), x1 fans out", () => {
    const g = new Graph();
    const x1 = g.input("x1"), x2 = g.input("x2");
    const a = g.apply(new LogGate(), [x1], "ln");
    const b = g.apply(new MultiplyGate(), [x1, x2], "prod");
    const c = g.apply(new SinGate(), [x2], "sin");
    g.apply(new SubtractGate(), [g.apply(new AddGate(), [a, b], "sum"), c], "f");
    const f = g.forward({ x1: 2, x2: 5 }) as number;
    expect(f).toBeCloseTo(Math.log(2) + 10 - Math.sin(5), 12);
    expect(f).toBeCloseTo(11.652, 3);
    const grads = g.backward();
    expect(grads.x1).toBeCloseTo(5.5, 14);
    expect(grads.x2).toBeCloseTo(2 - Math.cos(5), 14);
    expect(grads.x2).toBeCloseTo(1.7163, 4);
  });
});

describe("running", () => {
  test("fan-out: f = x·x + x adds the gradients of all three uses", () => {
    const g = new Graph();
    const x = g.input("x");
    g.apply(new AddGate(), [g.apply(new MultiplyGate(), [x, x], "sq"), x], "f");
    expect(g.forward({ x: 3 })).toBe(12);
    expect(g.backward()).toEqual({ x: 7 });
  });

  test("repeated forward/backward give the same answer (no gradient left over)", () => {
    const g = xPlusYTimesZ();
    for (let i = 0; i < 3; i++) {
      expect(g.forward({ x: -2, y: 5, z: -4 })).toBe(-12);
      expect(g.backward()).toEqual({ x: -4, y: -4, z: 3 });
    }
    g.forward({ x: 1, y: 2, z: 3 });
    expect(g.backward()).toEqual({ x: 3, y: 3, z: 3 });
    expect(g.backward(2)).toEqual({ x: 6, y: 6, z: 6 });
  });

  test("topological order lists every node after its inputs, even when declared by name out of order", () => {
    const g = new Graph();
    g.apply(new MultiplyGate(), ["q", "z"], "f");
    g.apply(new AddGate(), ["x", "y"], "q");
    ["x", "y", "z"].forEach((n) => g.input(n));
    const order = g.topologicalOrder().map((n) => n.name);
    expect(order.indexOf("q")).toBeLessThan(order.indexOf("f"));
    expect(order.indexOf("x")).toBeLessThan(order.indexOf("q"));
    expect(g.forward({ x: -2, y: 5, z: -4 })).toBe(-12);
  });

  test("an input that does not reach the output gets gradient 0", () => {
    const g = new Graph();
    const x = g.input("x");
    g.input("unused");
    g.apply(new ExpGate(), [x], "f");
    g.forward({ x: 0, unused: 7 });
    expect(g.backward()).toEqual({ x: 1, unused: 0 });
  });

  test("tensor nodes: a linear score and its weight gradient", () => {
    const g = new Graph();
    const W = g.input("W"), x = g.input("x");
    g.apply(new SumGate(), [g.apply(new MatMulGate(), [W, x], "scores")], "total");
    const out = g.forward({ W: tensor([[1, 2], [3, 4]]), x: tensor([5, 6]) }) as Tensor;
    expect(out.item()).toBe(17 + 39);
    const grads = g.backward();
    expect((grads.W as Tensor).toArray()).toEqual([[5, 6], [5, 6]]);
    expect((grads.x as Tensor).toArray()).toEqual([4, 6]);
  });
});

describe("trace", () => {
  test("records forward values and, per backward step, upstream, local and downstream gradients", () => {
    const g = xPlusYTimesZ();
    g.forward({ x: -2, y: 5, z: -4 });
    g.backward();
    const forward = g.trace.filter((s) => s.phase === "forward");
    expect(forward.map((s) => [s.node, s.value])).toEqual([["x", -2], ["y", 5], ["z", -4], ["q", 3], ["f", -12]]);
    const back = g.trace.filter((s) => s.phase === "backward");
    expect(back[0]).toMatchObject({ node: "f", op: "*", upstream: 1, localGradients: [-4, 3], downstream: [-4, 3] });
    const q = back.find((s) => s.node === "q")!;
    expect(q).toMatchObject({ upstream: -4, localGradients: [1, 1], downstream: [-4, -4] });
    // A second run replaces the trace instead of appending to it.
    g.forward({ x: -2, y: 5, z: -4 });
    g.backward();
    expect(g.trace.length).toBe(10);
  });
});

describe("view", () => {
  test("toView lists nodes with op, value and grad, and edges; fan-out edges carry their branch's gradient", () => {
    const g = new Graph();
    const x = g.input("x"), y = g.input("y");
    g.apply(new AddGate(), [g.apply(new MultiplyGate(), [x, y], "xy"), x], "f");
    g.forward({ x: 3, y: 2 });
    g.backward();
    const view = g.toView();
    expect(view.nodes).toEqual([
      { id: "x", label: "x", value: 3, grad: 3 },
      { id: "y", label: "y", value: 2, grad: 3 },
      { id: "xy", label: "xy", op: "*", value: 6, grad: 1 },
      { id: "f", label: "f", op: "+", value: 9, grad: 1 },
    ]);
    expect(view.edges).toEqual([
      { from: "x", to: "xy", grad: 2 },
      { from: "y", to: "xy" },
      { from: "xy", to: "f" },
      { from: "x", to: "f", grad: 1 },
    ]);
  });

  test("toSVG, toDOT and the notebook bundle draw the graph", () => {
    const g = xPlusYTimesZ();
    g.forward({ x: -2, y: 5, z: -4 });
    g.backward();
    const svg = g.toSVG();
    expect(svg.startsWith("<svg")).toBe(true);
    expect((svg.match(/<circle/g) ?? []).length).toBe(2); // the two gates
    expect(svg).toContain("-12");
    expect(g.toDOT()).toContain("digraph");
    const bundle = (g as any)[Symbol.for("Jupyter.display")]() as Record<string, string>;
    expect(bundle["image/svg+xml"]).toBe(svg);
    expect(bundle["text/plain"]).toContain("f = *(q, z)  value -12  grad 1");
  });
});

describe("errors", () => {
  test("a cycle is named", () => {
    const g = new Graph();
    g.input("x");
    g.apply(new AddGate(), ["x", "h"], "a");
    g.apply(new ExpGate(), ["a"], "h");
    g.setOutput("h");
    expect(() => g.forward({ x: 1 })).toThrow("Graph has a cycle: a -> h -> a");
  });

  test("missing, unknown and undefined names", () => {
    const g = xPlusYTimesZ();
    expect(() => g.forward({ x: 1, y: 2 })).toThrow("Graph.forward: no value for input 'z' (inputs: x, y, z)");
    expect(() => g.forward({ x: 1, y: 2, z: 3, w: 4 })).toThrow("'w' is not an input of this graph");
    const h = new Graph();
    h.input("x");
    h.apply(new ExpGate(), ["nope"], "f");
    expect(() => h.forward({ x: 1 })).toThrow("node 'f' takes input 'nope', which is not defined");
  });

  test("backward before forward, reused gates, wrong arity, duplicate names, several outputs", () => {
    expect(() => xPlusYTimesZ().backward()).toThrow("Graph.backward called before forward");
    const g = new Graph();
    const x = g.input("x");
    const gate = new ExpGate();
    g.apply(gate, [x], "a");
    expect(() => g.apply(gate, [x], "b")).toThrow("this ExpGate is already used by node 'a'");
    expect(() => g.apply(new AddGate(), [x], "c")).toThrow("AddGate takes 2 input(s) (x, y), got 1");
    expect(() => g.input("x")).toThrow("a node named 'x' already exists");
    g.apply(new ExpGate(), [x], "b");
    expect(() => g.forward({ x: 0 })).toThrow("several nodes feed nothing (a, b)");
  });

  test("a gate error says which node failed and names the shapes", () => {
    const g = new Graph();
    g.apply(new AddGate(), [g.input("a"), g.input("b")], "s");
    expect(() => g.forward({ a: Tensor.zeros([2]), b: Tensor.zeros([3]) })).toThrow(
      "Graph.forward at node 's': AddGate: cannot combine x of shape [2] with y of shape [3]",
    );
  });
});

describe("a student's own gate class in a Graph", () => {
  class StudentAdd {
    forward(x: number, y: number): number {
      return x + y;
    }
    backward(dz: number): number[] {
      return [dz, dz];
    }
  }
  class Broken {
    forward(x: number): number {
      return 2 * x;
    }
    backward(): number[] {
      return [];
    }
  }

  test("runs, with arity from forward's parameters and the class name as label", () => {
    const g = new Graph();
    const x = g.input("x"), y = g.input("y"), z = g.input("z");
    g.apply(new MultiplyGate(), [g.apply(new StudentAdd() as any, [x, y], "q"), z], "f");
    expect(g.forward({ x: -2, y: 5, z: -4 })).toBe(-12);
    expect(g.backward()).toEqual({ x: -4, y: -4, z: 3 });
    expect(g.toView().nodes.find((n) => n.id === "q")!.op).toBe("StudentAdd");
    expect(() => g.apply(new StudentAdd() as any, [x], "bad")).toThrow("Graph.apply: StudentAdd takes 2 input(s), got 1");
    expect(() => g.apply({} as any, [x])).toThrow("Graph.apply: expected a gate with forward and backward methods");
    // Stored wrapped in a Gate, so every node has the typed API; forward mode needs a jvp method.
    const node = g.node("q");
    expect(node.gate).toBeInstanceOf(ForeignGate);
    expect((node.gate as ForeignGate).inner).toBeInstanceOf(StudentAdd);
    expect(() => node.gate!.jvp([1, 0])).toThrow("StudentAdd: this gate has no jvp method, so it cannot be used in forward mode");
  });

  test("a backward that returns the wrong number of gradients is named", () => {
    const g = new Graph();
    g.apply(new Broken() as any, [g.input("x")], "twice");
    g.forward({ x: 1 });
    expect(() => g.backward()).toThrow("Graph.backward at node 'twice': Broken.backward returned 0 gradient(s) for 1 input(s)");
  });
});

test("unnamed nodes get unique ids but are drawn by their op or constant value", () => {
  const g = new Graph();
  const x = g.input("x");
  const twice = g.apply(new MultiplyGate(), [g.constant(2), x]);
  g.apply(new AddGate(), [twice, g.constant(2)]);
  expect(g.forward({ x: 3 })).toBe(8);
  const view = g.toView();
  expect(new Set(view.nodes.map((n) => n.id)).size).toBe(5);
  expect(view.nodes.map((n) => [n.label, n.op])).toEqual([["x", undefined], ["2", undefined], ["", "*"], ["2", undefined], ["", "+"]]);
});

test("edges into gates whose argument order matters are labelled with the argument", () => {
  const g = new Graph();
  const a = g.input("a"), b = g.input("b");
  g.apply(new AddGate(), [g.apply(new SubtractGate(), [a, b], "d"), b], "f");
  expect(g.toView().edges).toEqual([
    { from: "a", to: "d", label: "x" },
    { from: "b", to: "d", label: "y" },
    { from: "d", to: "f" },
    { from: "b", to: "f" },
  ]);
});
