/**
 * Reading and writing Jupyter notebooks in nbformat 4.5, the version Python's `nbformat.validate`
 * checks (cell ids required). Older 4.x notebooks are upgraded on read the way nbformat does it:
 * every cell gets a unique id. Writing follows nbformat's own layout (1-space indent, sorted keys,
 * multi-line strings split into line lists) so that an executed notebook diffs cleanly in git.
 */
import { randomBytes } from "crypto";

export type MimeBundle = Record<string, unknown>;

export interface StreamOutput {
  output_type: "stream";
  name: "stdout" | "stderr";
  text: string;
}
export interface DisplayDataOutput {
  output_type: "display_data";
  data: MimeBundle;
  metadata: Record<string, unknown>;
}
export interface ExecuteResultOutput {
  output_type: "execute_result";
  data: MimeBundle;
  metadata: Record<string, unknown>;
  execution_count: number | null;
}
export interface ErrorOutput {
  output_type: "error";
  ename: string;
  evalue: string;
  traceback: string[];
}
export type Output = StreamOutput | DisplayDataOutput | ExecuteResultOutput | ErrorOutput;

export interface CodeCell {
  cell_type: "code";
  id: string;
  source: string;
  metadata: Record<string, unknown> & { tags?: string[] };
  execution_count: number | null;
  outputs: Output[];
}
export interface TextCell {
  cell_type: "markdown" | "raw";
  id: string;
  source: string;
  metadata: Record<string, unknown> & { tags?: string[] };
  attachments?: Record<string, unknown>;
}
export type Cell = CodeCell | TextCell;

export interface Notebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown> & {
    kernelspec?: { name: string; display_name: string; language?: string };
    language_info?: Record<string, unknown> & { name: string };
  };
  cells: Cell[];
}

/** A notebook file that cannot be read as nbformat 4; the message says where and why. */
export class NotebookFormatError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`${path}: not a valid Jupyter notebook: ${reason}`);
    this.name = "NotebookFormatError";
  }
}

const CELL_ID = /^[a-zA-Z0-9-_]{1,64}$/;

