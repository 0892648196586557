/** Completion inside module specifiers (tslab's language service throws there; the kernel answers itself). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { completeModuleSpecifier } from "../../kernel/engine/module-completions";

let root: string;
let notebookDir: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "gradlab-specifiers-"));
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "course-pack", exports: "./index.js" }));
  mkdirSync(join(root, "node_modules", "@scope", "tools"), { recursive: true });
  mkdirSync(join(root, "node_modules", "@types", "node"), { recursive: true });
  mkdirSync(join(root, "node_modules", "plotter"), { recursive: true });
  notebookDir = join(root, "week1");
  mkdirSync(join(notebookDir, "helpers"), { recursive: true });
  for (const f of ["geometry.ts", "geometry.d.ts", "steps.js", "data.json", "notes.md", ".hidden.ts"]) writeFileSync(join(notebookDir, f), "");
  writeFileSync(join(notebookDir, "helpers", "stats.mts"), "");
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const complete = (code: string) => completeModuleSpecifier(code, code.length, notebookDir);

describe("module specifier completion", () => {
  test("local files by their import name, folders with a slash; declarations, other files and dot files left out", () => {
    expect(complete('import { area } from "./')).toEqual({ matches: ["data.json", "geometry", "helpers/", "steps"], start: 24, end: 24 });
    expect(complete('import { area } from "./ge')).toEqual({ matches: ["geometry"], start: 24, end: 26 });
    // Only the last path segment is replaced.
    const nested = 'const s = require("./helpers/st';
    expect(complete(nested)).toEqual({ matches: ["stats"], start: nested.length - 2, end: nested.length });
  });

  test("packages above the notebook (scoped too, not @types), the package it sits in, and Node's built-ins", () => {
    expect(complete('import x from "')!.matches).toEqual(expect.arrayContaining(["@scope/tools", "plotter", "course-pack", "fs", "node:fs"]));
    expect(complete('import x from "')!.matches).not.toContain("@types/node");
    expect(complete('import x from "')!.matches.some((m) => m.startsWith("_"))).toBe(false);
    expect(complete('await import("pl')).toEqual({ matches: ["plotter"], start: 14, end: 16 });
    expect(complete("import * as p from 'node:pa")!.matches).toEqual(["node:path", "node:path/posix", "node:path/win32"]);
    expect(complete('export { x } from "@sc')!.matches).toEqual(["@scope/tools"]);
    expect(complete('import "cou')!.matches).toEqual(["course-pack"]);
  });

  test("outside a specifier it leaves completion to the language service", () => {
    expect(complete("Math.ma")).toBeNull();
    expect(complete('const s = "./ge')).toBeNull();
    expect(complete('import { area } from "./geometry";\narea(')).toBeNull();
    expect(complete('console.log("from "')).toBeNull();
  });
});
