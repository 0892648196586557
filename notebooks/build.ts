/**
 * Builds the lecture notebooks (`notebooks/NN-name.ipynb`) from their reviewable sources
 * (`notebooks/src/NN-name.ts`), written in the "percent" format that jupytext and VS Code know:
 *
 *   // %% [markdown]          starts a Markdown cell; its lines are `// text` comments
 *   // %%                     starts a code cell
 *   // %% tags=["a", "b"]     a code cell with cell tags (e.g. "raises-exception" for the runner;
 *                             "helpers" also collapses the cell's source in JupyterLab and Notebook)
 *
 * The notebooks it writes have no outputs: run them with `gradlab run notebooks --inplace` to add them.
 * Output is nbformat 4.5 laid out as Python's nbformat writes it (1-space indent, sorted keys, sources
 * as line lists), so a notebook the runner rewrites diffs only where its outputs changed.
 *
 * Usage:  npx tsc -p notebooks && node dist/notebooks/build.js [--check] [NN-name ...]
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { basename, join, resolve } from "path";

export type CellKind = "markdown" | "code";

export interface SourceCell {
  kind: CellKind;
  source: string;
  tags: string[];
}

export interface NotebookJson {
  nbformat: 4;
  nbformat_minor: 5;
  metadata: Record<string, unknown>;
  cells: Array<Record<string, unknown>>;
}

export const KERNELSPEC = { name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" };
export const LANGUAGE_INFO = { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" };

const MARKER = /^\/\/ %%(?<rest>.*)$/;

/** Splits a percent-format source into cells; `file` names the source in error messages. */
export function parsePercent(text: string, file: string): SourceCell[] {
  const cells: SourceCell[] = [];
  let current: SourceCell | null = null;
  let body: string[] = [];
  const finish = () => {
    if (!current) return;
    while (body.length && body[body.length - 1].trim() === "") body.pop();
    while (body.length && body[0].trim() === "") body.shift();
    if (body.length === 0) throw new Error(`${file}: cell ${cells.length + 1} (${current.kind}) is empty`);
    current.source = body.join("\n");
    cells.push(current);
  };
  text.replace(/\r\n/g, "\n").split("\n").forEach((line, i) => {
    const m = MARKER.exec(line);
    if (m) {
      finish();
      current = parseMarker(m.groups!.rest, `${file}:${i + 1}`);
      body = [];
      return;
    }
    if (!current) {
      if (line.trim() !== "") throw new Error(`${file}:${i + 1}: text before the first "// %%" marker`);
      return;
    }
    if (current.kind === "markdown") {
      if (line.trim() === "") body.push("");
      else if (line === "//" || line.startsWith("// ")) body.push(line.slice(3));
      else throw new Error(`${file}:${i + 1}: a Markdown line must start with "// " (got ${JSON.stringify(line.slice(0, 40))})`);
    } else {
      body.push(line);
    }
  });
  finish();
  if (cells.length === 0) throw new Error(`${file}: no cells (start each with "// %%" or "// %% [markdown]")`);
  return cells;
}

function parseMarker(rest: string, where: string): SourceCell {
  const text = rest.trim();
  if (text === "[markdown]") return { kind: "markdown", source: "", tags: [] };
  if (text === "") return { kind: "code", source: "", tags: [] };
  const tags = /^tags=(\[.*\])$/.exec(text);
  if (tags) {
    const list: unknown = JSON.parse(tags[1]);
    if (!Array.isArray(list) || !list.every((t) => typeof t === "string")) {
      throw new Error(`${where}: tags must be a JSON list of strings, got ${tags[1]}`);
    }
    return { kind: "code", source: "", tags: list };
  }
  throw new Error(`${where}: unknown cell marker "// %% ${text}" (use "// %%", "// %% [markdown]" or "// %% tags=[...]")`);
}

/** nbformat's multi-line string form: a list of lines, each but the last keeping its "\n". */
export function toLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  return lines.map((line, i) => (i < lines.length - 1 ? line + "\n" : line)).filter((l) => l !== "");
}

