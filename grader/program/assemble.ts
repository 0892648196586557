/**
 * One TypeScript source from a notebook's cells, as the kernel would have run them: provided cells
 * (taken from the release, never from the student's copy) and the student's solution cells, in notebook
 * order. Imports are hoisted and merged (a notebook may import `Tensor` in two cells; one file may not),
 * only "gradlab" may be imported, and every line remembers its cell so errors point at the student's cell.
 */
import * as ts from "typescript";

export interface ProgramCell {
  /** 1-based position of the cell in the notebook, as a student counts cells. */
  cell: number;
  role: "provided" | "solution";
  /** nbgrader's grade_id of a solution cell. */
  gradeId?: string;
  /** A file name instead of a cell (folder submissions). */
  file?: string;
  source: string;
}

export interface LineOrigin {
  cell: number;
  gradeId?: string;
  file?: string;
  /** 1-based line inside the cell. */
  line: number;
}

export interface AssembledProgram {
  /** The TypeScript text of the whole program. */
  source: string;
  /** origins[k] says where line k+1 of `source` came from (undefined for generated lines). */
  origins: Array<LineOrigin | undefined>;
  cells: ProgramCell[];
  /** Imports that cannot work when grading (only "gradlab" can be imported). */
  problems: Array<{ origin: LineOrigin; message: string }>;
}

export const ALLOWED_MODULES = new Set(["gradlab"]);

interface ImportUse {
  module: string;
  defaultName?: string;
  namespace?: string;
  named: Array<{ name: string; alias: string }>;
}

/** Blanks a range of text, keeping line breaks so that line numbers do not move. */
function blank(text: string, start: number, end: number): string {
  return text.slice(0, start) + text.slice(start, end).replace(/[^\n]/g, " ") + text.slice(end);
}

function importsOf(cell: ProgramCell): { body: string; uses: ImportUse[]; problems: Array<{ line: number; message: string }> } {
  // Most cells import nothing, and parsing every cell of every submission is most of assembling.
  if (!cell.source.includes("import")) return { body: cell.source, uses: [], problems: [] };
  const sf = ts.createSourceFile("cell.ts", cell.source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  let body = cell.source;
  const uses: ImportUse[] = [];
  const problems: Array<{ line: number; message: string }> = [];
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier)) continue;
    const module = st.moduleSpecifier.text;
    const line = sf.getLineAndCharacterOfPosition(st.getStart(sf)).line + 1;
    body = blank(body, st.getStart(sf), st.getEnd());
    // Files of a folder submission share one scope here, so importing a sibling file needs nothing.
    if (cell.file && module.startsWith(".")) continue;
    if (!ALLOWED_MODULES.has(module)) {
      problems.push({ line, message: `only "gradlab" can be imported in graded code; "${module}" is not available when grading` });
      continue;
    }
    const use: ImportUse = { module, named: [] };
    const clause = st.importClause;
    if (clause) {
      // `import type { A }` and `import { type A }` stay type-only in the merged line.
      if (clause.name && !clause.isTypeOnly) use.defaultName = clause.name.text;
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb) && !clause.isTypeOnly) use.namespace = nb.name.text;
      if (nb && ts.isNamedImports(nb)) {
        for (const el of nb.elements) {
          const name = (el.propertyName ?? el.name).text;
          use.named.push({ name: clause.isTypeOnly || el.isTypeOnly ? `type ${name}` : name, alias: el.name.text });
        }
      }
    }
    uses.push(use);
  }
  return { body, uses, problems };
}

/** The merged import lines: one per module, each alias once. */
function importHeader(uses: ImportUse[]): string[] {
  const lines: string[] = [];
  const modules = [...new Set(uses.map((u) => u.module))];
  for (const module of modules) {
    const of = uses.filter((u) => u.module === module);
    const named = new Map<string, string>();
    for (const u of of) for (const n of u.named) if (!named.has(n.alias)) named.set(n.alias, n.name);
    const specs = [...named].map(([alias, name]) => {
      const typeOnly = name.startsWith("type ");
      const real = typeOnly ? name.slice(5) : name;
      return `${typeOnly ? "type " : ""}${real === alias ? real : `${real} as ${alias}`}`;
    });
    if (specs.length) lines.push(`import { ${specs.join(", ")} } from ${JSON.stringify(module)};`);
    for (const ns of new Set(of.map((u) => u.namespace).filter(Boolean))) lines.push(`import * as ${ns} from ${JSON.stringify(module)};`);
    for (const d of new Set(of.map((u) => u.defaultName).filter(Boolean))) lines.push(`import ${d} from ${JSON.stringify(module)};`);
  }
  return lines;
}

export function assembleProgram(cells: ProgramCell[]): AssembledProgram {
  const parsed = cells.map(importsOf);
  const header = importHeader(parsed.flatMap((p) => p.uses));
  const lines: string[] = [...header];
  const origins: Array<LineOrigin | undefined> = header.map(() => undefined);
  const problems: AssembledProgram["problems"] = [];
  cells.forEach((cell, i) => {
    const origin = (line: number): LineOrigin => ({ cell: cell.cell, gradeId: cell.gradeId, file: cell.file, line });
    for (const p of parsed[i].problems) problems.push({ origin: origin(p.line), message: p.message });
    lines.push("");
    origins.push(undefined);
    parsed[i].body.split("\n").forEach((text, k) => {
      lines.push(text);
      origins.push(origin(k + 1));
    });
    // A cell's last statement may lack its semicolon; the next cell must not continue it.
    lines.push(";");
    origins.push(undefined);
  });
  return { source: lines.join("\n") + "\n", origins, cells, problems };
}

/** "cell 12 (gates-multiply), line 3", or "gates.ts, line 3" for a file. */
export function describeOrigin(o: LineOrigin): string {
  if (o.file) return `${o.file}, line ${o.line}`;
  return `cell ${o.cell}${o.gradeId ? ` (${o.gradeId})` : ""}, line ${o.line}`;
}
