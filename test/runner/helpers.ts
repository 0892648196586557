/** Notebooks made in a test's temp folder, and `gradlab run` as a real child process (exit codes, stdout). */
import { ChildProcess, spawn } from "child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { join, resolve } from "path";

import { tempDir } from "../support/temp";

// Folders removed after each test file that uses them (see support/temp.ts).
export { tempDir };

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

/** A folder for the run's notebooks and another to be its TMPDIR. */
export function runFolders(name: string): { notebooks: string; tmp: string; root: string } {
  const root = tempDir(name);
  const folders = { root, notebooks: join(root, "notebooks"), tmp: join(root, "tmp") };
  mkdirSync(folders.notebooks);
  mkdirSync(folders.tmp);
  return folders;
}

export function leftovers(tmp: string): string[] {
  return readdirSync(tmp);
}

/** Pids of processes whose command line mentions `path` (kernels name their connection file; servers their root). */
export function processesMentioning(path: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(path)) pids.push(Number(entry));
    } catch {
      /* gone meanwhile, or not ours to read */
    }
  }
  return pids;
}

export async function waitFor(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Kills whatever the run left running, so a failing test does not leave processes behind either. */
export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
}

export function startRun(args: string[], tmp: string): { child: ChildProcess; result: Promise<{ code: number | null; signal: string | null; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, "run", ...args], { cwd: REPO, env: { ...process.env, TMPDIR: tmp } });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  child.stdout!.resume();
  const result = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, result };
}
