/**
 * Part 2, hidden: topological order with nodes declared out of order, a cycle reported as an error,
 * fan-out into one gate, several runs of one graph, and a graph over tensors (against the reference).
 */
import { question, test } from "gradlab/grader";
import type { Remote, TestContext } from "gradlab/grader";
import { LECTURE_EXAMPLE_3, Spec } from "../public/support";


/** Builds the same graph in both programs; checks forward, then every input's gradient, against the reference. */
async function sameAsReference(t: TestContext, spec: Spec, feeds: Array<Record<string, unknown>>, dout?: unknown): Promise<void> {
  const s = (await t.student.call("buildGraph", spec)) as Remote;
  const r = (await t.reference.call("buildGraph", spec)) as Remote;
  for (const [run, feed] of feeds.entries()) {
    const what = feeds.length > 1 ? `run ${run + 1}: ` : "";
    t.expectClose(await s.forward(feed), await r.forward(feed), `${what}forward`);
    const args = dout === undefined ? [] : [dout];
    const got = (await s.backward(...args)) as Record<string, unknown> | undefined;
    const want = (await r.backward(...args)) as Record<string, unknown>;
    for (const name of Object.keys(want)) t.expectClose(got?.[name], want[name], `${what}the gradient of ${name}`);
  }
}

// The lecture's second example with every node declared before its inputs.
const backwards: Spec = {
  inputs: ["x", "y", "z", "w", "two"],
  nodes: [
    { name: "s", gate: "add", inputs: ["xy", "m"] },
    { name: "xy", gate: "multiply", inputs: ["x", "y"] },
    { name: "m", gate: "max", inputs: ["z", "w"] },
    { name: "f", gate: "multiply", inputs: ["two", "s"] },
  ],
};

question("graph", () => {
  test("the topological order puts every node after its inputs (nodes declared out of order)", { points: 2 }, async (t) => {
    const g = (await t.student.call("buildGraph", backwards)) as Remote;
    const order = (await g.order()) as unknown;
    const ok = Array.isArray(order) && order.length === 9 && backwards.nodes.every((n) =>
      n.inputs.every((i) => order.indexOf(i) >= 0 && order.indexOf(i) < order.indexOf(n.name)));
    t.expectTrue(ok, `topologicalOrder: every node after its inputs, all 9 nodes once; got ${JSON.stringify(order)}`);
    await sameAsReference(t, backwards, [{ x: 3, y: -4, z: 2, w: -1, two: 2 }]);
  });
  test("a graph with a cycle is an error that mentions the cycle", { points: 2 }, async (t) => {
    const loop: Spec = {
      inputs: ["x"],
      nodes: [
        { name: "p", gate: "add", inputs: ["x", "r"] },
        { name: "q", gate: "exp", inputs: ["p"] },
        { name: "r", gate: "sigmoid", inputs: ["q"] },
        { name: "f", gate: "multiply", inputs: ["r", "x"] },
      ],
    };
    const g = (await t.student.call("buildGraph", loop)) as Remote;
    await t.expectThrows(() => g.forward({ x: 1 }), /cycle/i, "forward on a graph with the cycle p -> q -> r -> p");
  });
  test("fan-out into one gate: x * x, and (x y) / (x + y)", { points: 2 }, async (t) => {
    await sameAsReference(t, { inputs: ["x"], nodes: [{ name: "f", gate: "multiply", inputs: ["x", "x"] }] }, [{ x: -1.5 }]);
    await sameAsReference(t, {
      inputs: ["x", "y"],
      nodes: [
        { name: "p", gate: "multiply", inputs: ["x", "y"] },
        { name: "s", gate: "add", inputs: ["x", "y"] },
        { name: "f", gate: "divide", inputs: ["p", "s"] },
      ],
    }, [{ x: 2, y: 3 }]);
  });
  test("one graph runs forward and backward several times", { points: 2 }, async (t) => {
    await sameAsReference(t, LECTURE_EXAMPLE_3, [{ x1: 2, x2: 5 }, { x1: 0.5, x2: -1 }, { x1: 3, x2: 0 }]);
  });
  test("a graph over tensors: sigmoid(X W + b) with broadcasting", { points: 1, seed: 31 }, async (t) => {
    const spec: Spec = {
      inputs: ["X", "W", "b"],
      nodes: [
        { name: "h", gate: "matmul", inputs: ["X", "W"] },
        { name: "z", gate: "add", inputs: ["h", "b"] },
        { name: "out", gate: "sigmoid", inputs: ["z"] },
      ],
    };
    await sameAsReference(t, spec, [{ X: t.randn([4, 3]), W: t.randn([3, 2]), b: t.randn([2]) }], t.randn([4, 2]));
  });
});
