import { createHash } from "crypto";
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import * as ts from "typescript";
import { main } from "../../grader/cli/release";
import { checkPublicImports, gradlabVersion, listFiles, releaseAssignment } from "../../grader/release/release";
import { parseNotebook, serializeNotebook } from "../../kernel/runner/nbformat";
import { tempDir } from "../support/temp";
import { code, markdown, nbgrader, notebook } from "./fixtures";

/** Solution regions of the fixture; each line is distinctive so finding it anywhere means a leak. */
const MULTIPLY_SOLUTION = ["    // STUB: return x times y and remember the inputs", "    this.inputs = [x, y];", "    const product = x * y;", "    return product;"];
const SIGMOID_SOLUTION = ["  const s = 1 / (1 + Math.exp(-z));", "  return s * (1 - s);"];
const HELPER_SOLUTION = ["  return values.reduce((acc, v) => acc + v, 0);"];
const WHOLE_CELL_SOLUTION = ["const learningRate = 0.0314159;"];
const WRITTEN_ANSWER = "Because the local gradient of sigmoid is s(1-s), it vanishes when |z| is large.";
const HIDDEN_TEST = [
  'import { question as hq, test as ht } from "gradlab/grader";',
  'hq("gates", () => ht("MultiplyGate on the secret 7.125 case", { points: 2 }, async (t) => {',
  '  await t.checkGate("MultiplyGate", [7.125, -3.5]);',
  "}));",
];
const PUBLIC_TEST = ['import { question, test } from "gradlab/grader";', 'question("gates", () => test("MultiplyGate on scalars", { points: 2 }, async (t) => t.checkGate("MultiplyGate", [3, -4])));'];

function region(lines: string[], indent: string): string[] {
  return [`${indent}// BEGIN SOLUTION`, ...lines, `${indent}// END SOLUTION`];
}

function makeAssignment(): string {
  const dir = tempDir("release-src");
  const nb = notebook([
    markdown("# Assignment 1"),
    code('import { Tensor } from "gradlab";', nbgrader({ locked: true, grade_id: "imports" })),
    code(
      ["export class MultiplyGate {", "  inputs: number[] = [];", "  forward(x: number, y: number): number {", ...region(MULTIPLY_SOLUTION, "    "), "  }",
        "  backward(dz: number): number[] { return [dz * this.inputs[1], dz * this.inputs[0]]; }", "}"].join("\n"),
      nbgrader({ solution: true, grade_id: "gates-multiply" }),
    ),
    code(["export function sigmoidGrad(z: number): number {", ...region(SIGMOID_SOLUTION, "  "), "}"].join("\n"), nbgrader({ solution: true, grade_id: "sigmoid" })),
    code(WHOLE_CELL_SOLUTION.join("\n"), nbgrader({ solution: true, grade_id: "hyper" })),
    code("new MultiplyGate().forward(3, -4);", nbgrader({ grade: true, grade_id: "check-multiply", points: 0 })),
    markdown(WRITTEN_ANSWER, nbgrader({ solution: true, grade: true, grade_id: "written-sigmoid", points: 5 })),
  ]);
  writeFileSync(join(dir, "assignment1.ipynb"), serializeNotebook(nb));
  writeFileSync(join(dir, "helpers.ts"), ["export function total(values: number[]): number {", ...region(HELPER_SOLUTION, "  "), "}", ""].join("\n"));
  mkdirSync(join(dir, "tests", "public"), { recursive: true });
  mkdirSync(join(dir, "tests", "hidden"), { recursive: true });
  writeFileSync(join(dir, "tests", "public", "gates.ts"), PUBLIC_TEST.join("\n") + "\n");
  writeFileSync(join(dir, "tests", "hidden", "gates.ts"), HIDDEN_TEST.join("\n") + "\n");
  mkdirSync(join(dir, "examples"));
  writeFileSync(join(dir, "examples", "full-marks.ipynb"), serializeNotebook(nb)); // never released
  const config = {
    $schema: "../../grader/config/assignment.schema.json",
    id: "assignment1",
    title: "Assignment 1: Backpropagation by hand",
    notebook: "assignment1.ipynb",
    sources: ["helpers.ts"],
    due: "2026-10-02T23:59:00-04:00",
    _grader_notes: "SECRET-GRADER-NOTE",
    questions: [
      { id: "gates", title: "Gates", points: 4, grades: ["MultiplyGate"], _reference_note: "SECRET-QUESTION-NOTE" },
      { id: "written-sigmoid", title: "Sigmoid", points: 5, manual: true, cells: ["written-sigmoid"] },
    ],
  };
  writeFileSync(join(dir, "assignment.json"), JSON.stringify(config, null, 2));
  return dir;
}

