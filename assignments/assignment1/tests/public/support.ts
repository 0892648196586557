/**
 * Helpers shared by the visible and the hidden tests (visible: students may read how they are judged).
 * This file declares no tests.
 */
import type { TestContext } from "gradlab/grader";
import { Tensor } from "gradlab";

/** buildGraph's plain description (see the notebook's graph-build cell). */
export type Spec = { inputs: string[]; nodes: Array<{ name: string; gate: string; inputs: string[] }> };

/** The lecture's third example, ln(x1) + x1·x2 − sin(x2). */
export const LECTURE_EXAMPLE_3: Spec = {
  inputs: ["x1", "x2"],
  nodes: [
    { name: "a", gate: "log", inputs: ["x1"] },
    { name: "b", gate: "multiply", inputs: ["x1", "x2"] },
    { name: "c", gate: "sin", inputs: ["x2"] },
    { name: "d", gate: "add", inputs: ["a", "b"] },
    { name: "f", gate: "subtract", inputs: ["d", "c"] },
  ],
};

export const PARAM_KEYS = ["W1", "b1", "W2", "b2"] as const;

/** The student's twoLayerLoss [loss, grads] against the reference's at the same parameters. */
export async function lossAndGradients(t: TestContext, X: Tensor, y: Tensor, params: Record<string, Tensor>, reg: number): Promise<void> {
  const got = (await t.student.call("twoLayerLoss", X, y, params, reg)) as [unknown, Record<string, unknown>] | undefined;
  const want = (await t.reference.call("twoLayerLoss", X, y, params, reg)) as [number, Record<string, Tensor>];
  t.expectClose(got?.[0], want[0], `the loss (reg ${reg})`);
  for (const key of PARAM_KEYS) t.expectClose(got?.[1]?.[key], want[1][key], `the gradient of ${key}`);
}

/** Seeded parameters for D inputs, H hidden units, C classes. */
export function twoLayerParams(t: TestContext, D: number, H: number, C: number): Record<string, Tensor> {
  return { W1: t.randn([D, H], 0.5), b1: t.randn([H], 0.1), W2: t.randn([H, C], 0.5), b2: t.randn([C], 0.1) };
}

/**
 * Training accuracy of trained parameters, computed here in the grader with gradlab itself: a
 * student's numbers are never passed to the reference, so `gradlab check` can replay this test too.
 */
export function twoLayerAccuracy(params: Record<string, unknown>, X: Tensor, y: Tensor): number {
  const [W1, b1, W2, b2] = PARAM_KEYS.map((k) => params[k] as Tensor);
  const scores = X.matmul(W1).add(b1).relu().matmul(W2).add(b2);
  const predicted = scores.argmax(1);
  let right = 0;
  for (let i = 0; i < y.size; i++) if (predicted.data[i] === y.data[i]) right++;
  return right / y.size;
}
