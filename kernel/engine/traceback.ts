/**
 * Turns errors into Jupyter error content (ename, evalue, traceback) that speaks in cell lines:
 * a stack frame inside cell N's generated JavaScript is mapped back through the cell's two source
 * maps (CommonJS -> ES module -> TypeScript) to "Cell In[N], line L, column C" (ipykernel's words).
 * Frames from the kernel itself (vm, our executor, tslab) are dropped; other files are named relative
 * to the notebook's folder or by package (see frames.ts), never by the kernel's absolute paths; a local
 * module the converter compiled beside a cell is mapped through its own two maps the same way.
 */
import { SourceMap } from "module";
import { inspect } from "util";
import type { ErrorContent } from "../bridge";
import type { FrameNamer } from "./frames";
import type { CellMaps, Diagnostic } from "./typescript";

/** Lines of the wrapper placed before the cell's code (see executor.ts). */
export const WRAPPER_LINES = 1;
/** tslab prefixes each cell with "export {};\n" before compiling it. */
const TSLAB_PREFIX_LINES = 1;

/**
 * The converter's two source maps of one compiled file (a cell or a local module), composed: a position
 * in the CommonJS that runs goes through stage 2 to the ES module, then through stage 1 to the source.
 * Parsed on first use (most compiled code never throws).
 */
export class TwoStageMap {
  private parsed: { stage1: SourceMap | null; stage2: SourceMap | null } | null = null;

  constructor(private readonly maps: CellMaps) {}

  /** The 0-based source line and column of a 0-based generated position, or null when a stage has no entry. */
  original(line: number, column: number): { line: number; column: number } | null {
    if (!this.parsed) this.parsed = { stage1: parseMap(this.maps.stage1), stage2: parseMap(this.maps.stage2) };
    let l = line;
    let c = column;
    for (const map of [this.parsed.stage2, this.parsed.stage1]) {
      if (!map) return null;
      const e = map.findEntry(l, c) as { originalLine?: number; originalColumn?: number };
      if (e.originalLine === undefined) return null;
      l = e.originalLine;
      c = e.originalColumn ?? 0;
    }
    return { line: l, column: c };
  }
}

function parseMap(text: string | null): SourceMap | null {
  try {
    return text ? new SourceMap(JSON.parse(text)) : null;
  } catch {
    return null;
  }
}

interface CellRecord {
  count: number;
  filename: string;
  map: TwoStageMap;
  /** The wrapper's closing line, which calls the cell's function: not a place in the user's code. */
  callLine: number;
}

export class CellRegistry {
  private readonly cells = new Map<string, CellRecord>();
  private readonly order: string[] = [];

  constructor(private readonly keep = 500) {}

  add(count: number, filename: string, maps: CellMaps, callLine: number): void {
    this.cells.set(filename, { count, filename, map: new TwoStageMap(maps), callLine });
    this.order.push(filename);
    if (this.order.length > this.keep) this.cells.delete(this.order.shift()!);
  }

  /** 1-based line and column in the cell's TypeScript source, or null when unknown. */
  locate(filename: string, line: number, column: number): { cell: number; line: number; column: number } | null {
    const rec = this.cells.get(filename);
    if (!rec || line >= rec.callLine) return null;
    const generated = line - 1 - WRAPPER_LINES;
    if (generated < 0) return null;
    const at = rec.map.original(generated, column - 1);
    if (!at) return null;
    const l = at.line - TSLAB_PREFIX_LINES;
    if (l < 0) return null;
    return { cell: rec.count, line: l + 1, column: at.column + 1 };
  }

  isCellFile(filename: string): boolean {
    return this.cells.has(filename);
  }

  /** The execution count of the cell compiled to `filename`. */
  countOf(filename: string): number | undefined {
    return this.cells.get(filename)?.count;
  }

  /** True for the frame of the wrapper's call into the cell (dropped from tracebacks). */
  isWrapperCall(filename: string, line: number): boolean {
    const rec = this.cells.get(filename);
    return !!rec && line >= rec.callLine;
  }
}

const FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;
/** A frame whose place is not a file position: "at new Promise (<anonymous>)", "at async Promise.all (index 0)". */
const FRAME_WITHOUT_POSITION = /^\s*at (?:.*? \()?(.*?)\)?$/;

/** How a traceback names a cell: ipykernel's "Cell In[3]", which students know from Python notebooks. */
export function describeCell(cell: number): string {
  return `Cell In[${cell}]`;
}

