/**
 * Part 1, visible: every gate on plain numbers and with broadcasting, against the reference and against
 * centred differences of the student's own forward (t.checkGate). Students run these with `gradlab check`.
 */
import { question, test } from "gradlab/grader";
import type { Remote } from "gradlab/grader";

question("gates-scalar", () => {
  test("AddGate distributes the gradient", { points: 1 }, async (t) => {
    await t.checkGate("AddGate", [3, -4], { upstream: 2 });
  });
  test("MultiplyGate switches its inputs", { points: 2 }, async (t) => {
    await t.checkGate("MultiplyGate", [3, -4], { upstream: 2 });
  });
  test("MaxGate routes the gradient to the larger input", { points: 1 }, async (t) => {
    await t.checkGate("MaxGate", [3, -4]);
    await t.checkGate("MaxGate", [-1, 2]);
  });
  test("SigmoidGate", { points: 2 }, async (t) => {
    await t.checkGate("SigmoidGate", [0.7]);
    await t.checkGate("SigmoidGate", [-3]);
  });
  test("ExpGate", { points: 1 }, async (t) => {
    await t.checkGate("ExpGate", [1.5]);
  });
  test("LogGate", { points: 1 }, async (t) => {
    await t.checkGate("LogGate", [2.5]);
  });
  test("DivideGate", { points: 1 }, async (t) => {
    await t.checkGate("DivideGate", [3, -4]);
  });
  test("LogGate.forward(0) throws an error that mentions log", { points: 1 }, async (t) => {
    const g: Remote = await t.student.new("LogGate");
    await t.expectThrows(() => g.forward(0), /log/i, "LogGate.forward(0)");
  });
});

question("gates-tensor", () => {
  test("unbroadcast sums a [3, 4] gradient back to [4], [1, 4], [3, 1] and a number", { points: 2 }, async (t) => {
    const grad = t.randn([3, 4]);
    for (const like of [t.randn([4]), t.randn([1, 4]), t.randn([3, 1]), 2.5]) {
      const got = await t.student.call("unbroadcast", grad, like);
      const want = await t.reference.call("unbroadcast", grad, like);
      t.expectClose(got, want, `unbroadcast(grad [3, 4], like ${typeof like === "number" ? "a number" : `[${like.shape.join(", ")}]`})`);
    }
  });
  test("AddGate broadcasts [3, 4] + [4]", { points: 1 }, async (t) => {
    await t.checkGate("AddGate", [t.randn([3, 4]), t.randn([4])]);
  });
  test("MultiplyGate broadcasts [3, 4] * [1, 4]", { points: 2 }, async (t) => {
    await t.checkGate("MultiplyGate", [t.randn([3, 4]), t.randn([1, 4])]);
  });
  test("MatMulGate [5, 3] x [3, 4]", { points: 2 }, async (t) => {
    await t.checkGate("MatMulGate", [t.randn([5, 3]), t.randn([3, 4])], { inputs: ["x", "w"] });
  });
});
