/**
 * The only door from a GradeResult to anything a student reads. A hidden (or after_due_date /
 * after_published) test's checks hold the hidden inputs and the reference's answers; the renderers never
 * see them because this builds each view field by field from an allow-list instead of copying the test and
 * deleting what is secret (a field added to TestResult later stays out until it is listed here).
 */
import type { Check, GradeResult, Outcome, QuestionResult, TestResult, Visibility } from "./result";

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

/** A manual (written) question no TA has scored yet (a TA's merge marks it graded, a 0 included). */
export function isPendingManual(q: QuestionResult): boolean {
  return q.manual && !q.graded;
}

/** Points still waiting for a TA (0 when nothing is pending). */
export function pendingPoints(result: GradeResult): number {
  return result.questions.filter(isPendingManual).reduce((s, q) => s + q.maxScore, 0);
}

/** "90 / 90 autograded, 10 points pending a TA", or "87 / 100" once nothing is pending. */
export function headline(result: GradeResult): string {
  const pending = pendingPoints(result);
  if (pending <= 0) return `${points(result.score)} / ${points(result.maxScore)}`;
  const allManualPending = result.questions.filter((q) => q.manual).every(isPendingManual);
  return `${points(result.score)} / ${points(result.maxScore - pending)} ${allManualPending ? "autograded" : "so far"}, ${points(pending)} points pending a TA`;
}

/** The denominator of the score bar: what can be scored now. */
export function scoredMax(result: GradeResult): number {
  return result.maxScore - pendingPoints(result);
}

/** A failed test's message when it is all the test says: one failed check with nothing but a message. */
function soleMessage(t: StudentTestView): string | undefined {
  if (t.outcome === "passed" || t.checks.length !== 1) return undefined;
  const c = t.checks[0];
  return !c.ok && c.input === undefined && c.expected === undefined && c.got === undefined && c.hint === undefined ? c.message : undefined;
}

export interface SharedFailure {
  /** The message all the covered tests share, said once at the question. */
  message: string;
  /** The tests it covers: shown as one-liners without the message. */
  covered: Set<StudentTestView>;
}

/** Outcomes a hidden test may be grouped under a visible test's message by: the test could not run at all. */
const BLOCKED_OUTCOMES = new Set<Outcome>(["compile-error", "forbidden", "timeout", "crash", "limit", "error", "malformed", "not-implemented"]);

/**
 * When tests of a question fail with the same message (a compile error, a forbidden name, a failure while
 * loading, "not run" after timeouts), each such message once for the question and the tests it covers.
 * A hidden test is covered when it could not run (BLOCKED_OUTCOMES) and has the outcome and one-line
 * summary of a message's visible tests (its checks are never looked at). A message covering fewer than
 * two tests is no group; the question's note (the engine's reason it blocked the question) comes first.
 */
export function sharedFailures(q: QuestionResult | undefined, tests: StudentTestView[]): SharedFailure[] {
  const byMessage = new Map<string, StudentTestView[]>();
  for (const t of tests) {
    const m = soleMessage(t);
    if (m !== undefined) byMessage.set(m, [...(byMessage.get(m) ?? []), t]);
  }
  const order = [...byMessage.keys()].sort((a, b) => {
    const note = (m: string) => (q && !q.manual && q.note === m ? 1 : 0);
    return note(b) - note(a) || byMessage.get(b)!.length - byMessage.get(a)!.length;
  });
  const taken = new Set<StudentTestView>();
  const groups: SharedFailure[] = [];
  for (const message of order) {
    const covered = new Set(byMessage.get(message)!);
    const kinds = new Set([...covered].map((t) => `${t.outcome}\n${t.summary}`));
    for (const t of tests) {
      if (t.visibility !== "visible" && !taken.has(t) && BLOCKED_OUTCOMES.has(t.outcome) && t.score === 0 && kinds.has(`${t.outcome}\n${t.summary}`)) covered.add(t);
    }
    if (covered.size < 2) continue;
    for (const t of covered) taken.add(t);
    groups.push({ message, covered });
  }
  // Shown in the order of their first tests.
  const first = (g: SharedFailure) => tests.findIndex((t) => g.covered.has(t));
  return groups.sort((a, b) => first(a) - first(b));
}

/** The tests any shared message covers. */
export function coveredTests(groups: SharedFailure[]): Set<StudentTestView> {
  return new Set(groups.flatMap((g) => [...g.covered]));
}

/** A message's first line, and the rest (stack lines, "at cell 5, line 3") to be shown on their own lines. */
export function splitMessage(message: string): { first: string; rest: string[] } {
  const lines = String(message).split(/\r?\n/);
  return { first: lines[0], rest: lines.slice(1).map((l) => l.trim()).filter((l) => l !== "") };
}

export interface FixItem {
  question: QuestionResult | undefined;
  title: string;
  /** Messages shared by several failing tests of the question, with how many tests and points each covers. */
  shared: Array<{ message: string; count: number; points: number }>;
  /** Failing tests no shared message covers. */
  tests: StudentTestView[];
}

/** The failing tests by question, for "what to fix first": empty when every autograded test passed. */
export function fixFirst(result: GradeResult, tests: StudentTestView[] = studentTests(result)): FixItem[] {
  const items: FixItem[] = [];
  const groups: Array<[QuestionResult | undefined, string, StudentTestView[]]> = result.questions.map((q) => [q, q.title, tests.filter((t) => t.question === q.id)]);
  const orphans = tests.filter((t) => !result.questions.some((q) => q.id === t.question));
  if (orphans.length) groups.push([undefined, "Other tests", orphans]);
  for (const [q, title, mine] of groups) {
    const failing = mine.filter((t) => t.outcome !== "passed");
    if (!failing.length) continue;
    const shared = sharedFailures(q, mine);
    const covered = coveredTests(shared);
    items.push({
      question: q, title,
      shared: shared.map((g) => ({ message: g.message, count: g.covered.size, points: [...g.covered].reduce((s, t) => s + (t.maxScore - t.score), 0) })),
      tests: failing.filter((t) => !covered.has(t)),
    });
  }
  return items;
}

/**
 * "What to fix first" as lines of a list, for both renderers: a question failing for one shared reason only
 * is one line, and questions failing for the same reason (one syntax error) are listed under it together.
 */
export type FixLine =
  | { kind: "together"; message: string; count: number; points: number; titles: string[] }
  | { kind: "question"; title: string; shared: FixItem["shared"]; tests: StudentTestView[] };

export function fixLines(items: FixItem[]): FixLine[] {
  const alone = (i: FixItem) => i.shared.length === 1 && i.tests.length === 0;
  const out: FixLine[] = [];
  const done = new Set<string>();
  for (const item of items) {
    if (!alone(item)) {
      out.push({ kind: "question", title: item.title, shared: item.shared, tests: item.tests });
      continue;
    }
    const message = item.shared[0].message;
    if (done.has(message)) continue;
    done.add(message);
    const group = items.filter((i) => alone(i) && i.shared[0].message === message);
    out.push({
      kind: "together", message, titles: group.map((i) => i.title),
      count: group.reduce((s, i) => s + i.shared[0].count, 0), points: group.reduce((s, i) => s + i.shared[0].points, 0),
    });
  }
  return out;
}
