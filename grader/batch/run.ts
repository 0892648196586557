/**
 * Grading a class: N gradings at once, each the engine's gradeSubmission with its own sandboxed child
 * (one child per submission, as for one submission: nothing of one student's run reaches another's).
 * Each finished student's reports are written the moment they are done (atomically, see store.ts), so a
 * stop (Ctrl-C, a kill, a crash) loses only what was still running. --resume keeps a student whose
 * submission, id, time and assignment version are unchanged.
 */
import { cpus } from "os";
import { gradeSubmission, submissionInput, SubmissionInput, type ProgramFactory } from "../engine/grade";
import type { LoadedAssignment } from "../engine/assignment";
import { CompileThread } from "../program/compile-thread";
import { cellRoles } from "../notebook/cells";
import type { GradeResult } from "../report/result";
import { readSubmission } from "../submission/intake";
import type { BatchItem } from "./collect";
import { withManual, type ManualScore, type ManualScores } from "./manual";
import { readStored, resumeKey, studentDir, writeStudent, type StoredGrade } from "./store";

export interface ClassRunOptions {
  out: string;
  jobs?: number;
  resume?: boolean;
  manual?: ManualScores;
  /** Called when a student's grading starts (not for kept or unreadable ones). */
  onStart?(item: BatchItem): void;
  /** Called when a student is done (graded, kept from the last run, or unreadable). */
  onDone?(event: DoneEvent): void;
  /** Set to stop starting new gradings (Ctrl-C); running ones finish and are kept. */
  signal?: { stopped: boolean };
}

export interface DoneEvent {
  item: BatchItem;
  status: "graded" | "kept" | "unreadable";
  result?: GradeResult;
  error?: string;
  ms: number;
}

export interface ClassRunResult {
  graded: number;
  kept: number;
  unreadable: Array<{ id: string; path: string; error: string }>;
  /** Not started because the run was stopped. */
  skipped: number;
}

function manualRecord(mine: Map<string, ManualScore> | undefined): StoredGrade["manual"] {
  return mine && mine.size ? Object.fromEntries([...mine].sort(([a], [b]) => a.localeCompare(b))) : undefined;
}

/**
 * One grading more than there are cores. Each child waits for the grader's answer to every request it
 * makes (~230 a submission), and with one grading per core those waits left the cores idle ~18–21
 * core-seconds of a class of 300; a third grading on two cores fills some of them (14.5–15.8), three
 * interleaved pairs of runs (docs/grader.md, "How fast").
 */
export function defaultJobs(): number {
  return Math.max(1, cpus().length) + 1;
}

/** The written answers of a notebook's manual questions (cells with those grade_ids). */
function writtenAnswers(input: SubmissionInput, assignment: LoadedAssignment): Record<string, string> {
  const out: Record<string, string> = {};
  if (!input.notebook) return out;
  const byId = new Map<string, string>();
  for (const c of cellRoles(input.notebook, { strict: false })) if (c.gradeId) byId.set(c.gradeId, c.source);
  for (const q of assignment.config.questions) {
    if (!q.manual) continue;
    const parts = q.cells.map((id) => byId.get(id)).filter((s): s is string => s !== undefined);
    if (parts.length) out[q.id] = parts.join("\n\n");
  }
  return out;
}

export async function gradeClass(
  assignment: LoadedAssignment, items: BatchItem[], factory: ProgramFactory, opts: ClassRunOptions,
): Promise<ClassRunResult> {
  const jobs = Math.max(1, opts.jobs ?? defaultJobs());
  const summary: ClassRunResult = { graded: 0, kept: 0, unreadable: [], skipped: 0 };
  let next = 0;
  // Several gradings at once share this thread for their children's round trips: compiles go to a
  // thread of their own (grader/program/compile-thread.ts).
  const compiler = jobs > 1 && items.length > jobs ? new CompileThread() : undefined;
  const compile = compiler && compiler.compile.bind(compiler);
  const worker = async () => {
    while (next < items.length) {
      if (opts.signal?.stopped) { summary.skipped = items.length - next; return; }
      const item = items[next++];
      const started = Date.now();
      let sub;
      try {
        sub = readSubmission(item.path);
      } catch (err) {
        const error = (err as Error).message;
        summary.unreadable.push({ id: item.id, path: item.path, error });
        writeStudent(opts.out, { key: "", id: item.id, error, written: {}, name: item.name, email: item.email }, undefined, assignment.config);
        opts.onDone?.({ item, status: "unreadable", error, ms: Date.now() - started });
        continue;
      }
      const key = resumeKey({ bytes: sub.sha256, id: item.id, submittedAt: item.submittedAt, version: assignment.version });
      const old = readStored(studentDir(opts.out, item.id));
      // --manual is the whole truth about manual points; without it, a student keeps the points they had.
      const mine = opts.manual ? opts.manual.get(item.id) : old?.manual ? new Map(Object.entries(old.manual)) : undefined;
      if (opts.resume) {
        if (old && old.key === key) {
          // Kept: only the reports are rewritten (manual points may have changed), from the stored result.
          writeStudent(opts.out, { ...old, manual: manualRecord(mine), name: item.name ?? old.name, email: item.email ?? old.email }, old.result && withManual(old.result, mine), assignment.config);
          summary.kept++;
          opts.onDone?.({ item, status: "kept", result: old.result && withManual(old.result, mine), ms: Date.now() - started });
          continue;
        }
      }
      const input = submissionInput(sub, { id: item.id, file: item.label ?? item.path, submittedAt: item.submittedAt });
      opts.onStart?.(item);
      let result;
      try {
        result = await gradeSubmission(assignment, input, factory, { compile });
      } catch (err) {
        // The engine itself failed on this submission (not a test: those end in an outcome): note it, go on.
        const error = `grading failed: ${(err as Error)?.message ?? err}`;
        summary.unreadable.push({ id: item.id, path: item.path, error });
        writeStudent(opts.out, { key: "", id: item.id, error, written: {}, name: item.name, email: item.email }, undefined, assignment.config);
        opts.onDone?.({ item, status: "unreadable", error, ms: Date.now() - started });
        continue;
      }
      const stored: StoredGrade = { key, id: item.id, result, manual: manualRecord(mine), written: writtenAnswers(input, assignment), name: item.name, email: item.email };
      writeStudent(opts.out, stored, withManual(result, mine), assignment.config);
      summary.graded++;
      opts.onDone?.({ item, status: "graded", result: withManual(result, mine), ms: Date.now() - started });
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(jobs, Math.max(1, items.length)) }, worker));
  } finally {
    await compiler?.close();
  }
  return summary;
}
