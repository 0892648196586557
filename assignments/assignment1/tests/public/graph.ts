/**
 * Part 2, visible: the lecture's three worked examples, built with the provided buildGraph over the
 * student's gates and ComputationalGraph, with their known values and gradients.
 */
import { question, test } from "gradlab/grader";
import type { Remote } from "gradlab/grader";
import { LECTURE_EXAMPLE_3, Spec } from "./support";


const example1: Spec = {
  inputs: ["x", "y", "z"],
  nodes: [{ name: "q", gate: "add", inputs: ["x", "y"] }, { name: "f", gate: "multiply", inputs: ["q", "z"] }],
};
const example2: Spec = {
  inputs: ["x", "y", "z", "w", "two"],
  nodes: [
    { name: "xy", gate: "multiply", inputs: ["x", "y"] },
    { name: "m", gate: "max", inputs: ["z", "w"] },
    { name: "s", gate: "add", inputs: ["xy", "m"] },
    { name: "f", gate: "multiply", inputs: ["two", "s"] },
  ],
};
const example3 = LECTURE_EXAMPLE_3;

question("graph", () => {
  test("(x + y) z at x = -2, y = 5, z = -4", { points: 3 }, async (t) => {
    const g = (await t.student.call("buildGraph", example1)) as Remote;
    t.expectClose(await g.forward({ x: -2, y: 5, z: -4 }), -12, "forward");
    const grads = (await g.backward()) as Record<string, unknown> | undefined;
    t.expectClose(grads?.x, -4, "df/dx");
    t.expectClose(grads?.y, -4, "df/dy");
    t.expectClose(grads?.z, 3, "df/dz");
  });
  test("2 (x y + max(z, w)) at x = 3, y = -4, z = 2, w = -1", { points: 3 }, async (t) => {
    const g = (await t.student.call("buildGraph", example2)) as Remote;
    t.expectClose(await g.forward({ x: 3, y: -4, z: 2, w: -1, two: 2 }), -20, "forward");
    const grads = (await g.backward()) as Record<string, unknown> | undefined;
    for (const [name, want] of [["x", -8], ["y", 6], ["z", 2], ["w", 0]] as const) t.expectClose(grads?.[name], want, `df/d${name}`);
  });
  test("ln x1 + x1 x2 - sin x2 at x1 = 2, x2 = 5 (fan-out: gradients add)", { points: 3 }, async (t) => {
    const g = (await t.student.call("buildGraph", example3)) as Remote;
    t.expectClose(await g.forward({ x1: 2, x2: 5 }), Math.log(2) + 10 - Math.sin(5), "forward");
    const grads = (await g.backward()) as Record<string, unknown> | undefined;
    t.expectClose(grads?.x1, 5.5, "df/dx1 = 1/x1 + x2");
    t.expectClose(grads?.x2, 2 - Math.cos(5), "df/dx2 = x1 - cos x2");
  });
});
