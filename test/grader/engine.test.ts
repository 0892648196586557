/**
 * The grading engine on the mini assignment: every submission with one realistic mistake scores exactly
 * what the fixture says, each failure says what happened in the student's words, and `gradlab check`'s
 * replayed reference gives the same visible-test results as grading with the real reference.
 */
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { loadAssignment, LoadedAssignment } from "../../grader/engine/assignment";
import { sandboxFactory } from "../../grader/engine/factory";
import { gradeSubmission, recordReference, referenceProgram, SubmissionInput } from "../../grader/engine/grade";
import { ReplayProgram } from "../../grader/engine/recording";
import { parseNotebook } from "../../kernel/runner/nbformat";
import type { GradeResult } from "../../grader/report/result";
import { AFFINE, cells, MAX, MISTAKES, MULTIPLY, notebook, writeMiniAssignment } from "./fixture";
import { tempDir } from "../support/temp";

jest.setTimeout(180_000);

let dir: string;
let assignment: LoadedAssignment;
const factory = sandboxFactory();
const results = new Map<string, GradeResult>();

function submission(name: string): SubmissionInput {
  return { id: name, file: `${name}.ipynb`, notebook: parseNotebook(notebook(MISTAKES[name].cells)) };
}

beforeAll(async () => {
  dir = writeMiniAssignment(join(tempDir("grader-engine"), "mini"));
  assignment = loadAssignment(dir);
  // One grading per submission, shared by the tests below (each takes a sandboxed child).
  for (const name of Object.keys(MISTAKES)) results.set(name, await gradeSubmission(assignment, submission(name), factory));
});

