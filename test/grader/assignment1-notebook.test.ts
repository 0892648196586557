/**
 * Assignment 1's notebook: built from its source (and the examples from it), and the reference runs top
 * to bottom in the gradlab kernel with every check cell passing, as a student's finished notebook would.
 */
import { spawnSync } from "child_process";
import { join } from "path";
import { main as buildMain } from "../../assignments/build";
import { main as examplesMain } from "../../assignments/assignment1/examples/make-examples";
import { tempDir } from "../support/temp";

const ROOT = join(__dirname, "..", "..");

test("the committed notebook is built from src/assignment1.ts", () => {
  expect(buildMain(["--check"])).toBe(0);
});

test("the example submissions are made from the current source", () => {
  expect(examplesMain(["--check"])).toBe(0);
});

test("the reference notebook runs top to bottom with gradlab run --check", () => {
  const out = tempDir("a1-run");
  const r = spawnSync(process.execPath, [join(ROOT, "bin", "gradlab.js"), "run", join(ROOT, "assignments", "assignment1", "assignment1.ipynb"), "--check", "--out", out], {
    encoding: "utf8", timeout: 240_000,
  });
  expect({ status: r.status, stderr: r.stderr.slice(-2000) }).toEqual({ status: 0, stderr: expect.any(String) });
}, 300_000);

test("the instructor's tests type-check against gradlab/grader", () => {
  const r = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", join(ROOT, "assignments", "assignment1", "tests")], { encoding: "utf8" });
  expect(r.stdout + r.stderr).toBe("");
  expect(r.status).toBe(0);
}, 120_000);
