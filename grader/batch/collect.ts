/**
 * What a class run grades: a list of submissions, each with the student's id and submission time, from
 *  - a folder of submissions (one notebook, folder or .zip per student; the id is the entry's name),
 *  - a Gradescope "Export Submissions" zip or its unzipped folder (submission_metadata.yml maps each
 *    submission_NNN/ folder to its students and time; the id is the first submitter's SID, else e-mail),
 *  - or any list of the above and of single submissions.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "fs";
import { tmpdir } from "os";
import { basename, dirname, extname, join, resolve } from "path";
import { extractZip, readZip } from "../submission/zip";
import { parseGradescopeMetadata } from "./gradescope-metadata";

export interface BatchItem {
  /** The student's id: a safe folder name. */
  id: string;
  /** A path readSubmission reads (notebook, folder or zip). */
  path: string;
  /** How reports name it (the path, or Gradescope's submission folder when the path is a temporary copy). */
  label?: string;
  submittedAt?: string;
  /** Names and e-mails (Gradescope), for the gradebook. */
  name?: string;
  email?: string;
}

export class CollectError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CollectError";
  }
}

export const METADATA_FILE = "submission_metadata.yml";

/** A student id as a folder name: letters, digits and . _ @ + - (anything else becomes _), never hidden. */
export function safeId(raw: string): string {
  const id = raw.trim().replace(/[^A-Za-z0-9._@+-]/g, "_").replace(/^[._]+/, "");
  return id || "unnamed";
}

export function idFromPath(path: string): string {
  const name = basename(path.replace(/[\\/]+$/, ""));
  return safeId(name.slice(0, name.length - extname(name).length) || name);
}

const SUBMISSION_FILE = /\.(ipynb|zip)$/i;

/** A folder that holds submissions (rather than being one): it has zips or sub-folders, or several notebooks. */
function isClassFolder(dir: string): boolean {
  const entries = readdirSync(dir).filter((n) => !n.startsWith(".") && n !== "__MACOSX");
  const notebooks = entries.filter((n) => n.endsWith(".ipynb"));
  if (notebooks.length > 1) return true;
  if (entries.some((n) => n.toLowerCase().endsWith(".zip"))) return true;
  if (entries.some((n) => n.endsWith(".ts"))) return false;
  return notebooks.length === 0 && entries.some((n) => statSync(join(dir, n)).isDirectory());
}

function fromGradescopeFolder(dir: string): BatchItem[] {
  const meta = parseGradescopeMetadata(readFileSync(join(dir, METADATA_FILE), "utf8"), join(dir, METADATA_FILE));
  return meta.filter((m) => existsSync(join(dir, m.folder))).map((m) => {
    const first = m.submitters[0] ?? {};
    const raw = m.submitters.map((s) => s.sid || s.email || "").filter(Boolean).join("+") || m.folder;
    return {
      id: safeId(raw), path: join(dir, m.folder), label: m.folder, submittedAt: m.createdAt,
      name: m.submitters.map((s) => s.name).filter(Boolean).join("; ") || undefined,
      email: first.email,
    };
  });
}

function gradescopeRoot(dir: string): string | null {
  if (existsSync(join(dir, METADATA_FILE))) return dir;
  // Gradescope's zip holds one folder (assignment_NNN_export/) with the metadata inside.
  const subs = readdirSync(dir).filter((n) => !n.startsWith(".") && n !== "__MACOSX");
  if (subs.length === 1 && statSync(join(dir, subs[0])).isDirectory() && existsSync(join(dir, subs[0], METADATA_FILE))) return join(dir, subs[0]);
  return null;
}

function zipHasMetadata(path: string): boolean {
  try {
    return readZip(readFileSync(path), basename(path)).some((e) => e.name === METADATA_FILE || e.name.endsWith(`/${METADATA_FILE}`));
  } catch {
    return false; // a broken student zip: reported when it is graded
  }
}

/** Every submission named by `paths`, sorted by id; two submissions with one id are an error. */
export function collectSubmissions(paths: string[], opts: { scratch?: string } = {}): BatchItem[] {
  const items: BatchItem[] = [];
  for (const p of paths) {
    if (!existsSync(p)) throw new CollectError(`${p}: no such file or folder`);
    const st = statSync(p);
    if (st.isDirectory()) {
      const gs = gradescopeRoot(p);
      if (gs) items.push(...fromGradescopeFolder(gs));
      else if (isClassFolder(p)) {
        for (const name of readdirSync(p).sort()) {
          if (name.startsWith(".") || name === "__MACOSX") continue;
          const full = join(p, name);
          if (statSync(full).isDirectory() || SUBMISSION_FILE.test(name)) items.push({ id: idFromPath(full), path: full });
        }
      } else items.push({ id: idFromPath(p), path: p });
    } else if (p.toLowerCase().endsWith(".zip") && zipHasMetadata(p)) {
      const dir = mkdtempSync(join(opts.scratch ?? tmpdir(), "gradlab-export-"));
      extractZip(p, dir);
      const root = gradescopeRoot(dir);
      if (!root) throw new CollectError(`${p}: ${METADATA_FILE} is not at the top of the export`);
      items.push(...fromGradescopeFolder(root));
    } else items.push({ id: idFromPath(p), path: p });
  }
  // alice/assignment1.ipynb and bob/assignment1.ipynb: the same file name, so the folder names the student.
  // Only where the clashing files sit in different folders: two files of one folder (jdoe.ipynb and
  // jdoe.zip) would both take that folder's name, and the error below should name the id they share.
  const byId = new Map<string, BatchItem[]>();
  for (const it of items) byId.set(it.id, [...(byId.get(it.id) ?? []), it]);
  for (const same of byId.values()) {
    const folders = same.map((it) => dirname(resolve(it.path)));
    if (same.length < 2 || new Set(folders).size < same.length) continue;
    same.forEach((it, i) => {
      if (!it.label && existsSync(it.path) && statSync(it.path).isFile()) it.id = safeId(basename(folders[i]));
    });
  }
  items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 1; i < items.length; i++) {
    if (items[i].id === items[i - 1].id) throw new CollectError(`two submissions have the id "${items[i].id}": ${items[i - 1].path} and ${items[i].path}`);
  }
  return items;
}

/** "2/4" → the 2nd of 4 slices: every item whose index (in id order) is 1 modulo 4. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = m ? Number(m[1]) : NaN, count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) throw new CollectError(`--shard ${text}: expected i/n with 1 ≤ i ≤ n`);
  return { index, count };
}

export function shardOf<T>(items: T[], shard: { index: number; count: number }): T[] {
  return items.filter((_, i) => i % shard.count === shard.index - 1);
}