describe("the mini assignment", () => {
  it("loads its tests, visible and hidden, and checks their points against assignment.json", () => {
    expect(assignment.kind).toBe("source");
    expect(assignment.tests.map((t) => `${t.visibility} ${t.question}: ${t.name}`)).toEqual([
      "visible multiply: scalars: forward and backward switch the inputs",
      "visible multiply: tensors of the same shape",
      "visible max: the larger input gets the gradient",
      "visible affine: affine forward and backward",
      "hidden multiply: broadcast y over rows",
      "hidden max: a tie sends the gradient to x",
      "hidden affine: one example (N = 1)",
    ]);
  });

  it.each(Object.keys(MISTAKES))("%s scores exactly what the fixture says", (name) => {
    const r = results.get(name)!;
    const auto = r.questions.filter((q) => !q.manual).reduce((s, q) => s + q.score, 0);
    if (auto !== MISTAKES[name].score) {
      throw new Error(`${name}: expected ${MISTAKES[name].score} (${MISTAKES[name].why}), got ${auto}\n` +
        r.tests.map((t) => `  ${t.score}/${t.maxScore} ${t.outcome} ${t.name}: ${t.checks.filter((c) => !c.ok).map((c) => c.message).join(" | ")}`).join("\n"));
    }
    expect(r.maxScore).toBe(12);
  });

  const failing = (name: string) => results.get(name)!.tests.filter((t) => t.outcome !== "passed");

  it("explains a multiply gate that does not switch its inputs", () => {
    const scalar = failing("multiply-no-switch").find((t) => t.name.startsWith("scalars"))!;
    expect(scalar.outcome).toBe("wrong");
    expect(scalar.checks.find((c) => !c.ok)!.message).toBe(
      "the gradient of input x is wrong: expected -8, got 6: this is the gradient that belongs to y: did the gate swap its inputs? (d(xy)/dx = y: the multiply gate switches its inputs)",
    );
    // And backward is checked against centred differences of the student's own forward.
    expect(scalar.checks.filter((c) => !c.ok).map((c) => c.message)).toContain(
      "MultiplyGate.backward disagrees with centred differences of your own forward for input x: backward gives 6, numeric -8 (relative error 1): re-derive the local gradient from your forward",
    );
  });

  it("says the max routes the gradient to one input only", () => {
    const t = failing("max-to-both").find((t) => t.visibility === "visible")!;
    expect(t.checks.find((c) => !c.ok)!.message).toMatch(/routes the upstream gradient only to the input that won/);
  });

  it("asks for the sum over broadcast axes", () => {
    const [t] = failing("no-broadcast-sum");
    expect(t.name).toBe("broadcast y over rows");
    expect(t.checks.find((c) => !c.ok)!.message).toMatch(/summed over the broadcast axes back to y's own shape \[1, 4\]/);
  });

  it("gives a thrown error with the student's cell and line", () => {
    const t = failing("affine-no-transpose").find((t) => t.visibility === "visible")!;
    expect(t.outcome).toBe("error");
    expect(t.score).toBe(1);
    expect(t.checks.find((c) => !c.ok)!.message).toMatch(/your code threw \w+Error: .*\n\s+at affineBackward \(cell 6 \(affine\), line 6\)/);
  });

  it("scores a forbidden gradlab class 0 and says why", () => {
    const r = results.get("forbidden-import")!;
    const q = r.questions.find((q) => q.id === "multiply")!;
    expect(q.score).toBe(0);
    expect(q.note).toMatch(/uses gradlab's own MultiplyGate/);
    expect(r.tests.filter((t) => t.question === "multiply").every((t) => t.outcome === "forbidden")).toBe(true);
  });

  it("a syntax error stops everything; a type error only its question", () => {
    const syntax = results.get("syntax-error")!;
    expect(syntax.tests.every((t) => t.outcome === "compile-error")).toBe(true);
    expect(syntax.tests[0].checks[0].message).toMatch(/cell 3 \(multiply\), line 3/);
    const typed = results.get("type-error-in-max")!;
    expect(typed.tests.filter((t) => t.outcome === "compile-error").map((t) => t.question)).toEqual(["max", "max"]);
    expect(typed.questions.find((q) => q.id === "max")!.note).toMatch(/type error in cell 5 \(max\), line 3: Type 'number' is not assignable to type 'string'/);
  });

  it("an endless backward times out and the next test still runs", () => {
    const r = results.get("infinite-loop-in-max")!;
    expect(r.tests.filter((t) => t.outcome === "timeout").map((t) => t.question)).toEqual(["max", "max"]);
    expect(r.tests.find((t) => t.question === "affine" && t.visibility === "hidden")!.outcome).toBe("passed");
  });

  it("the untouched stubs say not implemented yet", () => {
    expect(results.get("stubs")!.tests.every((t) => t.outcome === "not-implemented")).toBe(true);
  });

  it("records the submission's hash, each test's seed and the versions", () => {
    const r = results.get("perfect")!;
    expect(r.submission.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.tests.find((t) => t.name === "broadcast y over rows")!.seed).toBe(11);
    expect(r.versions.node).toBe(process.version);
    expect(r.versions.assignment).toBe(assignment.version);
    expect(results.get("max-to-both")!.submission.sha256).not.toBe(r.submission.sha256);
  });

  it("applies the late policy from the submission time", async () => {
    const late = await gradeSubmission(assignment, { ...submission("perfect"), submittedAt: "2026-10-04T12:00:00-04:00" }, factory);
    expect(late.late).toEqual({ days: 2, penalty: 0.2 });
    expect(late.score).toBeCloseTo(8);
  });
});

describe("gradlab check's recorded reference", () => {
  it("replays the reference's answers: the same visible results as with the reference itself", async () => {
    const recording = await recordReference(assignment, factory);
    expect(Object.keys(recording.answers).length).toBeGreaterThan(5);
    for (const name of ["perfect", "multiply-no-switch", "affine-no-transpose"]) {
      const replayed = await gradeSubmission(assignment, submission(name), factory, { reference: new ReplayProgram(recording), visibleOnly: true });
      const direct = results.get(name)!.tests.filter((t) => t.visibility === "visible");
      expect(replayed.tests.map((t) => [t.name, t.score, t.outcome])).toEqual(direct.map((t) => [t.name, t.score, t.outcome]));
    }
  });

  it("refuses a recording that is not one", () => {
    expect(() => new ReplayProgram({} as never)).toThrow(/not a gradlab reference-answers file/);
  });
});

describe("assignment folders with mistakes", () => {
  it("names a question whose tests do not add up to its points", () => {
    const bad = writeMiniAssignment(join(tempDir("grader-engine-bad"), "mini"));
    const cfg = JSON.parse(require("fs").readFileSync(join(bad, "assignment.json"), "utf8"));
    cfg.questions[0].points = 5;
    writeFileSync(join(bad, "assignment.json"), JSON.stringify(cfg));
    expect(() => loadAssignment(bad)).toThrow(/question "multiply" is worth 5 points but its tests add up to 4/);
  });

  it("names a test whose question does not exist", () => {
    const bad = writeMiniAssignment(join(tempDir("grader-engine-bad2"), "mini"));
    mkdirSync(join(bad, "tests", "public"), { recursive: true });
    writeFileSync(join(bad, "tests", "public", "z.ts"), `import { question, test } from "gradlab/grader";\nquestion("nope", () => test("x", { points: 1 }, async () => {}));\n`);
    expect(() => loadAssignment(bad)).toThrow(/question\("nope"\) is not a question of .*assignment.json \(multiply, max, affine, explain\)/);
  });
});

describe("an assignment written as .ts files (CS231n style)", () => {
  const GATES = `import { Tensor } from "gradlab";
export class MultiplyGate {
  x: any; y: any;
  forward(x: number, y: number) {
    // BEGIN SOLUTION
    // STUB: cache x and y, return their product
    this.x = x; this.y = y;
    return x * y;
    // END SOLUTION
  }
  backward(dz: number) {
    // BEGIN SOLUTION
    return [dz * this.y, dz * this.x];
    // END SOLUTION
  }
}
`;
  let tsDir: string;
  beforeAll(() => {
    tsDir = join(tempDir("grader-ts"), "tsgates");
    mkdirSync(join(tsDir, "tests", "public"), { recursive: true });
    writeFileSync(join(tsDir, "assignment.json"), JSON.stringify({
      id: "tsgates", title: "Gates in files", sources: ["gates.ts"], timeout_ms: 2000,
      questions: [{ id: "multiply", points: 2, grades: ["MultiplyGate"] }],
    }));
    writeFileSync(join(tsDir, "gates.ts"), GATES);
    writeFileSync(join(tsDir, "tests", "public", "t.ts"), `import { question, test } from "gradlab/grader";
question("multiply", () => test("switches its inputs", { points: 2 }, async (t) => { await t.checkGate("MultiplyGate", [3, -4], { upstream: 2 }); }));
`);
  });

  const grade = async (files: Record<string, string>) => {
    const a = loadAssignment(tsDir);
    return gradeSubmission(a, { id: "s", file: "s/", files: new Map(Object.entries(files)) }, factory);
  };

  it("grades a folder of the student's files against the reference files", async () => {
    expect((await grade({ "gates.ts": GATES })).score).toBe(2);
    const swapped = GATES.replace("[dz * this.y, dz * this.x]", "[dz * this.x, dz * this.y]");
    const r = await grade({ "gates.ts": swapped, "notes.ts": "this is not graded" });
    expect(r.score).toBe(0);
    expect(r.tests[0].checks.find((c) => !c.ok)!.message).toMatch(/did the gate swap its inputs/);
  });

  it("grades a missing file as released (the stub) and says so", async () => {
    const r = await grade({});
    expect(r.tests[0].outcome).toBe("not-implemented");
    expect(r.compile.diagnostics.map((d) => d.message)).toContain("gates.ts is missing from your submission; graded as released");
  });

  it("points a type error at the student's file and line", async () => {
    const r = await grade({ "gates.ts": GATES.replace("return x * y;", "const s: string = x; return x * y;") });
    expect(r.questions[0].note).toMatch(/type error in gates.ts, line 8: Type 'number' is not assignable to type 'string'/);
  });
});

describe("what a student's notebook does that the kernel allows", () => {
  it("a duplicated solution cell: the last copy is graded, and the report says so", async () => {
    const buggy = MISTAKES["multiply-no-switch"].cells[2];
    const good = cells()[2];
    const spec = [...cells().slice(0, 2), buggy, good, ...cells().slice(3)];
    const r = await gradeSubmission(assignment, { id: "dup", file: "dup.ipynb", notebook: parseNotebook(notebook(spec)) }, factory);
    expect(r.questions.find((q) => q.id === "multiply")!.score).toBe(4);
    expect(r.compile.diagnostics.map((d) => d.message)).toContain('solution cell "multiply" appears 2 times (cells 3, 4); the last one is graded: delete the others');
  });

  it("a helper defined in a scratch cell: the type error says to move it into a solution cell", async () => {
    const spec = cells(MULTIPLY.replace("return typeof x", "twice(1); return typeof x"));
    spec.splice(2, 0, { kind: "code", source: "function twice(v: number) { return 2 * v; }" });
    const r = await gradeSubmission(assignment, { id: "scratch", file: "s.ipynb", notebook: parseNotebook(notebook(spec)) }, factory);
    expect(r.questions.find((q) => q.id === "multiply")!.note).toMatch(/Cannot find name 'twice'. \(twice is defined in cell 3, which is not a solution cell: only solution cells are graded, so move it into one\)/);
  });
});

describe("assignment.json mistakes the grader catches", () => {
  const variant = (mutate: (cfg: any) => void) => {
    const dir = writeMiniAssignment(join(tempDir("grader-cfg"), "mini"));
    const cfg = JSON.parse(require("fs").readFileSync(join(dir, "assignment.json"), "utf8"));
    mutate(cfg);
    writeFileSync(join(dir, "assignment.json"), JSON.stringify(cfg));
    return dir;
  };

  it("a forbidden name gradlab does not export (a misspelt ban would ban nothing)", () => {
    expect(() => loadAssignment(variant((c) => { c.questions[2].forbids = ["nn.Linaer"]; })))
      .toThrow(/questions\[2\]\.forbids: gradlab has no export named "nn.Linaer"/);
  });

  it("a graded name the reference does not define", () => {
    const a = loadAssignment(variant((c) => { c.questions[0].grades = ["MultiplyGat"]; }));
    expect(() => referenceProgram(a)).toThrow(/question "multiply" grades "MultiplyGat", which the reference solution does not define/);
  });
});

describe("inputs are not the student's to change", () => {
  it("a gate's forward and a layer's forward that write into their input tensors are named", async () => {
    const spec = cells(
      MULTIPLY.replace("this.x = x; this.y = y;", "this.x = x; this.y = y; if (typeof x !== \"number\") x.data[0] = 0;"),
      MAX,
      AFFINE.replace("return [x.matmul(w).add(b), { x, w }];", "const out = x.matmul(w).add(b); x.data[1] = 0; return [out, { x, w }];"),
    );
    const r = await gradeSubmission(assignment, { id: "mutates", file: "m.ipynb", notebook: parseNotebook(notebook(spec)) }, factory);
    const messages = r.tests.flatMap((t) => t.checks.filter((c) => !c.ok).map((c) => c.message));
    expect(messages).toContain("MultiplyGate.forward changed its input x at index [0, 0]: a gate must not modify its inputs (copy before changing values in place)");
    expect(messages).toContain("affineForward changed its input x at index [0, 1]: a gate must not modify its inputs (copy before changing values in place)");
    expect(r.questions.find((q) => q.id === "multiply")!.score).toBe(1); // only the scalar test passes
  });
});
