/**
 * The grading commands as a student and a teaching assistant meet them: what each says for the
 * mistakes people make on the command line, and that a broken assignment releases nothing.
 */
import { spawnSync } from "child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { writeZip } from "../../grader/submission/zip";
import { MISTAKES, notebook, writeMiniAssignment } from "./fixture";
import { tempDir } from "../support/temp";

jest.setTimeout(180_000);

const ROOT = join(__dirname, "..", "..");
const cli = (args: string[], cwd = ROOT) =>
  spawnSync(process.execPath, [join(ROOT, "bin", "gradlab.js"), ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

let work: string, mini: string, released: string;

beforeAll(() => {
  work = tempDir("grader-cli");
  mini = writeMiniAssignment(join(work, "mini"));
  const r = cli(["release", mini, "--out", join(work, "dist")]);
  if (r.status !== 0) throw new Error(r.stderr);
  released = join(work, "dist", "student", "mini");
});

test("gradlab check NOTEBOOK checks that notebook in its folder", () => {
  const r = cli(["check", join(released, "mini.ipynb")]);
  expect(r.stdout).toMatch(/visible tests passed: 0 of 4 \(0 of 6 points\); 3 hidden tests run at grading\./);
  expect(r.status).toBe(1);
});

test("gradlab check uses the provided cells as released, whatever the student did to them", () => {
  const copy = join(work, "edited");
  cpSync(released, copy, { recursive: true });
  const nb = JSON.parse(readFileSync(join(copy, "mini.ipynb"), "utf8"));
  // The student's own copy: the imports cell removed, the solutions filled in.
  const perfect = JSON.parse(notebook(MISTAKES.perfect.cells));
  nb.cells = perfect.cells.filter((c: any) => c.metadata?.nbgrader?.grade_id !== "imports");
  writeFileSync(join(copy, "mini.ipynb"), JSON.stringify(nb));
  const r = cli(["check"], copy);
  expect(r.stdout).toMatch(/visible tests passed: 4 of 4/);
  // The release locks those cells in Jupyter too.
  const cell = JSON.parse(readFileSync(join(released, "mini.ipynb"), "utf8")).cells.find((c: any) => c.metadata?.nbgrader?.grade_id === "imports");
  expect(cell.metadata).toMatchObject({ editable: false, deletable: false });
});

test("gradlab grade refuses a student folder and a submission time that is not one", () => {
  const sub = join(work, "perfect.ipynb");
  writeFileSync(sub, notebook(MISTAKES.perfect.cells));
  const student = cli(["grade", released, sub, "--out", join(work, "r1")]);
  expect(student.stderr).toMatch(/is a student folder \(visible tests only, no reference\): grade with the autograder bundle/);
  expect(student.status).toBe(1);
  const time = cli(["grade", mini, sub, "--submitted-at", "yesterday", "--out", join(work, "r2")]);
  expect(time.stderr).toMatch(/--submitted-at needs an ISO 8601 time with its offset/);
  expect(time.status).toBe(2);
});

test("a class with a refused zip and two students' same-named notebooks: every readable one graded", () => {
  const subs = join(work, "class");
  for (const who of ["alice", "bob"]) {
    mkdirSync(join(subs, who), { recursive: true });
    writeFileSync(join(subs, who, "mini.ipynb"), notebook(MISTAKES[who === "alice" ? "perfect" : "max-to-both"].cells));
  }
  writeFileSync(join(work, "evil.zip"), writeZip([{ name: "../evil.ipynb", data: notebook(MISTAKES.perfect.cells) }]));
  const r = cli(["grade", mini, join(subs, "alice", "mini.ipynb"), join(subs, "bob", "mini.ipynb"), join(work, "evil.zip"), "--out", join(work, "class-out"), "--jobs", "1"]);
  expect(r.stdout).toMatch(/alice/);
  expect(r.stdout).toMatch(/bob/);
  expect(existsSync(join(work, "class-out", "alice", "results.json"))).toBe(true);
  expect(existsSync(join(work, "class-out", "bob", "results.json"))).toBe(true);
  expect(r.stdout + r.stderr).toMatch(/evil/);
  expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  // The run finished: the refused zip is named, and its student has reports that say why.
  expect(r.status).toBe(0);
  expect(readFileSync(join(work, "class-out", "evil", "feedback.md"), "utf8")).toMatch(/could not be graded: .*\.\.\/evil\.ipynb/);
  expect(JSON.parse(readFileSync(join(work, "class-out", "evil", "results.json"), "utf8")).score).toBe(0);
});

test("grading leaves nothing in the temp folder: the compiled programs, the reference's and the children's folders are removed", () => {
  const tmp = join(work, "tmp");
  mkdirSync(tmp);
  const subs = ["perfect", "max-to-both"].map((name) => {
    writeFileSync(join(work, `clean-${name}.ipynb`), notebook(MISTAKES[name].cells));
    return join(work, `clean-${name}.ipynb`);
  });
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "gradlab.js"), "grade", mini, ...subs, "--out", join(work, "clean-out"), "--jobs", "2"], {
    cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", TMPDIR: tmp },
  });
  expect(r.stdout).toMatch(/2 graded/);
  expect(readdirSync(tmp)).toEqual([]);
});

test("an --out that is a file, a missing CSV and a mistyped student id in --manual: one line each, no stack trace", () => {
  const file = join(work, "a-file");
  writeFileSync(file, "x");
  const sub = join(work, "out-check.ipynb");
  writeFileSync(sub, notebook(MISTAKES.perfect.cells));
  for (const args of [["grade", mini, sub, "--out", file], ["grade", mini, sub, sub, "--out", join(file, "inside")], ["grade", "merge", work, "--out", file], ["release", mini, "--out", file]]) {
    const r = cli(args);
    expect(r.stderr).toMatch(/--out .*a-file.* (is a file, not a folder|cannot be made: .*a-file is a file)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(2);
  }
  for (const flag of ["--manual", "--times"]) {
    const r = cli(["grade", mini, sub, "--out", join(work, "csv-out"), flag, join(work, "nosuch.csv")]);
    expect(r.stderr).toMatch(/cannot read .*nosuch\.csv: no such file/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(1);
  }
  const scores = join(work, "typo.csv");
  writeFileSync(scores, "id,question,points\nout-check,explain,2\nout-chekc,explain,1\n");
  const r = cli(["grade", mini, sub, "--out", join(work, "typo-out"), "--manual", scores]);
  expect(r.stderr).toMatch(/warning: .*typo\.csv scores a student with no submission here, not used: out-chekc/);
  expect(r.status).toBe(0);
  const merged = cli(["grade", "merge", join(work, "typo-out"), "--out", join(work, "typo-merged"), "--manual", scores]);
  expect(merged.stderr).toMatch(/gradlab grade merge: warning: .*typo\.csv scores a student with no submission here, not used: out-chekc/);
  expect(merged.status).toBe(0);
});

test("a broken assignment releases nothing and says why, without a stack trace", () => {
  const broken = join(work, "broken");
  cpSync(mini, broken, { recursive: true });
  const cfg = JSON.parse(readFileSync(join(broken, "assignment.json"), "utf8"));
  cfg.questions[0].points = 5;
  writeFileSync(join(broken, "assignment.json"), JSON.stringify(cfg));
  const out = join(work, "broken-out");
  const r = cli(["release", broken, "--out", out]);
  expect(r.stderr).toMatch(/^gradlab release: .*broken\/assignment.json: question "multiply" is worth 5 points but its tests add up to 4\n$/);
  expect(r.status).toBe(1);
  expect(existsSync(out)).toBe(false);
});
