/**
 * Part 3, visible: each layer's forward against the reference, its backward against the reference and
 * against centred differences of the student's own forward (t.checkLayer); the losses (t.checkLoss).
 */
import { question, test } from "gradlab/grader";
import { Tensor } from "gradlab";

question("layers", () => {
  test("affine layer: [4, 5] x [5, 3] + [3]", { points: 3 }, async (t) => {
    await t.checkLayer("affineForward", "affineBackward", [t.randn([4, 5]), t.randn([5, 3]), t.randn([3])], { inputs: ["x", "w", "b"] });
  });
  test("ReLU layer", { points: 2 }, async (t) => {
    await t.checkLayer("reluForward", "reluBackward", [t.randn([3, 4])]);
  });
  test("sigmoid layer", { points: 2 }, async (t) => {
    await t.checkLayer("sigmoidForward", "sigmoidBackward", [t.randn([3, 4], 3)]);
  });
  test("softmax cross-entropy loss", { points: 2 }, async (t) => {
    await t.checkLoss("softmaxLoss", [t.randn([5, 4]), Tensor.from([0, 3, 1, 1, 2])]);
  });
  test("SVM hinge loss", { points: 2 }, async (t) => {
    await t.checkLoss("svmLoss", [t.randn([5, 4]), Tensor.from([0, 3, 1, 1, 2])]);
  });
});
