/**
 * What grading one submission produced: the engine (grader/engine) writes it, the reports in this folder
 * read it. It holds everything, hidden tests' checks included; what a student may see of it is decided by
 * student-view.ts, never by the renderers.
 */
export type TestStatus = "passed" | "failed";
export type Outcome = "passed" | "wrong" | "error" | "timeout" | "limit" | "malformed" | "crash" | "grader-fault" | "forbidden" | "not-implemented" | "compile-error" | "partial";
export type Visibility = "visible" | "hidden" | "after_due_date" | "after_published";
export interface TestResult { question: string; name: string; score: number; maxScore: number; visibility: Visibility;
  outcome: Outcome; seed: number; durationMs: number;
  /** Visible tests only: what was checked, for the student. Each check: { ok, message, input?: string, expected?: string, got?: string, hint?: string } */
  checks: Array<{ ok: boolean; message: string; input?: string; expected?: string; got?: string; hint?: string }>;
  /** Allowed for every test: one short line ("wrong answer", "used 0.5 s of CPU time without finishing (an endless loop?)"). */
  summary: string; }
export interface QuestionResult { id: string; title: string; score: number; maxScore: number; manual: boolean; note?: string /* e.g. forbidden name, compile error */;
  /** A manual question a teaching assistant has scored (a 0 included); absent or false: pending. */
  graded?: boolean }
export interface GradeResult { assignment: { id: string; title: string; version: string }; submission: { id: string; sha256: string; file: string; submittedAt?: string };
  score: number; maxScore: number; late?: { days: number; penalty: number }; questions: QuestionResult[]; tests: TestResult[];
  compile: { ok: boolean; diagnostics: Array<{ cell?: number; gradeId?: string; line: number; column: number; message: string }> };
  sandbox: string; /* describeSandbox() */ unsandboxed: boolean; studentOutput: string /* capped */; versions: { gradlab: string; node: string; assignment: string };
  startedAt: string; executionMs: number; }

export type Check = TestResult["checks"][number];
