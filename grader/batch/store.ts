/**
 * A class run's folder: one sub-folder per student with the engine's reports and grade.json (the whole
 * GradeResult with what the class reports need), and the class files at the top. Every file is written
 * atomically (a temporary file, then rename), grade.json last: a student folder with a grade.json is
 * complete, so a killed run, a crashed worker or a merge never sees half a student.
 */
import { createHash } from "crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "fs";
import { join } from "path";
import { gradescopeResults } from "../report/gradescope";
import { feedbackHtml } from "../report/html";
import { feedbackMarkdown } from "../report/markdown";
import { unreadableHtml, unreadableMarkdown, unreadableResults } from "../report/unreadable";
import type { GradeResult } from "../report/result";
import type { AssignmentConfig } from "../config/assignment";

export const GRADE_FILE = "grade.json";
/** Top-level names a student folder may not take. */
export const RESERVED = new Set(["written", "summary.html", "summary.json", "gradebook.csv", "assignment.json"]);

export interface StoredGrade {
  /** What decides whether --resume may keep this grade: the submission's bytes, its id and time, the assignment's version. */
  key: string;
  /** The engine's result, before manual points (absent when the submission could not be read). */
  result?: GradeResult;
  /** The student's id (also in result.submission.id). */
  id: string;
  /** Why the submission could not be graded (unreadable: not a notebook, a broken zip, ...). */
  error?: string;
  /** A teaching assistant's points for the manual questions, as merged into the reports. */
  manual?: Record<string, { points: number; comment?: string }>;
  /** Written answers (manual questions) by question id. */
  written: Record<string, string>;
  /** From Gradescope's metadata. */
  name?: string;
  email?: string;
}

let tmpCounter = 0;

export function writeAtomic(file: string, content: string): void {
  const tmp = `${file}.tmp-${process.pid}-${tmpCounter++}`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

export function resumeKey(parts: { bytes: string; id: string; submittedAt?: string; version: string }): string {
  return createHash("sha256").update(`${parts.bytes}\0${parts.id}\0${parts.submittedAt ?? ""}\0${parts.version}`).digest("hex");
}

export function studentDir(out: string, id: string): string {
  return join(out, RESERVED.has(id) ? `student-${id}` : id);
}

/** The three reports of the engine (from the result with manual points merged; for an unreadable
 *  submission, the reason), then grade.json. */
export function writeStudent(out: string, stored: StoredGrade, shown: GradeResult | undefined, assignment: AssignmentConfig): string {
  const dir = studentDir(out, stored.id);
  mkdirSync(dir, { recursive: true });
  if (shown) {
    writeAtomic(join(dir, "results.json"), JSON.stringify(gradescopeResults(shown), null, 2) + "\n");
    writeAtomic(join(dir, "feedback.md"), feedbackMarkdown(shown));
    writeAtomic(join(dir, "feedback.html"), feedbackHtml(shown));
  } else if (stored.error !== undefined) {
    writeAtomic(join(dir, "results.json"), JSON.stringify(unreadableResults(stored.error), null, 2) + "\n");
    writeAtomic(join(dir, "feedback.md"), unreadableMarkdown(stored.id, stored.error, assignment));
    writeAtomic(join(dir, "feedback.html"), unreadableHtml(stored.id, stored.error, assignment));
  }
  writeAtomic(join(dir, GRADE_FILE), JSON.stringify(stored, null, 1) + "\n");
  return dir;
}

export function readStored(dir: string): StoredGrade | null {
  const file = join(dir, GRADE_FILE);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, "utf8")) as StoredGrade;
  } catch {
    return null;
  }
}

/** Every complete student folder under `out`. */
export function readAllStored(out: string): StoredGrade[] {
  if (!existsSync(out)) return [];
  const found: StoredGrade[] = [];
  for (const name of readdirSync(out).sort()) {
    const s = readStored(join(out, name));
    if (s) found.push(s);
  }
  return found;
}
