/**
 * The only door from a GradeResult to anything a student reads. A hidden (or after_due_date /
 * after_published) test's checks hold the hidden inputs and the reference's answers; the renderers never
 * see them because this builds each view field by field from an allow-list instead of copying the test and
 * deleting what is secret (a field added to TestResult later stays out until it is listed here).
 */
import type { Check, GradeResult, Outcome, TestResult, Visibility } from "./result";

export interface StudentTestView {
  question: string;
  name: string;
  score: number;
  maxScore: number;
  visibility: Visibility;
  outcome: Outcome;
  /** One line, at most SUMMARY_MAX characters. */
  summary: string;
  /** Visible tests only; empty for the others. */
  checks: Check[];
}

export const SUMMARY_MAX = 200;

/** The first line of `text`, cut to `max` characters: a "short line" stays short whatever the engine sent. */
export function oneLine(text: string, max = SUMMARY_MAX): string {
  const line = String(text ?? "").split(/\r?\n/)[0].trim();
  return line.length > max ? line.slice(0, max - 1) + "…" : line;
}

function copyCheck(c: Check): Check {
  const out: Check = { ok: c.ok === true, message: String(c.message ?? "") };
  if (c.input !== undefined) out.input = String(c.input);
  if (c.expected !== undefined) out.expected = String(c.expected);
  if (c.got !== undefined) out.got = String(c.got);
  if (c.hint !== undefined) out.hint = String(c.hint);
  return out;
}

export function studentTestView(test: TestResult): StudentTestView {
  return {
    question: String(test.question),
    name: oneLine(test.name, 300),
    score: test.score,
    maxScore: test.maxScore,
    visibility: test.visibility,
    outcome: test.outcome,
    summary: oneLine(test.summary),
    checks: test.visibility === "visible" ? test.checks.map(copyCheck) : [],
  };
}

export function isVisible(test: TestResult | StudentTestView): boolean {
  return test.visibility === "visible";
}

/** Every test as a student may see it, in the engine's order. */
export function studentTests(result: GradeResult): StudentTestView[] {
  return result.tests.map(studentTestView);
}

/** "2", "1.5", "0.33": points without float noise. */
export function points(n: number): string {
  if (!Number.isFinite(n)) return "?";
  return Number.isInteger(n) ? String(n) : n.toFixed(2).replace(/\.?0+$/, "");
}

/** A score as a fraction 0..1 for bars (0 when there is nothing to score). */
export function fraction(score: number, max: number): number {
  if (!Number.isFinite(score) || !Number.isFinite(max) || max <= 0) return 0;
  return Math.min(1, Math.max(0, score / max));
}

const OUTCOME_WORDS: Record<Outcome, string> = {
  passed: "passed",
  wrong: "wrong answer",
  error: "your code threw an error",
  timeout: "timed out",
  limit: "hit a resource limit",
  malformed: "returned something the grader could not read",
  crash: "the grading process crashed",
  "grader-fault": "grader problem (not your fault; tell the course staff)",
  forbidden: "uses a forbidden name",
  "not-implemented": "not implemented yet",
  "compile-error": "does not compile",
  partial: "partly correct",
};

/** The summary, or a wording of the outcome when the engine gave none. */
export function describeOutcome(test: StudentTestView): string {
  return test.summary || OUTCOME_WORDS[test.outcome] || test.outcome;
}

/** "cell 5 (gates-multiply), line 3, column 7" for a compile diagnostic. */
export function diagnosticPlace(d: GradeResult["compile"]["diagnostics"][number]): string {
  const cell = d.cell !== undefined ? `cell ${d.cell}${d.gradeId ? ` (${d.gradeId})` : ""}, ` : d.gradeId ? `${d.gradeId}, ` : "";
  return `${cell}line ${d.line}, column ${d.column}`;
}
