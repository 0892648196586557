/**
 * A released student folder works on its own, as a student gets it: `npm install` there (gradlab from a
 * packed tarball, its dependencies from the npm registry), then `npx gradlab check` reports every question
 * as not implemented yet instead of crashing, and the notebook runs in the gradlab kernel with "gradlab"
 * resolved from the folder's own node_modules, stopping at the first stub.
 */
import { spawnSync } from "child_process";
import { readdirSync, readFileSync } from "fs";
import { join } from "path";
import { describeWith, npmRegistry } from "../support/requirements";
import { tempDir } from "../support/temp";

const ROOT = join(__dirname, "..", "..");

describeWith([npmRegistry], "a released student folder", () => {
  let student: string;
  const run = (cmd: string, args: string[], cwd: string, timeout = 300_000) =>
    spawnSync(cmd, args, { cwd, encoding: "utf8", timeout, env: { ...process.env, NO_COLOR: "1" } });

  beforeAll(() => {
    const dir = tempDir("student-folder");
    // dist/ is fresh (npm test builds first), so pack it as it is.
    const pack = run("npm", ["pack", "--ignore-scripts", "--pack-destination", dir, ROOT], ROOT);
    if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
    const rel = run(process.execPath, [join(ROOT, "bin", "gradlab.js"), "release", join(ROOT, "assignments", "assignment1"),
      "--out", join(dir, "rel"), "--gradlab-spec", `file:${join(dir, tarball)}`], ROOT);
    if (rel.status !== 0) throw new Error(`gradlab release failed: ${rel.stderr}`);
    student = join(dir, "rel", "student", "assignment1");
    const install = run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], student);
    if (install.status !== 0) throw new Error(`npm install failed: ${install.stderr}`);
  }, 400_000);

  it("gradlab check says not implemented yet for every question and mentions the hidden tests", () => {
    const r = run("npx", ["gradlab", "check"], student, 120_000);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(1);
    const questions = JSON.parse(readFileSync(join(student, "assignment.json"), "utf8")).questions.filter((q: { manual?: boolean }) => !q.manual);
    for (const q of questions) expect(r.stdout).toContain(q.title);
    expect(r.stdout).toMatch(/not implemented yet/);
    expect(r.stdout).not.toMatch(/Error:|at .*\.js:\d+/);
    expect(r.stdout).toMatch(/visible tests passed: 0 of \d+ \(0 of \d+ points\); \d+ hidden tests run at grading\./);
  }, 120_000);

  it("the notebook runs in the gradlab kernel from the folder and stops at the first stub", () => {
    const out = tempDir("student-run");
    const r = run("npx", ["gradlab", "run", "assignment1.ipynb", "--out", out], student, 200_000);
    expect(r.status).not.toBe(0);
    const executed = JSON.parse(readFileSync(join(out, "assignment1.ipynb"), "utf8"));
    const errors = executed.cells.flatMap((c: any) => c.outputs ?? []).filter((o: any) => o.output_type === "error");
    expect(errors).toHaveLength(1);
    expect(errors[0].evalue).toMatch(/not implemented yet: /);
    // Every cell before it ran, the imports of "gradlab" among them.
    const ran = executed.cells.filter((c: any) => c.cell_type === "code" && c.execution_count !== null);
    expect(ran.length).toBeGreaterThan(1);
  }, 200_000);
});
