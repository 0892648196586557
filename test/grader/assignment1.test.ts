/**
 * Assignment 1 end to end: every example submission scores exactly what its .expected.json says through
 * the real engine and sandbox; the release leaks no solution line and no hidden test; and the released
 * student folder works on its own with `gradlab check` (stubs: "not implemented yet", not a crash).
 */
import { spawnSync } from "child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "fs";
import { join } from "path";
import { loadAssignment, LoadedAssignment } from "../../grader/engine/assignment";
import { sandboxFactory } from "../../grader/engine/factory";
import { gradeSubmission } from "../../grader/engine/grade";
import { toInput } from "../../grader/cli/grade";
import { tempDir } from "../support/temp";
import { ACTIVATIONS, AFFINE, SOFTMAX } from "./fixtures/slow-but-correct";

jest.setTimeout(300_000);

const ROOT = join(__dirname, "..", "..");
const SOURCE = join(ROOT, "assignments", "assignment1");
const EXAMPLES = join(SOURCE, "examples");
const names = readdirSync(EXAMPLES).filter((f) => f.endsWith(".ipynb")).map((f) => f.replace(/\.ipynb$/, "")).sort();

let assignment: LoadedAssignment;
const factory = sandboxFactory();

beforeAll(() => {
  assignment = loadAssignment(SOURCE);
});

describe("Assignment 1's example submissions", () => {
  it("are all there", () => {
    expect(names).toEqual([
      "affine-missing-transpose", "does-not-compile", "fanout-overwrites", "max-routes-both", "multiply-not-switched",
      "never-finishes", "only-part1", "perfect", "sigmoid-uses-input", "softmax-no-max-shift", "stubs-untouched",
    ]);
  });

  it.each(names)("%s scores what its .expected.json says, question by question", async (name) => {
    const expected = JSON.parse(readFileSync(join(EXAMPLES, `${name}.expected.json`), "utf8"));
    const result = await gradeSubmission(assignment, toInput(join(EXAMPLES, `${name}.ipynb`), name), factory);
    const got = Object.fromEntries(result.questions.map((q) => [q.id, q.manual ? null : q.score]));
    expect({ name, scores: got }).toEqual({ name, scores: expected.scores });
    expect(result.maxScore).toBe(100);
  });

  it("a slow but correct submission (scalar loops, ~13× the reference's training time) passes every test within the call budget", async () => {
    const nb = JSON.parse(readFileSync(join(EXAMPLES, "perfect.ipynb"), "utf8"));
    const replace = (defines: string, source: string) => {
      const cells = nb.cells.filter((c: { source: string[] | string }) => [c.source].flat().join("").includes(`function ${defines}(`));
      expect(cells).toHaveLength(1);
      cells[0].source = source;
    };
    replace("affineForward", AFFINE);
    replace("reluForward", ACTIVATIONS);
    replace("softmaxLoss", SOFTMAX);
    const file = join(tempDir("slow-but-correct"), "slow.ipynb");
    writeFileSync(file, JSON.stringify(nb));
    const result = await gradeSubmission(assignment, toInput(file, "slow"), factory);
    expect(result.tests.filter((t) => t.outcome !== "passed").map((t) => `${t.name}: ${t.outcome}`)).toEqual([]);
    expect(result.score).toBe(90);
  });

  it("the reference scores 100 less the written part", async () => {
    const result = await gradeSubmission(assignment, toInput(join(SOURCE, "assignment1.ipynb"), "reference"), factory);
    const written = assignment.config.questions.filter((q) => q.manual).reduce((s, q) => s + q.points, 0);
    expect(written).toBe(10);
    expect(result.score).toBe(100 - written);
  });
});

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

describe("the release of Assignment 1", () => {
  let out: string;
  const cli = (args: string[], cwd = ROOT) =>
    spawnSync(process.execPath, [join(ROOT, "bin", "gradlab.js"), ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

  beforeAll(() => {
    out = tempDir("release-a1");
    const r = cli(["release", SOURCE, "--out", out]);
    if (r.status !== 0) throw new Error(`gradlab release failed: ${r.stderr}`);
  });

  it("leaks no line of a solution region and no line of a hidden test into the student folder", () => {
    const source = readFileSync(join(SOURCE, "src", "assignment1.ts"), "utf8").split("\n");
    const secret = new Set<string>();
    let inRegion = false;
    for (const line of source) {
      if (/BEGIN SOLUTION/.test(line)) inRegion = true;
      else if (/END SOLUTION/.test(line)) inRegion = false;
      else if (inRegion && !/STUB:/.test(line) && line.trim().replace(/^\/\/\s*/, "").length > 12) secret.add(line.trim().replace(/^\/\/\s*/, ""));
    }
    // A hidden test's own lines: helpers and imports it shares with the public tests are not secret.
    const lines = (folder: string) => readdirSync(join(SOURCE, "tests", folder))
      .flatMap((f) => readFileSync(join(SOURCE, "tests", folder, f), "utf8").split("\n").map((l) => l.trim()));
    const visible = new Set(lines("public"));
    for (const line of lines("hidden")) if (line.length > 20 && !visible.has(line)) secret.add(line);
    expect(secret.size).toBeGreaterThan(100);
    const student = join(out, "student", "assignment1");
    const leaks: string[] = [];
    for (const file of allFiles(student)) {
      const text = readFileSync(file, "utf8");
      for (const s of secret) if (text.includes(s)) leaks.push(`${file.slice(student.length)}: ${s}`);
    }
    expect(leaks).toEqual([]);
  });

  it("gradlab check on the released stubs says not implemented yet for every question, without crashing", () => {
    const r = cli(["check"], join(out, "student", "assignment1"));
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/not implemented yet/);
    expect(r.stdout).toMatch(/visible tests passed: 0 of \d+ \(0 of \d+ points\); \d+ hidden tests run at grading\./);
    expect(r.stdout).not.toMatch(/all tests passed/i);
  });

  it("gradlab check on a finished notebook passes the visible tests and still mentions the hidden ones", () => {
    const student = join(out, "student", "assignment1");
    const r = cli(["check", "--notebook", join(EXAMPLES, "perfect.ipynb")], student);
    expect(r.stdout).toMatch(/visible tests passed: (\d+) of \1 /);
    expect(r.stdout).toMatch(/\d+ hidden tests run at grading/);
    expect(r.status).toBe(0);
  });

  it("gradlab grade with the autograder bundle writes the three reports", () => {
    const reports = tempDir("grade-a1");
    const r = cli(["grade", join(out, "autograder", "assignment1"), join(EXAMPLES, "max-routes-both.ipynb"), "--out", reports]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^max-routes-both\t86 \/ 100\t/);
    const results = JSON.parse(readFileSync(join(reports, "results.json"), "utf8"));
    expect(results.score).toBe(86);
    expect(results.tests.length).toBe(assignment.tests.length);
    expect(readFileSync(join(reports, "feedback.html"), "utf8")).toMatch(/<html/);
  });
});