/** nbformat stores multi-line strings either whole or as a list of lines; we keep them whole in memory. */
function joinSource(value: unknown, where: string, path: string): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((line) => typeof line === "string")) return value.join("");
  throw new NotebookFormatError(path, `${where} must be a string or a list of strings`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Mime types whose values nbformat keeps as JSON rather than as (multi-line) text. */
export function isJsonMime(mime: string): boolean {
  return mime === "application/json" || /^application\/(.+\+)?json$/.test(mime) || mime.endsWith("+json");
}

function readBundle(data: unknown, where: string, path: string): MimeBundle {
  if (!isObject(data)) throw new NotebookFormatError(path, `${where} must be an object (a MIME bundle)`);
  const bundle: MimeBundle = {};
  for (const [mime, value] of Object.entries(data)) {
    bundle[mime] = isJsonMime(mime) ? value : joinSource(value, `${where}["${mime}"]`, path);
  }
  return bundle;
}

function readOutput(raw: unknown, where: string, path: string): Output {
  if (!isObject(raw)) throw new NotebookFormatError(path, `${where} must be an object`);
  switch (raw.output_type) {
    case "stream":
      if (raw.name !== "stdout" && raw.name !== "stderr") {
        throw new NotebookFormatError(path, `${where}: stream name must be "stdout" or "stderr", got ${JSON.stringify(raw.name)}`);
      }
      return { output_type: "stream", name: raw.name, text: joinSource(raw.text, `${where}.text`, path) };
    case "display_data":
      return {
        output_type: "display_data",
        data: readBundle(raw.data ?? {}, `${where}.data`, path),
        metadata: isObject(raw.metadata) ? raw.metadata : {},
      };
    case "execute_result":
      return {
        output_type: "execute_result",
        data: readBundle(raw.data ?? {}, `${where}.data`, path),
        metadata: isObject(raw.metadata) ? raw.metadata : {},
        execution_count: typeof raw.execution_count === "number" ? raw.execution_count : null,
      };
    case "error":
      return {
        output_type: "error",
        ename: String(raw.ename ?? ""),
        evalue: String(raw.evalue ?? ""),
        traceback: Array.isArray(raw.traceback) ? raw.traceback.map(String) : [],
      };
    default:
      throw new NotebookFormatError(path, `${where}: unknown output_type ${JSON.stringify(raw.output_type)}`);
  }
}

/** A fresh cell id in nbformat's style (8 hex digits is what JupyterLab and nbformat generate). */
export function newCellId(taken: Set<string>): string {
  for (;;) {
    const id = randomBytes(4).toString("hex");
    if (!taken.has(id)) return id;
  }
}

/**
 * Parses notebook JSON text. `path` only names the file in error messages. Throws NotebookFormatError
 * for anything that is not an nbformat 4 notebook; upgrades 4.0-4.4 to 4.5 by adding cell ids.
 */
export function parseNotebook(text: string, path = "<notebook>"): Notebook {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new NotebookFormatError(path, `invalid JSON (${(err as Error).message})`);
  }
  if (!isObject(raw)) throw new NotebookFormatError(path, "the top level must be a JSON object");
  if (raw.nbformat !== 4) {
    throw new NotebookFormatError(path, `only nbformat 4 is supported, found nbformat ${JSON.stringify(raw.nbformat)}`);
  }
  if (!Array.isArray(raw.cells)) throw new NotebookFormatError(path, `"cells" must be a list`);
  const metadata = isObject(raw.metadata) ? raw.metadata : {};
  const taken = new Set<string>();
  const cells: Cell[] = raw.cells.map((rawCell: unknown, index: number): Cell => {
    const where = `cell ${index + 1}`;
    if (!isObject(rawCell)) throw new NotebookFormatError(path, `${where} must be an object`);
    const source = joinSource(rawCell.source ?? "", `${where} source`, path);
    const cellMetadata = isObject(rawCell.metadata) ? rawCell.metadata : {};
    // Keep valid, unique ids (they identify cells across edits); replace missing or duplicate ones.
    const id = typeof rawCell.id === "string" && CELL_ID.test(rawCell.id) && !taken.has(rawCell.id) ? rawCell.id : newCellId(taken);
    taken.add(id);
    if (rawCell.cell_type === "code") {
      const outputs = rawCell.outputs ?? [];
      if (!Array.isArray(outputs)) throw new NotebookFormatError(path, `${where} outputs must be a list`);
      return {
        cell_type: "code",
        id,
        source,
        metadata: cellMetadata,
        execution_count: typeof rawCell.execution_count === "number" ? rawCell.execution_count : null,
        outputs: outputs.map((o: unknown, j: number) => readOutput(o, `${where} output ${j + 1}`, path)),
      };
    }
    if (rawCell.cell_type === "markdown" || rawCell.cell_type === "raw") {
      const cell: TextCell = { cell_type: rawCell.cell_type, id, source, metadata: cellMetadata };
      if (isObject(rawCell.attachments)) cell.attachments = rawCell.attachments;
      return cell;
    }
    throw new NotebookFormatError(path, `${where}: unknown cell_type ${JSON.stringify(rawCell.cell_type)}`);
  });
  return { nbformat: 4, nbformat_minor: 5, metadata, cells };
}

/** "a\nb\n" -> ["a\n", "b\n"], nbformat's on-disk form for multi-line strings. */
export function splitLines(text: string): string[] {
  const lines = text.split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === "" ? [] : lines;
}

function writeBundle(bundle: MimeBundle): MimeBundle {
  const out: MimeBundle = {};
  for (const [mime, value] of Object.entries(bundle)) {
    out[mime] = typeof value === "string" && !isJsonMime(mime) ? splitLines(value) : value;
  }
  return out;
}

function writeOutput(output: Output): Record<string, unknown> {
  switch (output.output_type) {
    case "stream":
      return { ...output, text: splitLines(output.text) };
    case "display_data":
    case "execute_result":
      return { ...output, data: writeBundle(output.data) };
    case "error":
      return { ...output };
  }
}

/** Recursively sorts object keys, as Python's json.dumps(sort_keys=True) does in nbformat.write. */
function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (isObject(value)) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key]);
    return sorted;
  }
  return value;
}

/** Serializes a notebook the way nbformat.write does (indent 1, sorted keys, split lines, final newline). */
export function serializeNotebook(nb: Notebook): string {
  const cells = nb.cells.map((cell) => {
    const base = { ...cell, source: splitLines(cell.source) } as Record<string, unknown>;
    if (cell.cell_type === "code") base.outputs = cell.outputs.map(writeOutput);
    return base;
  });
  const doc = { cells, metadata: nb.metadata, nbformat: 4, nbformat_minor: 5 };
  return JSON.stringify(sortKeys(doc), null, 1) + "\n";
}

export function cellTags(cell: Cell): string[] {
  const tags = cell.metadata.tags;
  return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [];
}

/** Deep copy, so a run never mutates the notebook it was given (the source stays as read). */
export function cloneNotebook(nb: Notebook): Notebook {
  return JSON.parse(JSON.stringify(nb)) as Notebook;
}
