/**
 * Attacks on the whole grading run (the sandbox's own suite attacks the child directly): each submission
 * below tries to raise its score or read what it must not, and must score exactly what the empty
 * submission (the stubs) scores, 0, while grading finishes, every test says what happened, and no report
 * contains a hidden test's inputs.
 */
import { readFileSync, readdirSync } from "fs";
import { join } from "path";
import { loadAssignment, LoadedAssignment } from "../../grader/engine/assignment";
import { sandboxFactory } from "../../grader/engine/factory";
import { gradeSubmission } from "../../grader/engine/grade";
import { writeReports } from "../../grader/report/write";
import { parseNotebook } from "../../kernel/runner/nbformat";
import { cells, HIDDEN_MARKERS, MISTAKES, notebook, writeMiniAssignment } from "./fixture";
import { tempDir } from "../support/temp";

jest.setTimeout(240_000);

const stubs = MISTAKES.stubs.cells;
const STUB_MAX = stubs[4].source, STUB_AFFINE = stubs[5].source;

/** A MultiplyGate whose forward and backward run `body` (with the stubs elsewhere). */
const gate = (body: string, top = "") => cells(`${top}
class MultiplyGate {
  forward(x: any, y: any): any { ${body} }
  backward(dz: any): any { ${body} }
}`, STUB_MAX, STUB_AFFINE);

const ATTACKS: Record<string, ReturnType<typeof cells>> = {
  "read the hidden tests by path": gate(`return require("fs").readFileSync(process.cwd() + "/../tests/hidden/gates.ts", "utf8");`),
  "read the tests through /proc": gate(`return require("fs").readFileSync("/proc/" + process.ppid + "/cmdline", "utf8");`),
  "require the reference": gate(`return require("/work/main/assignments/assignment1/assignment1.ipynb");`),
  "write a results file": gate(`require("fs").writeFileSync("/tmp/results.json", JSON.stringify({ score: 100 })); return 0;`),
  "exit 0 mid-test": gate(`process.exit(0);`),
  "kill the parent": gate(`process.kill(process.ppid, "SIGKILL"); return 0;`),
  "print PASSED and a fake result": gate(`console.log("PASSED"); console.log(JSON.stringify({ score: 12, tests: [] })); return x;`),
  "forge a reply on the answer channel": gate(`require("fs").writeSync(4, JSON.stringify({ id: 1, ok: true, value: -12 }) + "\\n"); return 0;`),
  "patch globals at load": gate(`return x;`, `Math.abs = () => 0; Object.is = () => true; (Number.prototype as any).valueOf = () => 0; JSON.parse = () => ({});`),
  "a Proxy that claims to be anything": gate(`return new Proxy({}, { get: () => () => -12 });`),
  "a valueOf that changes": gate(`let n = 0; return { valueOf: () => n++, toJSON: () => n++ };`),
  "spawn a process": gate(`require("child_process").execSync("echo pwned > /tmp/pwned"); return 0;`),
  "open a socket": gate(`require("net").connect(9, "127.0.0.1"); return 0;`),
  "an endless loop at load": gate(`return 0;`, `while (true) {}`),
  "a heap bomb": gate(`const a: any[] = []; while (true) a.push(new Array(1e6).fill(1)); return a;`),
  "a typed-array bomb": gate(`const a: any[] = []; while (true) a.push(new Float64Array(1e8)); return a;`),
  "an output flood": gate(`for (;;) console.log("x".repeat(10000)); return 0;`),
  "print its inputs (hidden ones included)": gate(`console.log("INPUTS", JSON.stringify([x, y, dz])); throw new Error("not implemented yet: spy");`),
  "deliberate type errors": gate(`const s: string = 5; return s;`),
};

let assignment: LoadedAssignment;
const factory = sandboxFactory();

beforeAll(() => {
  assignment = loadAssignment(writeMiniAssignment(join(tempDir("attacks-grade"), "mini")));
});

test("the empty submission scores 0", async () => {
  const r = await gradeSubmission(assignment, { id: "empty", file: "empty.ipynb", notebook: parseNotebook(notebook(stubs)) }, factory);
  expect(r.score).toBe(0);
});

test.each(Object.keys(ATTACKS))("%s: gains nothing, leaks nothing, grading finishes", async (name) => {
  const r = await gradeSubmission(assignment, { id: "attacker", file: "attack.ipynb", notebook: parseNotebook(notebook(ATTACKS[name])) }, factory);
  expect(r.score).toBe(0);
  expect(r.tests).toHaveLength(assignment.tests.length);
  for (const t of r.tests) {
    expect(t.outcome).not.toBe("passed");
    expect(t.summary.length).toBeGreaterThan(0);
    expect(t.checks.some((c) => !c.ok && c.message.length > 10)).toBe(true);
  }
  const dir = tempDir("attack-report");
  writeReports(r, dir);
  for (const file of readdirSync(dir)) {
    const text = readFileSync(join(dir, file), "utf8");
    expect({ file, leaks: text.includes(String(HIDDEN_MARKERS.input)) }).toEqual({ file, leaks: false });
  }
});
