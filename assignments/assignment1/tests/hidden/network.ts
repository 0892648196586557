/** Part 4, hidden: the loss and gradients with N = 1, reg = 0 and another seed; the training loop's records; another spiral. */
import { question, test } from "gradlab/grader";
import { Tensor, data } from "gradlab";
import { lossAndGradients, PARAM_KEYS, twoLayerAccuracy, twoLayerParams as params } from "../public/support";

question("network", () => {
  test("twoLayerLoss with one example (N = 1) and no regularisation", { points: 3, seed: 51 }, async (t) => {
    await lossAndGradients(t, t.randn([1, 3]), Tensor.from([1]), params(t, 3, 4, 2), 0);
  });
  test("twoLayerLoss at another seed with reg = 0.5", { points: 2, seed: 52 }, async (t) => {
    await lossAndGradients(t, t.randn([7, 5]), Tensor.from([3, 0, 1, 3, 2, 2, 0]), params(t, 5, 8, 4), 0.5);
  });
  // A short training run (15 steps) but still training: the slowest call outside the training tests
  // (20 ms for the reference, 70 ms for scalar loops), so it gets a budget of its own, as they do.
  test("trainTwoLayer records one loss per mini-batch and one accuracy per epoch", { points: 2, seed: 53, timeout: 2000 }, async (t) => {
    const spiral = data.cs231nSpiral({ seed: 1 });
    const opts = { hidden: 10, learningRate: 0.5, reg: 1e-3, epochs: 3, batchSize: 64, seed: 2 };
    const result = (await t.student.call("trainTwoLayer", spiral.X, spiral.y, opts)) as { lossHistory?: unknown; trainAccuracy?: unknown } | undefined;
    const losses = result?.lossHistory, accs = result?.trainAccuracy;
    t.expectTrue(Array.isArray(losses) && losses.length === 15 && losses.every((v) => Number.isFinite(v)),
      `lossHistory: 300 points in batches of 64 for 3 epochs is 15 finite losses; got ${Array.isArray(losses) ? `${losses.length} entries` : typeof losses}`);
    t.expectTrue(Array.isArray(accs) && accs.length === 3 && accs.every((v) => typeof v === "number" && v >= 0 && v <= 1),
      `trainAccuracy: one fraction between 0 and 1 per epoch (3); got ${JSON.stringify(accs)}`);
  });
  test("trainTwoLayer on another spiral (seed 3) reaches at least 0.85", { points: 2, timeout: 30000, seed: 54 }, async (t) => {
    const spiral = data.cs231nSpiral({ seed: 3 });
    const opts = { hidden: 100, learningRate: 1, reg: 1e-3, epochs: 20, batchSize: 100, seed: 4 };
    const result = (await t.student.call("trainTwoLayer", spiral.X, spiral.y, opts)) as { params?: Record<string, unknown> } | undefined;
    const shapes: Record<string, number[]> = { W1: [2, 100], b1: [100], W2: [100, 3], b2: [3] };
    if (!PARAM_KEYS.every((k) => t.expectShape(result?.params?.[k], shapes[k], `the trained ${k}`))) return;
    const acc = twoLayerAccuracy(result!.params!, spiral.X, spiral.y);
    t.expectTrue(acc >= 0.85, `training accuracy on the spiral (seed 3) is ${acc.toFixed(3)}; at least 0.85 expected`);
  });
});
