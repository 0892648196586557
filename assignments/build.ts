/**
 * Builds each assignment's notebook (`assignments/<id>/<id>.ipynb`) from its reviewable instructor source
 * (`assignments/<id>/src/<id>.ts`). The source is in the lecture notebooks' percent format
 * (notebooks/build.ts), with role markers that become nbgrader cell metadata (schema_version 3), so that
 * the grader (grader/notebook/cells.ts) and nbgrader's "Create Assignment" toolbar read the same roles:
 *
 *   // %% [markdown]                          prose (no nbgrader metadata)
 *   // %%                                     scratch code (no nbgrader metadata; never graded)
 *   // %% provided id=<grade_id>              locked code that is part of the graded program
 *   // %% solution id=<grade_id>              the student's code; `// BEGIN SOLUTION` … `// END SOLUTION`
 *                                             regions become stubs in the release
 *   // %% check id=<grade_id>                 a check the student runs (gradients, plots); never graded
 *   // %% [markdown] written id=<grade_id> points=<n>   a written answer for a TA (the source holds the
 *                                             model answer; the release says "YOUR ANSWER HERE")
 *
 * The notebook keeps the solutions (it is the instructor's reference); `gradlab release` makes the
 * student version. `--check` fails when a committed notebook differs from its source (outputs ignored).
 *
 * Usage:  npx tsc -p assignments && node dist/assignments/build.js [--check] [assignment1 ...]
 */
import { stripSolutions, WRITTEN_PLACEHOLDER } from "../grader/notebook/cells";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { basename, join, resolve } from "path";
import { NotebookJson, SourceCell, buildNotebook, parsePercent, serialize } from "../notebooks/build";

export type Role = "prose" | "scratch" | "provided" | "solution" | "check" | "written";

export interface RoledCell extends SourceCell {
  role: Role;
  gradeId?: string;
  points?: number;
}

const ROLE_MARKER = /^\/\/ %%(?<md> \[markdown\])? (?<role>provided|solution|check|written)(?<attrs>( [a-z_]+=[^ ]+)*)\s*$/;

/** Splits an instructor source into cells with roles; `file` names it in error messages. */
export function parseAssignment(text: string, file: string): RoledCell[] {
  const roles: Array<Omit<RoledCell, keyof SourceCell>> = [];
  const plain = text.replace(/\r\n/g, "\n").split("\n").map((line, i) => {
    if (!line.startsWith("// %%")) return line;
    const m = ROLE_MARKER.exec(line);
    if (!m) {
      roles.push({ role: line.trim() === "// %% [markdown]" ? "prose" : "scratch" });
      return line;
    }
    const { md, role, attrs } = m.groups!;
    const where = `${file}:${i + 1}`;
    if ((role === "written") !== Boolean(md)) throw new Error(`${where}: "written" cells are Markdown ("// %% [markdown] written id=..."), the other roles are code`);
    const fields = Object.fromEntries((attrs ?? "").trim().split(/\s+/).filter(Boolean).map((a) => a.split("=") as [string, string]));
    for (const key of Object.keys(fields)) if (key !== "id" && key !== "points") throw new Error(`${where}: unknown attribute "${key}" (id, points)`);
    if (!fields.id || !/^[a-z0-9][a-z0-9-]*$/.test(fields.id)) throw new Error(`${where}: a ${role} cell needs id=<lowercase-words-with-dashes>`);
    const points = fields.points === undefined ? undefined : Number(fields.points);
    if (points !== undefined && !(Number.isFinite(points) && points >= 0)) throw new Error(`${where}: points must be a number >= 0`);
    if (role === "written" && points === undefined) throw new Error(`${where}: a written cell needs points=<n>`);
    roles.push({ role: role as Role, gradeId: fields.id, points });
    return md ? "// %% [markdown]" : "// %%";
  });
  const cells = parsePercent(plain.join("\n"), file);
  if (cells.length !== roles.length) throw new Error(`${file}: ${roles.length} markers but ${cells.length} cells`);
  const result = cells.map((cell, i) => ({ ...cell, ...roles[i] }));
  const seen = new Set<string>();
  result.forEach((cell, i) => {
    if (!cell.gradeId) return;
    if (seen.has(cell.gradeId)) throw new Error(`${file}: cell ${i + 1}: id "${cell.gradeId}" is used twice`);
    seen.add(cell.gradeId);
    checkRegions(cell, `${file}: cell ${i + 1} (${cell.gradeId})`);
  });
  return result;
}

