/**
 * Part 4, visible: the two-layer network's loss and gradients at given parameters against the
 * reference, its predictions, and a short training run on the spiral reaching the handout's target.
 */
import { question, test } from "gradlab/grader";
import { Tensor, data } from "gradlab";
import { lossAndGradients, PARAM_KEYS, twoLayerAccuracy, twoLayerParams as params } from "./support";

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
    const opts = { hidden: 100, learningRate: 1, reg: 1e-3, epochs: 30, batchSize: 100, seed: 0 };
    const result = (await t.student.call("trainTwoLayer", spiral.X, spiral.y, opts)) as { params?: Record<string, unknown> } | undefined;
    const shapes: Record<string, number[]> = { W1: [2, 100], b1: [100], W2: [100, 3], b2: [3] };
    if (!PARAM_KEYS.every((k) => t.expectShape(result?.params?.[k], shapes[k], `the trained ${k}`))) return;
    const acc = twoLayerAccuracy(result!.params!, spiral.X, spiral.y);
    t.log(`training accuracy on the spiral: ${acc.toFixed(3)}`);
    t.expectTrue(acc >= 0.9, `training accuracy on the spiral is ${acc.toFixed(3)}; the handout asks for at least 0.90`);
  });
});
