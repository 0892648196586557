/**
 * Loads an instructor's TypeScript test files in the trusted grader process. They are transpiled (no
 * type check: they were checked when the assignment was written) and evaluated with a `require` that
 * gives them the grader's own `gradlab` and `gradlab/grader`, so the Tensors they build are the ones
 * the engine compares. Tests in tests/public are visible, tests in tests/hidden are not.
 */
import { existsSync, readdirSync, readFileSync } from "fs";
import { dirname, join, relative, resolve, sep } from "path";
import * as ts from "typescript";
import type { Visibility } from "../config/assignment";
import { collectTests, TestDefinition } from "../api/registry";

const MODULES: Record<string, () => unknown> = {
  gradlab: () => require("../../lib"),
  "gradlab/grader": () => require("../api"),
};

/**
 * Evaluates one test file (or a helper it imports) as a CommonJS module. Test files may import
 * "gradlab", "gradlab/grader" and other files under tests/ by relative path (shared helpers, e.g. in
 * tests/public so both folders can use them); each file is evaluated once per load.
 */
function evaluate(file: string, testsDir: string, cache: Map<string, unknown>): unknown {
  const cached = cache.get(file);
  if (cached) return cached;
  const displayName = relative(dirname(testsDir), file);
  const source = readFileSync(file, "utf8");
  const out = ts.transpileModule(source, {
    fileName: file,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, esModuleInterop: true, sourceMap: false },
  });
  const module = { exports: {} as Record<string, unknown> };
  cache.set(file, module.exports);
  const requireFor = (id: string) => {
    const load = MODULES[id];
    if (load) return load();
    if (id.startsWith(".")) {
      const target = resolve(dirname(file), id.endsWith(".ts") ? id : `${id}.ts`);
      if (!target.startsWith(testsDir + sep) || !existsSync(target)) {
        throw new Error(`${displayName}: imports "${id}", which is not a file under tests/`);
      }
      return evaluate(target, testsDir, cache);
    }
    throw new Error(`${displayName}: a test file can import "gradlab", "gradlab/grader" and files under tests/, not "${id}"`);
  };
  // Trusted code (the instructor's), evaluated like a CommonJS module.
  new Function("require", "module", "exports", out.outputText)(requireFor, module, module.exports);
  cache.set(file, module.exports);
  return module.exports;
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
  const testsDir = resolve(assignmentDir, "tests");
  const cache = new Map<string, unknown>();
  for (const [folder, visibility] of groups) {
    for (const file of testFiles(join(testsDir, folder))) {
      const name = relative(assignmentDir, file);
      // A helper already evaluated (imported by an earlier file) declares no tests of its own.
      if (cache.has(file)) continue;
      tests.push(...collectTests(name, visibility, () => evaluate(file, testsDir, cache)));
    }
  }
  return tests;
}

/** Counts hidden tests without loading them (the student folder has none; the bundle says how many). */
export function hasHiddenTests(assignmentDir: string): boolean {
  return testFiles(join(assignmentDir, "tests", "hidden")).length > 0;
}
