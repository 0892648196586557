/**
 * Part 1, hidden: the edge cases the handout states (ties in max go to the first input, sigmoid at ±1000,
 * log of a non-positive number throws, broadcasting reduced to each input's shape), other seeds and shapes.
 */
import { question, test } from "gradlab/grader";
import type { Remote } from "gradlab/grader";
import { Tensor } from "gradlab";

question("gates-scalar", () => {
  test("MaxGate: a tie sends the gradient to the first input", { points: 2, seed: 11 }, async (t) => {
    // Centred differences see 1/2 and 1/2 at a tie: compare with the reference only.
    await t.checkGate("MaxGate", [2, 2], { upstream: 1.5, gradcheck: false });
    await t.checkGate("MaxGate", [-0.5, -0.5], { upstream: -3, gradcheck: false });
  });
  test("SigmoidGate at +1000 and -1000: 1 and 0, gradient 0, no NaN", { points: 2 }, async (t) => {
    await t.checkGate("SigmoidGate", [1000], { upstream: 1 });
    await t.checkGate("SigmoidGate", [-1000], { upstream: 1 });
  });
  test("backward after two forwards uses the last inputs", { points: 1 }, async (t) => {
    await t.checkGate("MultiplyGate", [3, -4], { twoForwards: [[5, 6]] });
    await t.checkGate("DivideGate", [1.5, 0.5], { twoForwards: [[-2, 7]] });
  });
  test("LogGate of a negative number throws", { points: 1 }, async (t) => {
    const g: Remote = await t.student.new("LogGate");
    await t.expectThrows(() => g.forward(-2), /log/i, "LogGate.forward(-2)");
  });
});

question("gates-tensor", () => {
  test("MatMulGate with a batch of one row (N = 1)", { points: 1, seed: 21 }, async (t) => {
    await t.checkGate("MatMulGate", [t.randn([1, 3]), t.randn([3, 2])], { inputs: ["x", "w"] });
  });
  test("DivideGate broadcasts [2, 3] / [3]", { points: 1, seed: 22 }, async (t) => {
    const y = t.rand([3], 1, 3);
    await t.checkGate("DivideGate", [t.randn([2, 3]), y]);
  });
  test("MaxGate on tensors with ties and broadcasting", { points: 2, seed: 23 }, async (t) => {
    const x = t.randn([3, 4]);
    const y = t.randn([3, 4]);
    for (const k of [0, 5, 11]) y.data[k] = x.data[k];
    await t.checkGate("MaxGate", [x, y], { gradcheck: false });
    const row = Tensor.from([Array.from(x.data.slice(0, 4))]);   // ties with every element of x's first row
    await t.checkGate("MaxGate", [x, row], { gradcheck: false });
  });
  test("SigmoidGate on a tensor with ±1000", { points: 1, seed: 24 }, async (t) => {
    await t.checkGate("SigmoidGate", [Tensor.from([[1000, -1000, 0.5], [-2, 700, -700]])]);
  });
  test("ExpGate and LogGate on tensors", { points: 1, seed: 25 }, async (t) => {
    await t.checkGate("ExpGate", [t.randn([2, 3])]);
    await t.checkGate("LogGate", [t.rand([4], 0.5, 3)]);
  });
  test("MultiplyGate: a tensor times a plain number, and [4] * [2, 3, 4]", { points: 1, seed: 26 }, async (t) => {
    await t.checkGate("MultiplyGate", [t.randn([2, 3]), 1.5]);
    await t.checkGate("MultiplyGate", [t.randn([4]), t.randn([2, 3, 4])]);
  });
});