/** Stack lines (after the message) rewritten to cell positions, kernel frames dropped, paths shortened. */
export function mapStack(stack: string, cells: CellRegistry, files: FrameNamer): string[] {
  const out: string[] = [];
  for (const raw of stack.split("\n")) {
    if (!/^\s*at /.test(raw)) continue;
    const m = FRAME.exec(raw);
    if (!m) {
      const place = FRAME_WITHOUT_POSITION.exec(raw)?.[1] ?? "";
      if (!files.isInternal(place)) out.push(raw);
      continue;
    }
    const [, fn, file, line, col] = m;
    if (files.isInternal(file)) continue;
    const name = functionName(fn);
    let where: string;
    if (cells.isCellFile(file)) {
      if (cells.isWrapperCall(file, Number(line))) continue;
      const at = cells.locate(file, Number(line), Number(col));
      where = at ? `${describeCell(at.cell)}, line ${at.line}, column ${at.column}` : describeCell(cells.countOf(file)!);
    } else {
      where = files.describe(file, Number(line), Number(col));
    }
    out.push(name ? `    at ${name} (${where})` : `    at ${where}`);
  }
  return out;
}

/**
 * The function's name as the student wrote it: without the `Object.` / `exports.` that CommonJS output
 * adds (tslab's converted modules show `tsLastExpr.exports.f`), and none for a cell's or module's top level.
 */
function functionName(fn: string | undefined): string | null {
  if (!fn || fn.startsWith("Object.<anonymous>") || fn === "eval") return null;
  return fn.replace(/^(?:[\w$]+\.)*exports\./, "").replace(/^Object\./, "");
}

/**
 * The message without Node's "Require stack:" list, which names the kernel's own stand-in file for the
 * notebook (the frames below say where the import was).
 */
function withoutRequireStack(message: string): string {
  const at = message.indexOf("\nRequire stack:");
  return at < 0 ? message : message.slice(0, at);
}

/** Error content for something a cell threw (an Error or any other value). */
export function runtimeError(thrown: unknown, cells: CellRegistry, files: FrameNamer): ErrorContent {
  if (thrown instanceof Error || (thrown && typeof thrown === "object" && "stack" in thrown && "message" in thrown)) {
    const e = thrown as Error;
    const ename = e.name || e.constructor?.name || "Error";
    const evalue = withoutRequireStack(String(e.message ?? ""));
    const frames = typeof e.stack === "string" ? mapStack(e.stack, cells, files) : [];
    return { ename, evalue, traceback: [`${ename}: ${evalue}`, ...frames] };
  }
  const evalue = inspect(thrown, { depth: 2 });
  return { ename: "Uncaught", evalue, traceback: [`Uncaught ${evalue} (thrown value is not an Error, so it has no stack)`] };
}

/**
 * tslab splits a chained diagnostic ("Argument of type X is not assignable ..." / "Property 'height' is
 * missing ...") into several at the same span; put them back together as one error with its details.
 */
function groupChains(diags: Diagnostic[]): { head: Diagnostic; details: string[] }[] {
  const groups: { head: Diagnostic; details: string[] }[] = [];
  for (const d of diags) {
    const prev = groups[groups.length - 1];
    if (prev && !d.fileName && !prev.head.fileName && d.start.offset === prev.head.start.offset && d.end.offset === prev.head.end.offset) {
      prev.details.push(d.messageText);
    } else {
      groups.push({ head: d, details: [] });
    }
  }
  return groups;
}

/** Error content for type errors: each diagnostic with its line, column and a caret under the source. */
export function typeErrors(diags: Diagnostic[], source: string, cell: number, files?: FrameNamer): ErrorContent {
  const lines = source.split("\n");
  const traceback: string[] = [];
  const groups = groupChains(diags);
  for (const { head: d, details } of groups) {
    const where = d.fileName
      ? `${files ? files.describePath(d.fileName) : d.fileName}, line ${d.start.line + 1}, column ${d.start.character + 1}`
      : `${describeCell(cell)}, line ${d.start.line + 1}, column ${d.start.character + 1}`;
    traceback.push(`${where}: error TS${d.code}: ${d.messageText}`, ...details.map((t) => `  ${t}`));
    if (!d.fileName && lines[d.start.line] !== undefined) {
      const text = lines[d.start.line];
      const width = d.end.line === d.start.line ? Math.max(1, d.end.character - d.start.character) : Math.max(1, text.length - d.start.character);
      traceback.push(`    ${text}`, `    ${" ".repeat(d.start.character)}${"^".repeat(width)}`);
    }
  }
  const { head: first, details } = groups[0];
  const more = groups.length > 1 ? ` (and ${groups.length - 1} more)` : "";
  const message = [first.messageText, ...details].join(" ");
  const evalue = `line ${first.start.line + 1}, column ${first.start.character + 1}: ${message} (TS${first.code})${more}`;
  const count = `${groups.length} type error${groups.length > 1 ? "s" : ""}`;
  return { ename: "TSError", evalue, traceback: [`TSError: ${count} in ${describeCell(cell)}`, ...traceback] };
}
