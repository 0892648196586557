/**
 * Teaching assistants' points for the written (manual) questions: scores.csv, one row per student and
 * question, with a header row:
 *
 *   id,question,points,comment
 *   jdoe,written-sigmoid,4,"the sign of the second term is off"
 *
 * Merged into the gradebook and each student's feedback (the question's note carries the comment); the
 * late penalty applies to the total with them.
 */
import { readFileSync } from "fs";
import type { AssignmentConfig } from "../config/assignment";
import type { GradeResult } from "../report/result";

export interface ManualScore { points: number; comment?: string }
/** student id → question id → score */
export type ManualScores = Map<string, Map<string, ManualScore>>;

export class ManualScoresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ManualScoresError";
  }
}

/** RFC 4180 CSV: quoted fields with "" for a quote, commas and newlines inside quotes. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = "", quoted = false, i = 0;
  const s = text.replace(/^\uFEFF/, "");
  while (i < s.length) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      field += c; i++; continue;
    }
    if (c === '"' && field === "") { quoted = true; i++; continue; }
    if (c === ",") { row.push(field); field = ""; i++; continue; }
    if (c === "\r" && s[i + 1] === "\n") i++;
    if (c === "\n" || c === "\r") { row.push(field); rows.push(row); row = []; field = ""; i++; continue; }
    field += c; i++;
  }
  if (field !== "" || row.length) { row.push(field); rows.push(row); }
  return rows.filter((r) => r.some((f) => f.trim() !== ""));
}

export function csvField(v: string | number | undefined | null): string {
  const s = v === undefined || v === null ? "" : String(v);
  // A leading = + - @ would be a formula in a spreadsheet: prefix a quote mark (OWASP's CSV injection advice).
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The rows of a CSV file named on the command line; a file that cannot be read is a ManualScoresError. */
export function readCsvFile(file: string): string[][] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ManualScoresError(`cannot read ${file}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a folder" : (err as Error).message}`);
  }
  return parseCsv(text);
}

/** The students `manual` scores who are not among `ids`, as a warning's text (null: none). */
export function unusedManualScores(manual: ManualScores, ids: Iterable<string>): string | null {
  const known = new Set(ids);
  const unknown = [...manual.keys()].filter((id) => !known.has(id));
  if (!unknown.length) return null;
  return `scores ${unknown.length === 1 ? "a student" : `${unknown.length} students`} with no submission here, not used: ${unknown.join(", ")}`;
}

export function readManualScores(file: string, config: AssignmentConfig): ManualScores {
  const rows = readCsvFile(file);
  if (rows.length === 0) return new Map();
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  const [idC, qC, pC, cC] = [col("id"), col("question"), col("points"), col("comment")];
  if (idC < 0 || qC < 0 || pC < 0) throw new ManualScoresError(`${file}: the first row must name the columns id,question,points[,comment]`);
  const manual = new Map(config.questions.filter((q) => q.manual).map((q) => [q.id, q]));
  const scores: ManualScores = new Map();
  rows.slice(1).forEach((r, i) => {
    const where = `${file}, row ${i + 2}`;
    const id = (r[idC] ?? "").trim(), qid = (r[qC] ?? "").trim(), raw = (r[pC] ?? "").trim();
    const q = manual.get(qid);
    if (!q) throw new ManualScoresError(`${where}: "${qid}" is not a manual question (${[...manual.keys()].join(", ") || "there are none"})`);
    const points = Number(raw);
    if (raw === "" || !Number.isFinite(points) || points < 0 || points > q.points) throw new ManualScoresError(`${where}: points must be between 0 and ${q.points}, got "${raw}"`);
    if (!scores.has(id)) scores.set(id, new Map());
    if (scores.get(id)!.has(qid)) throw new ManualScoresError(`${where}: ${id} already has points for ${qid}`);
    const comment = cC >= 0 && r[cC]?.trim() ? r[cC].trim() : undefined;
    scores.get(id)!.set(qid, { points, comment });
  });
  return scores;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** The result with a TA's points in its manual questions and the total recomputed (late penalty included). */
export function withManual(result: GradeResult, mine: Map<string, ManualScore> | undefined): GradeResult {
  if (!mine || mine.size === 0) return result;
  const questions = result.questions.map((q) => {
    const m = q.manual ? mine.get(q.id) : undefined;
    return m ? { ...q, score: m.points, graded: true, note: m.comment ? `graded by a teaching assistant: ${m.comment}` : "graded by a teaching assistant" } : q;
  });
  const raw = round(questions.reduce((s, q) => s + q.score, 0));
  return { ...result, questions, score: round(raw * (1 - (result.late?.penalty ?? 0))) };
}
