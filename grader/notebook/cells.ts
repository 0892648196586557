/**
 * What each notebook cell is for, read from nbgrader's cell metadata (`metadata.nbgrader`, schema 3) so that
 * nbgrader's "Create Assignment" toolbar can author a gradlab assignment, and the student version of a
 * notebook: solution regions replaced by stubs, written answers blanked, outputs cleared.
 *
 *   code, solution: true                  → "solution"  the student's copy is graded (matched by grade_id)
 *   code, grade: true, solution: false    → "check"     the student runs it; never part of the graded program
 *   code, locked: true, neither           → "provided"  part of the program, taken from the release
 *   markdown, solution: true              → "written"   an answer for a TA (grade_id)
 *   markdown / raw otherwise              → "prose"
 *   code otherwise (no nbgrader metadata) → "scratch"   ignored when grading
 *
 * Solution regions (in code cells and in .ts files):
 *
 *   // BEGIN SOLUTION
 *   // STUB: multiply the upstream gradient by the other input     (optional; the stub's message)
 *   ...reference code...
 *   // END SOLUTION
 *
 * become `throw new Error("not implemented yet: <message>");` at the indentation of `// BEGIN SOLUTION`.
 * A throw statement is valid wherever a statement is (a function body of any return type, a method, the top
 * of a cell), so the student version still type-checks as long as the code after a region does not use a
 * name the region declared. A solution cell without markers is replaced whole, as nbgrader does.
 */
import { cloneNotebook, type Cell, type CodeCell, type Notebook, type TextCell } from "../../kernel/runner/nbformat";

export type CellRole = "solution" | "check" | "provided" | "written" | "prose" | "scratch";

export interface CellInfo {
  /** 0-based position in the notebook. */
  index: number;
  role: CellRole;
  gradeId?: string;
  /** nbgrader's points for graded cells (manual grading); the autograder's points live in assignment.json. */
  points?: number;
  source: string;
}

/** An authoring mistake in a notebook or source file; the message names the cell (or file) and line. */
export class AssignmentSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AssignmentSourceError";
  }
}

/** What replaces a written answer in the student version (nbgrader's wording, so TAs recognise it). */
export const WRITTEN_PLACEHOLDER = "YOUR ANSWER HERE";

interface NbgraderMeta {
  solution: boolean;
  grade: boolean;
  locked: boolean;
  gradeId?: string;
  points?: number;
}

function nbgraderMeta(cell: Cell): NbgraderMeta | null {
  const raw = cell.metadata.nbgrader;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return null;
  const m = raw as Record<string, unknown>;
  return {
    solution: m.solution === true,
    grade: m.grade === true,
    locked: m.locked === true,
    gradeId: typeof m.grade_id === "string" && m.grade_id.trim() !== "" ? m.grade_id : undefined,
    points: typeof m.points === "number" ? m.points : undefined,
  };
}

function roleOf(cell: Cell, meta: NbgraderMeta | null): CellRole {
  if (cell.cell_type !== "code") return meta?.solution && cell.cell_type === "markdown" ? "written" : "prose";
  if (!meta) return "scratch";
  if (meta.solution) return "solution";
  if (meta.grade) return "check";
  if (meta.locked) return "provided";
  return "scratch";
}

/** "cell 5 (grade_id "gates-multiply")": how errors and default stubs name a cell (1-based, as Jupyter shows). */
export function describeCell(index: number, gradeId?: string): string {
  return gradeId ? `cell ${index + 1} (grade_id "${gradeId}")` : `cell ${index + 1}`;
}

/**
 * The role of every cell, in order. Strict (the instructor's notebooks): throws AssignmentSourceError for a solution or written cell without a
 * grade_id (the grader could not match the student's copy) and for a grade_id used twice.
 */
export function cellRoles(nb: Notebook, opts: { strict?: boolean } = {}): CellInfo[] {
  const seen = new Map<string, number>();
  const strict = opts.strict ?? true;
  return nb.cells.map((cell, index) => {
    const meta = nbgraderMeta(cell);
    const role = roleOf(cell, meta);
    const gradeId = meta?.gradeId;
    // A student's copy is read leniently: a duplicated solution cell is common, and the first one counts.
    if (!strict) return { index, role, source: cell.source, ...(gradeId !== undefined ? { gradeId } : {}) };
    if ((role === "solution" || role === "written") && !gradeId) {
      throw new AssignmentSourceError(`${describeCell(index)}: a ${role} cell needs a grade_id in metadata.nbgrader`);
    }
    if (gradeId !== undefined) {
      const first = seen.get(gradeId);
      if (first !== undefined) {
        throw new AssignmentSourceError(`grade_id "${gradeId}" is used by cell ${first + 1} and cell ${index + 1}; grade_ids must be unique`);
      }
      seen.set(gradeId, index);
    }
    const info: CellInfo = { index, role, source: cell.source };
    if (gradeId !== undefined) info.gradeId = gradeId;
    if (meta?.points !== undefined) info.points = meta.points;
    return info;
  });
}

