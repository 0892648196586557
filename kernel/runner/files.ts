/**
 * Which notebooks a run covers and where each executed copy goes, plus the atomic write that makes
 * sure a crash or a full disk never leaves a half-written notebook behind.
 */
import { randomBytes } from "crypto";
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "fs";
import { basename, dirname, join, relative, resolve } from "path";

export interface NotebookJob {
  /** Absolute path of the source notebook. */
  source: string;
  /** Path as shown in reports (relative to the current directory when inside it). */
  label: string;
  /** Path relative to the folder argument it came from (its basename for a file argument). */
  relativePath: string;
}

/** The runner's own executed copies, never picked up again as sources. */
const RUNNER_COPY = /\.(executed|failed)\.ipynb$/;
const SKIPPED_DIRS = new Set(["node_modules", ".ipynb_checkpoints", ".git", "dist"]);

function displayPath(absolute: string): string {
  const rel = relative(process.cwd(), absolute);
  return rel && !rel.startsWith("..") ? rel : absolute;
}

function walk(dir: string, skip: string | null, found: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (SKIPPED_DIRS.has(entry.name) || entry.name.startsWith(".") || full === skip) continue;
      walk(full, skip, found);
    } else if (entry.name.endsWith(".ipynb") && !RUNNER_COPY.test(entry.name)) {
      found.push(full);
    }
  }
}

/** Expands file and folder arguments into notebook jobs; throws for paths that do not exist. */
export function collectNotebooks(inputs: string[], outDir: string | null): NotebookJob[] {
  const skip = outDir ? resolve(outDir) : null;
  const jobs: NotebookJob[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    const abs = resolve(input);
    let stats;
    try {
      stats = statSync(abs);
    } catch {
      throw new Error(`no such file or folder: ${input}`);
    }
    const files: Array<[string, string]> = [];
    if (stats.isDirectory()) {
      const found: string[] = [];
      walk(abs, skip, found);
      if (found.length === 0) throw new Error(`no .ipynb notebooks found in ${input}`);
      for (const f of found) files.push([f, relative(abs, f)]);
    } else {
      files.push([abs, basename(abs)]);
    }
    for (const [source, relativePath] of files) {
      if (seen.has(source)) continue;
      seen.add(source);
      jobs.push({ source, label: displayPath(source), relativePath });
    }
  }
  return jobs;
}

function stem(path: string): string {
  return basename(path).replace(/\.ipynb$/, "");
}

/** Where a successful run's copy goes; null when nothing should be written (--check without --out). */
export function outputPathFor(job: NotebookJob, o: { outDir: string | null; inplace: boolean; check: boolean }): string | null {
  if (o.inplace) return job.source;
  if (o.outDir !== null) return resolve(o.outDir, job.relativePath);
  if (o.check) return null;
  return join(dirname(job.source), `${stem(job.source)}.executed.ipynb`);
}

/** Where a failed run's copy goes: never the source itself. */
export function failedOutputPathFor(job: NotebookJob, o: { outDir: string | null; inplace: boolean; check: boolean }): string | null {
  const normal = outputPathFor(job, o);
  if (normal === job.source) return join(dirname(job.source), `${stem(job.source)}.failed.ipynb`);
  return normal;
}

/** Two jobs writing the same output (same relative path from two folders) would overwrite each other. */
export function checkDistinctOutputs(jobs: NotebookJob[], pathFor: (job: NotebookJob) => string | null): void {
  const owner = new Map<string, string>();
  for (const job of jobs) {
    const out = pathFor(job);
    if (out === null) continue;
    const previous = owner.get(out);
    if (previous) throw new Error(`${previous} and ${job.label} would both be written to ${displayPath(out)}`);
    owner.set(out, job.label);
  }
}

/** Writes via a temporary file in the same folder and a rename, so readers see the old or the new file, never half. */
export function writeFileAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    writeFileSync(temp, text, "utf8");
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

export { displayPath };
