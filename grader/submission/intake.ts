/**
 * What a student handed in, from whatever shape it arrived in: a notebook, a folder (holding one notebook,
 * or .ts files), or a .zip of either (Gradescope gives a folder; students zip folders, often with macOS's
 * __MACOSX/ and .DS_Store litter). The result carries a sha256 of exactly what is graded, so a report and a
 * regrade can show they saw the same bytes.
 */
import { createHash } from "crypto";
import { lstatSync, readdirSync, readFileSync, statSync } from "fs";
import { basename, join } from "path";
import { parseNotebook, type Notebook } from "../../kernel/runner/nbformat";
import { DEFAULT_ZIP_LIMITS, readZip, ZipError, type ZipLimits } from "./zip";

export type Submission =
  | {
      kind: "notebook";
      notebook: Notebook;
      /** The notebook's path inside the submission ("assignment1.ipynb", "hw1/assignment1.ipynb"). */
      file: string;
      /** sha256 (hex) of the notebook file's bytes. */
      sha256: string;
    }
  | {
      kind: "folder";
      /** "/"-separated path (a lone top-level folder removed) → text of every .ts file. */
      files: Map<string, string>;
      /** sha256 (hex) over the sorted paths and contents of `files`. */
      sha256: string;
    };

export class SubmissionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SubmissionError";
  }
}

/** Files that come with a submission but are never the student's work. */
function ignored(relPath: string): boolean {
  return relPath.split("/").some((part) => part === "__MACOSX" || part === ".DS_Store" || part === ".ipynb_checkpoints" || part === "node_modules" || part === ".git");
}

export function sha256(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** UTF-8 without a byte-order mark (Windows editors add one; JSON.parse rejects it). */
function text(data: Buffer): string {
  const s = data.toString("utf8");
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

function readNotebookFile(data: Buffer, file: string, label: string): Submission {
  // parseNotebook's errors say "invalid JSON" / "only nbformat 4 is supported"; they become SubmissionErrors.
  try {
    return { kind: "notebook", notebook: parseNotebook(text(data), label), file, sha256: sha256(data) };
  } catch (err) {
    throw new SubmissionError((err as Error).message);
  }
}

/** "a/x.ts", "a/y.ts" → "x.ts", "y.ts": a zipped folder and the folder itself give the same paths. */
function withoutCommonFolder(paths: string[]): (p: string) => string {
  const firsts = new Set(paths.map((p) => (p.includes("/") ? p.split("/")[0] : "")));
  if (firsts.size !== 1 || firsts.has("")) return (p) => p;
  const prefix = [...firsts][0] + "/";
  return (p) => p.slice(prefix.length);
}

function describeNotebooks(names: string[]): string {
  const count = names.length === 2 ? "two" : String(names.length);
  return `${count} notebooks: ${names.join(", ")}; which one? Submit exactly one .ipynb`;
}

/** Picks what is graded from a set of files (a folder or a zip's entries); `label` names the submission. */
function fromFiles(files: Map<string, Buffer>, label: string): Submission {
  const paths = [...files.keys()].filter((p) => !ignored(p)).sort();
  const notebooks = paths.filter((p) => p.endsWith(".ipynb"));
  if (notebooks.length > 1) throw new SubmissionError(`${label}: ${describeNotebooks(notebooks)}`);
  if (notebooks.length === 1) return readNotebookFile(files.get(notebooks[0])!, notebooks[0], `${label}:${notebooks[0]}`);
  const sources = paths.filter((p) => p.endsWith(".ts"));
  if (sources.length === 0) {
    const found = paths.length ? ` (found: ${paths.slice(0, 10).join(", ")}${paths.length > 10 ? ", ..." : ""})` : " (it is empty)";
    throw new SubmissionError(`no notebook in ${label}${found}; submit your .ipynb`);
  }
  const rename = withoutCommonFolder(sources);
  const texts = new Map(sources.map((p) => [rename(p), text(files.get(p)!)] as [string, string]));
  const hash = createHash("sha256");
  for (const [p, t] of [...texts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`${p}\0${t}\0`);
  return { kind: "folder", files: texts, sha256: hash.digest("hex") };
}

/** Reads a folder's files below `root`, refusing symlinks (they could point anywhere on the grader). */
function readFolder(root: string, limits: ZipLimits): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let total = 0;
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const relPath = rel ? `${rel}/${name}` : name;
      if (ignored(relPath)) continue;
      const st = lstatSync(join(root, relPath));
      if (st.isSymbolicLink()) throw new SubmissionError(`${root}: "${relPath}" is a symbolic link; submissions may not contain links`);
      if (st.isDirectory()) walk(relPath);
      else if (st.isFile()) {
        total += st.size;
        if (files.size + 1 > limits.maxEntries) throw new SubmissionError(`${root}: more than ${limits.maxEntries} files`);
        if (total > limits.maxTotalBytes) throw new SubmissionError(`${root}: more than ${limits.maxTotalBytes} bytes`);
        files.set(relPath, readFileSync(join(root, relPath)));
      }
    }
  };
  walk("");
  return files;
}

/**
 * Reads a submission: a .ipynb file, a .zip, or a folder. Throws SubmissionError (or ZipError for a hostile
 * or broken zip) with a message a student can act on.
 */
export function readSubmission(path: string, limits: Partial<ZipLimits> = {}): Submission {
  const all = { ...DEFAULT_ZIP_LIMITS, ...limits };
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new SubmissionError(`${path}: no such file or folder`);
  }
  if (st.isDirectory()) return fromFiles(readFolder(path, all), path);
  const name = basename(path);
  if (name.toLowerCase().endsWith(".zip")) {
    let entries;
    try {
      entries = readZip(readFileSync(path), name, all).filter((e) => !e.directory);
    } catch (err) {
      // A refused archive is a bad submission like any other: reported, and the class run goes on.
      if (err instanceof ZipError) throw new SubmissionError(err.message);
      throw err;
    }
    return fromFiles(new Map(entries.map((e) => [e.name, e.data])), name);
  }
  if (name.endsWith(".ipynb")) return readNotebookFile(readFileSync(path), name, name);
  if (name.endsWith(".ts")) return fromFiles(new Map([[name, readFileSync(path)]]), name);
  throw new SubmissionError(`${name}: submit a .ipynb notebook, a folder, or a .zip of one (got a file of another kind)`);
}
