/**
 * Part 4, visible: the two-layer network's loss and gradients at given parameters against the
 * reference, its predictions, and a short training run on the spiral reaching the handout's target.
 */
import { question, test } from "gradlab/grader";
import type { TestContext } from "gradlab/grader";
import { Tensor, data } from "gradlab";

const KEYS = ["W1", "b1", "W2", "b2"] as const;

/** The student's [loss, grads] against the reference's at the same parameters. */
async function lossAndGradients(t: TestContext, X: Tensor, y: Tensor, params: Record<string, Tensor>, reg: number): Promise<void> {
  const got = (await t.student.call("twoLayerLoss", X, y, params, reg)) as [unknown, Record<string, unknown>] | undefined;
  const want = (await t.reference.call("twoLayerLoss", X, y, params, reg)) as [number, Record<string, Tensor>];
  t.expectClose(got?.[0], want[0], `the loss (reg ${reg})`);
  for (const key of KEYS) t.expectClose(got?.[1]?.[key], want[1][key], `the gradient of ${key}`);
}

/** Seeded parameters for D inputs, H hidden units, C classes. */
function params(t: TestContext, D: number, H: number, C: number): Record<string, Tensor> {
  return { W1: t.randn([D, H], 0.5), b1: t.randn([H], 0.1), W2: t.randn([H, C], 0.5), b2: t.randn([C], 0.1) };
}

question("network", () => {
  test("twoLayerLoss: the loss and every gradient at given parameters", { points: 5 }, async (t) => {
    await lossAndGradients(t, t.randn([5, 4]), Tensor.from([0, 1, 2, 2, 1]), params(t, 4, 6, 3), 0.1);
  });
  test("twoLayerPredict: the highest-scoring class of each row", { points: 2 }, async (t) => {
    const X = t.randn([6, 4]), p = params(t, 4, 5, 3);
    t.expectClose(await t.student.call("twoLayerPredict", X, p), await t.reference.call("twoLayerPredict", X, p), "twoLayerPredict");
  });
  test("trainTwoLayer on the spiral reaches a training accuracy of at least 0.90", { points: 6, timeout: 30000 }, async (t) => {
    const spiral = data.cs231nSpiral({ seed: 0 });
    const opts = { hidden: 100, learningRate: 1, reg: 1e-3, epochs: 100, batchSize: 100, seed: 0 };
    const result = (await t.student.call("trainTwoLayer", spiral.X, spiral.y, opts)) as { params?: Record<string, unknown> } | undefined;
    const shapes: Record<string, number[]> = { W1: [2, 100], b1: [100], W2: [100, 3], b2: [3] };
    if (!KEYS.every((k) => t.expectShape(result?.params?.[k], shapes[k], `the trained ${k}`))) return;
    // The trusted reference predicts with the student's trained parameters.
    const predicted = (await t.reference.call("twoLayerPredict", spiral.X, result!.params)) as Tensor;
    let right = 0;
    for (let i = 0; i < spiral.y.size; i++) if (predicted.data[i] === spiral.y.data[i]) right++;
    const acc = right / spiral.y.size;
    t.log(`training accuracy on the spiral: ${acc.toFixed(3)}`);
    t.expectTrue(acc >= 0.9, `training accuracy on the spiral is ${acc.toFixed(3)}; the handout asks for at least 0.90`);
  });
});