const BEGIN = /^([ \t]*)\/\/[ \t]*BEGIN SOLUTION[ \t]*\r?$/;
const END = /^[ \t]*\/\/[ \t]*END SOLUTION[ \t]*\r?$/;
const STUB = /^[ \t]*\/\/[ \t]*STUB:[ \t]*(.*?)[ \t]*\r?$/;

/** The statement a region becomes; JSON.stringify makes any hint a valid string literal. */
function stubLine(indent: string, hint: string): string {
  return `${indent}throw new Error(${JSON.stringify(`not implemented yet: ${hint}`)});`;
}

/** True when the text has at least one `// BEGIN SOLUTION` line. */
export function hasSolutionRegion(text: string): boolean {
  return text.split("\n").some((line) => BEGIN.test(line));
}

/**
 * Replaces every solution region of `text` (a code cell or a .ts file) by its stub. `where` names the text
 * in errors ("assignment1.ipynb cell 5", "gates.ts"); `defaultHint` is the stub's message for a region
 * without a `// STUB:` line (default: "complete <where>"). Unbalanced or nested markers throw.
 */
export function stripSolutions(text: string, where: string, defaultHint = `complete ${where}`): string {
  const out: string[] = [];
  let open: { line: number; indent: string; hint?: string } | null = null;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const begin = BEGIN.exec(line);
    if (begin) {
      if (open) throw new AssignmentSourceError(`${where}, line ${i + 1}: "// BEGIN SOLUTION" inside the region opened on line ${open.line}`);
      open = { line: i + 1, indent: begin[1] };
    } else if (END.test(line)) {
      if (!open) throw new AssignmentSourceError(`${where}, line ${i + 1}: "// END SOLUTION" without a "// BEGIN SOLUTION" before it`);
      // Keep a CRLF file's line ending on the stub line.
      out.push(stubLine(open.indent, open.hint ?? defaultHint) + (line.endsWith("\r") ? "\r" : ""));
      open = null;
    } else if (open) {
      // Inside a region only a STUB line is read; the reference code itself never reaches the output.
      const stub = STUB.exec(line);
      if (stub && open.hint === undefined && stub[1] !== "") open.hint = stub[1];
    } else {
      out.push(line);
    }
  }
  if (open) throw new AssignmentSourceError(`${where}, line ${open.line}: "// BEGIN SOLUTION" is never closed by "// END SOLUTION"`);
  return out.join("\n");
}

/** The message of a cell's stub when its region has no `// STUB:` line. */
function defaultCellHint(gradeId: string): string {
  return `write your solution for "${gradeId}"`;
}

/**
 * The student version of a notebook (a new object; `nb` is untouched): solution regions stubbed (a solution
 * cell without markers replaced whole), written answers replaced by "YOUR ANSWER HERE" (their attachments,
 * a model answer's pictures, dropped), every output cleared and every execution count reset. `name` prefixes
 * error messages. All outputs go, not only those of solution and check cells, as nbgrader's release does: a
 * provided or scratch cell run after the reference solutions shows their results (a loss curve, a printed
 * gradient) just as well.
 * Markers outside solution cells are an error: they would otherwise ship a solution in a provided cell.
 */
export function releaseNotebook(nb: Notebook, name = "notebook"): Notebook {
  const roles = cellRoles(nb);
  const out = cloneNotebook(nb);
  out.cells.forEach((cell, index) => {
    const { role, gradeId } = roles[index];
    const where = `${name} ${describeCell(index, gradeId)}`;
    if (role === "written") {
      cell.source = WRITTEN_PLACEHOLDER;
      delete (cell as TextCell).attachments;
      return;
    }
    if (cell.cell_type !== "code") return;
    const code = cell as CodeCell;
    code.execution_count = null;
    code.outputs = [];
    // Jupyter's own lock (nbgrader's "locked" alone is not enforced by JupyterLab): the grader uses the
    // released text of these cells anyway, so an edit would only mislead the student.
    if (role === "provided" || role === "check") Object.assign(code.metadata, { editable: false, deletable: false });
    if (role === "solution") {
      const hint = defaultCellHint(gradeId!);
      code.source = hasSolutionRegion(code.source)
        ? stripSolutions(code.source, where, hint)
        : `// YOUR CODE HERE\n${stubLine("", hint)}`;
    } else if (code.source.split("\n").some((line) => BEGIN.test(line) || END.test(line))) {
      throw new AssignmentSourceError(`${where}: a solution region in a ${role} cell; mark the cell as a solution cell (nbgrader "Autograded answer")`);
    }
  });
  return out;
}

/** grade_id → the Markdown text of every written-answer cell (what a TA reads). */
export function writtenAnswers(nb: Notebook): Record<string, string> {
  const answers: Record<string, string> = {};
  for (const info of cellRoles(nb)) if (info.role === "written") answers[info.gradeId!] = info.source;
  return answers;
}
