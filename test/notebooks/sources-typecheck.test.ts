/**
 * The notebook sources type-check, as one module each, against the library's public API and the
 * kernel's notebook globals (display, clearOutput): a renamed or changed library API shows up here in
 * seconds, naming the notebook, line and column, without starting a kernel.
 */
import { mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import * as ts from "typescript";
import { NOTEBOOK_GLOBALS_DTS } from "../../kernel/engine/display";
import { sourceNames } from "../../notebooks/build";
import { gradlabProgram } from "../support/typecheck";
import { NOTEBOOKS, ROOT } from "./support";

test("every notebook source type-checks against gradlab and the kernel's globals", () => {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-notebook-types-"));
  try {
    const globals = join(dir, "notebook-globals.d.ts");
    writeFileSync(globals, NOTEBOOK_GLOBALS_DTS);
    const sources = sourceNames(NOTEBOOKS).map((n) => join(NOTEBOOKS, "src", `${n}.ts`));
    expect(sources).toHaveLength(10);
    const program = gradlabProgram([...sources, globals], { esModuleInterop: true });
    // Only the notebooks' own errors: a half-finished library file is its owner's test to fail. A cell
    // may `await` at its top level (the kernel runs cells in an async scope), which a CommonJS file may not.
    const topLevelAwait = new Set([1309, 1375, 1378]);
    const errors = ts.getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName.startsWith(join(NOTEBOOKS, "src")) && !topLevelAwait.has(d.code))
      .map((d) => {
        const { line, character } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        return `${d.file!.fileName.slice(ROOT.length + 1)}:${line + 1}:${character + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
      });
    expect(errors).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
