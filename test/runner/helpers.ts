/** Notebooks made in a test's temp folder, and `gradlab run` as a real child process (exit codes, stdout). */
import { spawn } from "child_process";
import { writeFileSync } from "fs";
import { join, resolve } from "path";

// Folders removed after each test file that uses them (see support/temp.ts).
export { tempDir } from "../support/temp";

export const REPO = resolve(__dirname, "..", "..");
export const CLI = join(REPO, "bin", "gradlab.js");

export type CellSpec = string | { source: string; tags?: string[]; markdown?: boolean };

/** Writes an nbformat 4.5 notebook for the gradlab kernel; ids are c1, c2, ... so runs can be compared. */
export function writeNotebook(dir: string, name: string, cells: CellSpec[]): string {
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" } },
    cells: cells.map((spec, i) => {
      const c = typeof spec === "string" ? { source: spec } : spec;
      const base = { id: `c${i + 1}`, metadata: c.tags ? { tags: c.tags } : {}, source: c.source };
      return c.markdown ? { cell_type: "markdown", ...base } : { cell_type: "code", ...base, outputs: [], execution_count: null };
    }),
  };
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(nb, null, 1));
  return path;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `node bin/gradlab.js run ...args` (asynchronously, so jest's timers keep working). */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, "run", ...args], { cwd: opts.cwd ?? REPO, env: opts.env ?? process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolvePromise({ code, stdout, stderr, ms: Date.now() - started }));
  });
}

/** The text of every output of a code cell, joined (stream text, text/plain of results, error names). */
export function outputText(cell: any): string {
  return (cell.outputs ?? [])
    .map((o: any) => {
      if (o.output_type === "stream") return [].concat(o.text).join("");
      if (o.output_type === "error") return `${o.ename}: ${o.evalue}`;
      return [].concat(o.data?.["text/plain"] ?? []).join("");
    })
    .join("");
}
