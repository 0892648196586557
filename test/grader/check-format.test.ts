/** `gradlab check`'s text (formatCheck / formatTest), on results made by hand: no engine, no sandbox. */
import { formatCheck, formatTest, style } from "../../grader/cli/check";
import type { GradeResult, TestResult } from "../../grader/report/result";

const SYNTAX = "your code does not compile (cell 9 (gates-multiply), line 9: ',' expected.), so none of it can run";

function result(tests: TestResult[], notes: Record<string, string> = {}): GradeResult {
  const qs = [...new Set(tests.map((t) => t.question))];
  return {
    assignment: { id: "a1", title: "Assignment 1", version: "1" },
    submission: { id: "you", sha256: "00".repeat(32), file: "a1.ipynb" },
    score: tests.reduce((s, t) => s + t.score, 0), maxScore: 20,
    questions: [
      ...qs.map((id) => ({ id, title: `Question ${id}`, score: 0, maxScore: 10, manual: false, note: notes[id] })),
      { id: "w", title: "Written", score: 0, maxScore: 5, manual: true, note: "graded by a teaching assistant" },
    ],
    tests,
    compile: { ok: true, diagnostics: [] },
    sandbox: "test", unsandboxed: false, studentOutput: "", versions: { gradlab: "0.1.0", node: "v20", assignment: "1" },
    startedAt: "2026-01-01T00:00:00Z", executionMs: 1,
  };
}

function test(question: string, name: string, over: Partial<TestResult> = {}): TestResult {
  return { question, name, score: 1, maxScore: 1, visibility: "visible", outcome: "passed", seed: 1, durationMs: 1, checks: [{ ok: true, message: "fine" }], summary: "passed", ...over };
}

const blocked = (question: string, name: string): TestResult =>
  test(question, name, { score: 0, outcome: "compile-error", checks: [{ ok: false, message: SYNTAX }], summary: "does not compile" });

describe("gradlab check's text", () => {
  it("says a compile error once per question and lists the tests as one-liners", () => {
    const tests = [...["a1", "a2", "a3"].map((n) => blocked("a", n)), ...["b1", "b2"].map((n) => blocked("b", n))];
    const text = formatCheck(result(tests, { a: SYNTAX, b: SYNTAX }), 4, style(false));
    expect(text.split(SYNTAX).length - 1).toBe(2);
    expect(text).toContain(`  ✗ all 3 tests: ${SYNTAX}\n    ✗ a1  0 / 1\n    ✗ a2  0 / 1\n    ✗ a3  0 / 1\n`);
    expect(text).toContain("visible tests passed: 0 of 5 (0 of 5 points); 4 hidden tests run at grading.");
  });

  it("says 'not run after timeouts' once, and still explains the tests that timed out themselves", () => {
    const notRun = "not run: 2 earlier tests of this question timed out (an endless loop?)";
    const tests = [
      test("a", "t1", { score: 0, outcome: "timeout", checks: [{ ok: false, message: "used 10 s of CPU time without finishing (an endless loop?)" }], summary: "timed out" }),
      test("a", "t2", { score: 0, outcome: "timeout", checks: [{ ok: false, message: "waited 100 s without an answer, computing (almost) nothing (waiting for something that never happens?)" }], summary: "timed out" }),
      ...["t3", "t4", "t5"].map((n) => test("a", n, { score: 0, outcome: "timeout", checks: [{ ok: false, message: notRun }], summary: "timed out" })),
    ];
    const text = formatCheck(result(tests), 0, style(false));
    expect(text.split(notRun).length - 1).toBe(1);
    expect(text).toContain(`  ✗ 3 tests: ${notRun}`);
    expect(text).toContain("waited 100 s without an answer, computing (almost) nothing (waiting for something that never happens?)");
    expect(text).toMatch(/^ {4}✗ t4 {2}0 \/ 1$/m);
  });

  it("shows call, expected and got undimmed, stack lines on their own lines", () => {
    const s = style(true);
    const t = test("a", "MultiplyGate", {
      score: 0, outcome: "wrong", summary: "wrong answer",
      checks: [
        { ok: false, message: "dx is wrong", input: "forward(3, -4)", expected: "-8", got: "6", hint: "swapped inputs?" },
        { ok: false, message: "your code threw TypeError: x is undefined\n  at forward (cell 5, line 3)" },
      ],
    });
    const lines = formatTest(t, s);
    expect(lines).toContain("        call:     forward(3, -4)");
    expect(lines).toContain("        expected: -8");
    expect(lines).toContain("        got:      6");
    expect(lines).toContain("        hint:     swapped inputs?");
    expect(lines).toContain("      your code threw TypeError: x is undefined");
    expect(lines).toContain("        at forward (cell 5, line 3)");
    expect(lines.join("\n")).not.toMatch(/\x1b\[2m(call|expected|got)/);
  });

  it("a passing question lists its tests one line each", () => {
    const text = formatCheck(result([test("a", "t1"), test("a", "t2")]), 1, style(false));
    expect(text).toContain("Question a  2 / 2\n  ✓ t1  1 / 1\n  ✓ t2  1 / 1\n");
    expect(text).toContain("visible tests passed: 2 of 2 (2 of 2 points); 1 hidden tests run at grading.");
    expect(text).toContain("Written  pending: graded by a teaching assistant (5 points)");
  });
});