/** Solution regions: only in solution cells, balanced, not nested. */
function checkRegions(cell: RoledCell, where: string): void {
  let open = false, regions = 0;
  for (const line of cell.source.split("\n")) {
    const t = line.trim();
    if (t === "// BEGIN SOLUTION") {
      if (open) throw new Error(`${where}: nested // BEGIN SOLUTION`);
      open = true;
      regions++;
    } else if (t === "// END SOLUTION") {
      if (!open) throw new Error(`${where}: // END SOLUTION without BEGIN`);
      open = false;
    }
  }
  if (open) throw new Error(`${where}: // BEGIN SOLUTION is never closed`);
  if (regions > 0 && cell.role !== "solution") throw new Error(`${where}: solution regions belong in solution cells, not ${cell.role} cells`);
  if (regions === 0 && cell.role === "solution") throw new Error(`${where}: a solution cell without a // BEGIN SOLUTION region`);
}

/** nbgrader's cell metadata for a role (schema_version 3), or undefined for prose and scratch. */
export function nbgraderMetadata(cell: RoledCell): Record<string, unknown> | undefined {
  const base = { grade_id: cell.gradeId, schema_version: 3 };
  switch (cell.role) {
    case "provided": return { ...base, grade: false, locked: true, solution: false };
    case "solution": return { ...base, grade: false, locked: false, solution: true };
    case "check": return { ...base, grade: true, locked: true, points: cell.points ?? 0, solution: false };
    case "written": return { ...base, grade: true, locked: false, points: cell.points, solution: true };
    default: return undefined;
  }
}

/** The instructor's notebook: the lecture notebooks' layout plus nbgrader metadata per cell. */
export function buildAssignmentNotebook(cells: RoledCell[]): NotebookJson {
  const nb = buildNotebook(cells);
  nb.cells.forEach((c, i) => {
    const meta = nbgraderMetadata(cells[i]);
    if (meta) c.metadata = { ...(c.metadata as object), nbgrader: meta };
  });
  return nb;
}

/**
 * The student's text of one cell, as the release makes it: each solution region becomes
 * `throw new Error("not implemented yet: <hint>")` (the hint from the region's `// STUB:` line) at the
 * region's indentation (without one, `write your solution for "<grade_id>"`, as the release helper does), and
 * a written answer becomes "YOUR ANSWER HERE".
 */
export function stubSource(cell: RoledCell): string {
  if (cell.role === "written") return WRITTEN_PLACEHOLDER;
  if (cell.role !== "solution") return cell.source;
  // The release's own stubbing, so an example of untouched stubs is exactly what students get.
  return stripSolutions(cell.source, `solution cell "${cell.gradeId}"`, `write your solution for "${cell.gradeId}"`);
}

/** The assignments folder (this file lives in assignments/, or compiled in dist/assignments/). */
export function assignmentsDir(): string {
  const here = resolve(__dirname);
  return basename(resolve(here, "..")) === "dist" ? resolve(here, "..", "..", "assignments") : here;
}

export function assignmentNames(dir = assignmentsDir()): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "src", `${d.name}.ts`)))
    .map((d) => d.name).sort();
}

export function readAssignment(name: string, dir = assignmentsDir()): RoledCell[] {
  return parseAssignment(readFileSync(join(dir, name, "src", `${name}.ts`), "utf8"), `${name}/src/${name}.ts`);
}

/** The committed notebook without what running it adds (outputs, execution counts, language_info details). */
function comparable(nb: NotebookJson): unknown {
  return {
    kernelspec: nb.metadata?.kernelspec,
    cells: nb.cells.map((c) => ({
      id: c.id, cell_type: c.cell_type, metadata: c.metadata,
      source: Array.isArray(c.source) ? c.source.join("") : c.source,
    })),
  };
}

export function main(args: string[]): number {
  const dir = assignmentsDir();
  const check = args.includes("--check");
  const wanted = args.filter((a) => !a.startsWith("--"));
  const names = wanted.length ? wanted : assignmentNames(dir);
  let failed = 0;
  for (const name of names) {
    const expected = buildAssignmentNotebook(readAssignment(name, dir));
    const target = join(dir, name, `${name}.ipynb`);
    if (check) {
      const same = existsSync(target) && serialize(comparable(JSON.parse(readFileSync(target, "utf8")))) === serialize(comparable(expected));
      if (!same) {
        failed++;
        console.error(`${name}/${name}.ipynb is ${existsSync(target) ? "out of date with" : "missing; build it from"} src/${name}.ts: run node dist/assignments/build.js ${name}`);
      }
    } else {
      writeFileSync(target, serialize(expected));
      console.log(`wrote ${name}/${name}.ipynb (${expected.cells.length} cells)`);
    }
  }
  return failed ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