function readAll(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]));
}

function parseErrors(text: string): string[] {
  const sf = ts.createSourceFile("x.ts", text, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
  return ((sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
}

describe("releaseAssignment", () => {
  let src: string;
  let out: string;
  let result: ReturnType<typeof releaseAssignment>;
  beforeAll(() => {
    src = makeAssignment();
    out = tempDir("release-out");
    result = releaseAssignment(src, { out });
  });

  it("writes the student folder and the autograder bundle", () => {
    expect(result.studentFiles).toEqual([".gradlab/assignment1.ipynb", ".gradlab/helpers.ts", "README.md", "assignment.json", "assignment1.ipynb", "helpers.ts", "package.json", "tests/public/gates.ts"]);
    expect(result.autograderFiles).toEqual([
      "assignment.json",
      "bundle.json",
      "reference/assignment1.ipynb",
      "reference/helpers.ts",
      "release/assignment1.ipynb",
      "release/helpers.ts",
      "tests/hidden/gates.ts",
      "tests/public/gates.ts",
    ]);
  });

  it("leaves no line of any solution region, hidden test, written answer or output in any student file", () => {
    const student = readAll(result.studentDir);
    const secrets = [...MULTIPLY_SOLUTION, ...SIGMOID_SOLUTION, ...HELPER_SOLUTION, ...WHOLE_CELL_SOLUTION, ...HIDDEN_TEST, WRITTEN_ANSWER, "SECRET-GRADER-NOTE", "SECRET-QUESTION-NOTE", "output of cell"]
      .map((l) => l.trim())
      .filter((l) => l !== "");
    const found: string[] = [];
    for (const [file, text] of student) {
      // Search the raw file and, for notebooks, the cell sources as JSON encodes them (quotes escaped).
      const haystacks = [text, file.endsWith(".ipynb") ? parseNotebook(text).cells.map((c) => c.source).join("\n") : ""];
      for (const secret of secrets) if (haystacks.some((h) => h.includes(secret))) found.push(`${file}: ${secret}`);
    }
    expect(found).toEqual([]);
    // The search would have found them: the autograder's reference holds every one of the notebook's lines.
    const reference = parseNotebook(readFileSync(join(result.autograderDir, "reference/assignment1.ipynb"), "utf8")).cells.map((c) => c.source).join("\n");
    for (const line of [...MULTIPLY_SOLUTION, ...SIGMOID_SOLUTION, ...WHOLE_CELL_SOLUTION, WRITTEN_ANSWER]) expect(reference).toContain(line.trim());
    expect(readFileSync(join(result.autograderDir, "tests/hidden/gates.ts"), "utf8")).toBe(HIDDEN_TEST.join("\n") + "\n");
  });

  it("gives stubs that parse as TypeScript, with the STUB text", () => {
    const nb = parseNotebook(readFileSync(join(result.studentDir, "assignment1.ipynb"), "utf8"));
    for (const cell of nb.cells) if (cell.cell_type === "code") expect(parseErrors(cell.source)).toEqual([]);
    expect(nb.cells[2].source).toContain('    throw new Error("not implemented yet: return x times y and remember the inputs");');
    expect(nb.cells[3].source).toContain('throw new Error("not implemented yet: write your solution for \\"sigmoid\\"");');
    expect(nb.cells[6].source).toBe("YOUR ANSWER HERE");
    const helpers = readFileSync(join(result.studentDir, "helpers.ts"), "utf8");
    expect(parseErrors(helpers)).toEqual([]);
    expect(helpers).toContain('throw new Error("not implemented yet: complete helpers.ts");');
  });

  it("keeps the released notebook for the grader byte for byte", () => {
    expect(readFileSync(join(result.autograderDir, "release/assignment1.ipynb"), "utf8")).toBe(readFileSync(join(result.studentDir, "assignment1.ipynb"), "utf8"));
  });

  it("writes a student assignment.json from an allow-list", () => {
    const config = JSON.parse(readFileSync(join(result.studentDir, "assignment.json"), "utf8"));
    expect(config).toEqual({
      id: "assignment1",
      title: "Assignment 1: Backpropagation by hand",
      notebook: "assignment1.ipynb",
      sources: ["helpers.ts"],
      due: "2026-10-02T23:59:00-04:00",
      questions: [
        { id: "gates", title: "Gates", points: 4, grades: ["MultiplyGate"] },
        { id: "written-sigmoid", title: "Sigmoid", points: 5, manual: true, cells: ["written-sigmoid"] },
      ],
    });
  });

  it("writes a package.json depending on this gradlab, and a README with the kernel and check steps", () => {
    const pkg = JSON.parse(readFileSync(join(result.studentDir, "package.json"), "utf8"));
    expect(pkg.dependencies).toEqual({ gradlab: `^${gradlabVersion()}` });
    expect(gradlabVersion()).toBe(JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")).version);
    const readme = readFileSync(join(result.studentDir, "README.md"), "utf8");
    for (const s of ["npm install", "npx gradlab kernel install", "TypeScript (gradlab)", "npx gradlab check", "assignment1.ipynb", "Gradescope", "2026-10-02T23:59:00-04:00"]) {
      expect(readme).toContain(s);
    }
  });

  it("writes bundle.json with the sha256 of every other autograder file", () => {
    const bundle = JSON.parse(readFileSync(join(result.autograderDir, "bundle.json"), "utf8"));
    expect(bundle.assignment).toBe("assignment1");
    expect(bundle.gradlab).toBe(gradlabVersion());
    expect(Object.keys(bundle.files)).toEqual(result.autograderFiles.filter((f) => f !== "bundle.json"));
    for (const [file, hash] of Object.entries(bundle.files)) {
      expect(createHash("sha256").update(readFileSync(join(result.autograderDir, file))).digest("hex")).toBe(hash);
    }
  });

  it("removes files of an earlier release and takes --gradlab-spec", () => {
    writeFileSync(join(result.studentDir, "stale.txt"), "old");
    const again = releaseAssignment(src, { out, gradlabSpec: "file:../gradlab-0.1.0.tgz" });
    expect(again.studentFiles).not.toContain("stale.txt");
    expect(JSON.parse(readFileSync(join(again.studentDir, "package.json"), "utf8")).dependencies.gradlab).toBe("file:../gradlab-0.1.0.tgz");
  });

  it("stops on a notebook with unbalanced markers without writing anything", () => {
    const bad = makeAssignment();
    const nb = parseNotebook(readFileSync(join(bad, "assignment1.ipynb"), "utf8"));
    nb.cells[3].source = nb.cells[3].source.replace("  // END SOLUTION\n", "");
    writeFileSync(join(bad, "assignment1.ipynb"), serializeNotebook(nb));
    const badOut = tempDir("release-out");
    expect(() => releaseAssignment(bad, { out: badOut })).toThrow('assignment1.ipynb cell 4 (grade_id "sigmoid"), line 2: "// BEGIN SOLUTION" is never closed');
    expect(listFiles(badOut)).toEqual([]);
  });
});

describe("checkPublicImports", () => {
  it("allows packages and files inside tests/public, refuses the rest", () => {
    expect(() => checkPublicImports("public/a.ts", 'import { q } from "gradlab/grader";\nimport { h } from "./util/h";')).not.toThrow();
    expect(() => checkPublicImports("public/a.ts", 'import { secret } from "../hidden/gates";')).toThrow(
      'tests/public/a.ts imports "../hidden/gates" (tests/hidden/gates), which students do not get',
    );
    expect(() => checkPublicImports("public/sub/a.ts", 'const x = require("../../helpers");')).toThrow(/\(tests\/helpers\)/);
  });

  it("stops a release whose public test imports a hidden one", () => {
    const src = makeAssignment();
    writeFileSync(join(src, "tests", "public", "more.ts"), 'import "../hidden/gates";\n');
    expect(() => releaseAssignment(src, { out: tempDir("release-out") })).toThrow(/tests\/public\/more\.ts imports "\.\.\/hidden\/gates"/);
  });
});

describe("gradlab release (cli/release.ts)", () => {
  let logs: string[];
  beforeEach(() => {
    logs = [];
    jest.spyOn(console, "log").mockImplementation((s: string) => void logs.push(s));
    jest.spyOn(console, "error").mockImplementation((s: string) => void logs.push(s));
  });
  afterEach(() => jest.restoreAllMocks());

  it("prints help", async () => {
    expect(await main(["--help"])).toBe(0);
    expect(logs.join("\n")).toMatch(/usage: gradlab release <assignment dir>[\s\S]*file:/);
  });

  it("refuses an unknown option and a missing folder argument", async () => {
    expect(await main(["x", "--outt", "y"])).toBe(2);
    expect(logs[0]).toMatch(/gradlab release: Unknown option '--outt'/);
    expect(await main([])).toBe(2);
  });

  it("says when assignment.json is missing", async () => {
    const empty = tempDir("release-src");
    expect(await main([empty, "--out", tempDir("release-out")])).toBe(1);
    expect(logs.join("\n")).toContain(`gradlab release: ${empty} is not an assignment folder: it has no assignment.json`);
  });

  it("releases", async () => {
    const out = tempDir("release-out");
    expect(await main([makeAssignment(), "--out", out])).toBe(0);
    expect(listFiles(join(out, "student", "assignment1"))).toContain("assignment1.ipynb");
  });
});
