/**
 * Loads an instructor's TypeScript test files in the trusted grader process. They are transpiled (no
 * type check: they were checked when the assignment was written) and evaluated with a `require` that
 * gives them the grader's own `gradlab` and `gradlab/grader`, so the Tensors they build are the ones
 * the engine compares. Tests in tests/public are visible, tests in tests/hidden are not.
 */
import { existsSync, readdirSync, readFileSync } from "fs";
import { join, relative } from "path";
import * as ts from "typescript";
import type { Visibility } from "../config/assignment";
import { collectTests, TestDefinition } from "../api/registry";

const MODULES: Record<string, () => unknown> = {
  gradlab: () => require("../../lib"),
  "gradlab/grader": () => require("../api"),
};

function evaluate(file: string, displayName: string): void {
  const source = readFileSync(file, "utf8");
  const out = ts.transpileModule(source, {
    fileName: file,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true, sourceMap: false },
  });
  const module = { exports: {} as Record<string, unknown> };
  const requireFor = (id: string) => {
    const load = MODULES[id];
    if (!load) throw new Error(`${displayName}: a test file can import "gradlab" and "gradlab/grader", not "${id}"`);
    return load();
  };
  // Trusted code (the instructor's), evaluated like a CommonJS module.
  new Function("require", "module", "exports", out.outputText)(requireFor, module, module.exports);
}

function testFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))
    .sort()
    .map((f) => join(dir, f));
}

/** The tests of an assignment folder: tests/public (visible) then tests/hidden, each folder in file-name order. */
export function loadTests(assignmentDir: string, opts: { hidden: boolean }): TestDefinition[] {
  const groups: Array<[string, Visibility]> = [["public", "visible"]];
  if (opts.hidden) groups.push(["hidden", "hidden"]);
  const tests: TestDefinition[] = [];
  for (const [folder, visibility] of groups) {
    for (const file of testFiles(join(assignmentDir, "tests", folder))) {
      const name = relative(assignmentDir, file);
      tests.push(...collectTests(name, visibility, () => evaluate(file, name)));
    }
  }
  return tests;
}

/** Counts hidden tests without loading them (the student folder has none; the bundle says how many). */
export function hasHiddenTests(assignmentDir: string): boolean {
  return testFiles(join(assignmentDir, "tests", "hidden")).length > 0;
}