/** The notebook for one source; cell ids are positional ("cell-07") so that they are stable across builds. */
export function buildNotebook(cells: SourceCell[]): NotebookJson {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: KERNELSPEC, language_info: LANGUAGE_INFO },
    cells: cells.map((cell, i) => {
      const id = `cell-${String(i + 1).padStart(2, "0")}`;
      const metadata: Record<string, unknown> = cell.tags.length ? { tags: cell.tags } : {};
      // Plotting and table-building helpers are collapsed, so the lecture reads without them.
      if (cell.tags.includes("helpers")) metadata.jupyter = { source_hidden: true };
      return cell.kind === "markdown"
        ? { cell_type: "markdown", id, metadata, source: toLines(cell.source) }
        : { cell_type: "code", id, metadata, source: toLines(cell.source), execution_count: null, outputs: [] };
    }),
  };
}

/** JSON with sorted keys and 1-space indent, as Python's nbformat writes notebooks. */
export function serialize(nb: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === "object") {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return JSON.stringify(sort(nb), null, 1) + "\n";
}

/** The notebooks folder (this file lives in notebooks/, or compiled in dist/notebooks/). */
export function notebooksDir(): string {
  const here = resolve(__dirname);
  return basename(resolve(here, "..")) === "dist" ? resolve(here, "..", "..", "notebooks") : here;
}

/** Source files in build order: src/NN-name.ts. */
export function sourceNames(dir = notebooksDir()): string[] {
  return readdirSync(join(dir, "src")).filter((f) => /^\d\d-[a-z0-9-]+\.ts$/.test(f)).sort().map((f) => f.slice(0, -3));
}

/**
 * How a committed notebook differs from its source, ignoring outputs, execution counts and metadata
 * the runner adds (language_info details). Empty when they agree.
 */
export function differences(committed: NotebookJson, source: SourceCell[]): string[] {
  const expected = buildNotebook(source);
  const problems: string[] = [];
  const ks = committed.metadata?.kernelspec as Record<string, unknown> | undefined;
  if (ks?.name !== KERNELSPEC.name) problems.push(`kernelspec name is ${JSON.stringify(ks?.name)}, expected "gradlab"`);
  if (committed.cells.length !== expected.cells.length) {
    problems.push(`${committed.cells.length} cells, the source has ${expected.cells.length}`);
  }
  const n = Math.min(committed.cells.length, expected.cells.length);
  for (let i = 0; i < n; i++) {
    const a = committed.cells[i], b = expected.cells[i];
    const joined = (s: unknown) => (Array.isArray(s) ? s.join("") : String(s));
    for (const key of ["id", "cell_type"]) {
      if (a[key] !== b[key]) problems.push(`cell ${i + 1}: ${key} is ${JSON.stringify(a[key])}, expected ${JSON.stringify(b[key])}`);
    }
    if (joined(a.source) !== joined(b.source)) problems.push(`cell ${i + 1} (${b.id}): source differs from src/`);
    const tags = (c: Record<string, unknown>) => JSON.stringify((c.metadata as { tags?: string[] })?.tags ?? []);
    if (tags(a) !== tags(b)) problems.push(`cell ${i + 1}: tags ${tags(a)}, expected ${tags(b)}`);
  }
  return problems;
}

export function main(args: string[]): number {
  const dir = notebooksDir();
  const check = args.includes("--check");
  const wanted = args.filter((a) => !a.startsWith("--"));
  const all = sourceNames(dir);
  // A notebook can be named in full, by file, or by its number ("02").
  const names = wanted.length ? wanted.map((w) => {
    const key = basename(w).replace(/\.(ts|ipynb)$/, "");
    const found = all.filter((n) => n === key || n.startsWith(`${key}-`));
    if (found.length !== 1) throw new Error(`no single notebook source matches "${w}" (sources: ${all.join(", ")})`);
    return found[0];
  }) : all;
  let failed = 0;
  for (const name of names) {
    const cells = parsePercent(readFileSync(join(dir, "src", `${name}.ts`), "utf8"), `src/${name}.ts`);
    const target = join(dir, `${name}.ipynb`);
    if (check) {
      const problems = existsSync(target)
        ? differences(JSON.parse(readFileSync(target, "utf8")), cells)
        : ["missing: run node dist/notebooks/build.js"];
      if (problems.length) {
        failed++;
        console.error(`${name}.ipynb is out of date with src/${name}.ts:\n  ${problems.join("\n  ")}`);
      }
    } else {
      writeFileSync(target, serialize(buildNotebook(cells)));
      console.log(`wrote ${name}.ipynb (${cells.length} cells, no outputs: run \`gradlab run notebooks/${name}.ipynb --inplace\`)`);
    }
  }
  return failed ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
