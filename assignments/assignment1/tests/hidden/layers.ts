/** Part 3, hidden: a batch of one (N = 1), other seeds and shapes, sigmoid at ±1000, softmax on scores around 1000. */
import { question, test } from "gradlab/grader";
import { Tensor } from "gradlab";

question("layers", () => {
  test("affine layer with N = 1, and [6, 2] x [2, 7]", { points: 2, seed: 41 }, async (t) => {
    await t.checkLayer("affineForward", "affineBackward", [t.randn([1, 4]), t.randn([4, 3]), t.randn([3])], { inputs: ["x", "w", "b"] });
    await t.checkLayer("affineForward", "affineBackward", [t.randn([6, 2]), t.randn([2, 7]), t.randn([7])], { inputs: ["x", "w", "b"] });
  });
  test("ReLU layer with N = 1", { points: 1, seed: 42 }, async (t) => {
    await t.checkLayer("reluForward", "reluBackward", [t.randn([1, 7])]);
  });
  test("sigmoid layer at ±1000", { points: 1, seed: 43 }, async (t) => {
    await t.checkLayer("sigmoidForward", "sigmoidBackward", [Tensor.from([[1000, -1000, 0.3], [-700, 700, -0.2]])]);
  });
  test("softmax loss on scores around 1000 (no overflow)", { points: 2, seed: 44 }, async (t) => {
    const scores = t.randn([4, 5], 2).add(1000);
    await t.checkLoss("softmaxLoss", [scores, Tensor.from([4, 0, 2, 2])]);
    await t.checkLoss("softmaxLoss", [t.randn([3, 3], 2).sub(1000), Tensor.from([1, 0, 2])]);
  });
  test("softmax loss with N = 1", { points: 1, seed: 45 }, async (t) => {
    await t.checkLoss("softmaxLoss", [t.randn([1, 6]), Tensor.from([5])]);
  });
  test("SVM loss with N = 1 and with ten classes", { points: 2, seed: 46 }, async (t) => {
    await t.checkLoss("svmLoss", [t.randn([1, 4]), Tensor.from([2])]);
    await t.checkLoss("svmLoss", [t.randn([8, 10]), Tensor.from([0, 9, 3, 3, 7, 1, 5, 2])]);
  });
});
