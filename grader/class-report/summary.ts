/**
 * The class's numbers, from the stored grades: gradebook rows, score statistics and histogram, pass rate
 * per test, the hints that fired most (the most common mistakes), the failed and the slowest submissions.
 * Everything but `timing` is a function of the submissions and the assignment only, so a sharded run merged
 * gives the same summary.json as one run (timing aside).
 */
import type { AssignmentConfig } from "../config/assignment";
import { totalPoints } from "../config/assignment";
import type { GradeResult } from "../report/result";
import { withManual } from "../batch/manual";
import type { StoredGrade } from "../batch/store";

export interface GradebookRow {
  id: string;
  name?: string;
  email?: string;
  submittedAt?: string;
  lateDays: number;
  latePenalty: number;
  questions: Record<string, number>;
  /** Manual questions no teaching assistant has scored yet. */
  pending: string[];
  total: number;
  maxScore: number;
  /** "graded", "unreadable", "does not compile", "crashed", "grader fault" */
  status: string;
  sha256?: string;
  executionMs?: number;
}

export interface ClassSummary {
  assignment: { id: string; title: string; version?: string };
  maxScore: number;
  students: number;
  graded: number;
  late: number;
  scores: { mean: number; median: number; min: number; max: number; stdev: number; passed: number; passMark: number };
  histogram: Array<{ from: number; to: number; count: number }>;
  /** `scored`: the students with points for it (a written question: the answers a TA has scored);
   *  mean and full marks are over those. */
  questions: Array<{ id: string; title: string; maxScore: number; mean: number; full: number; manual: boolean; scored: number }>;
  tests: Array<{ question: string; name: string; visibility: string; maxScore: number; passed: number; count: number; passRate: number; outcomes: Record<string, number> }>;
  /** Hints that fired, most students first: each student counts once per hint, whichever tests gave it. */
  mistakes: Array<{ hint: string; count: number; tests: string[] }>;
  failed: Array<{ id: string; status: string; reason: string }>;
  /** Differs between runs (the machine, the load): left out when comparing runs. */
  timing: { slowest: Array<{ id: string; ms: number }>; medianMs: number; totalMs: number };
}

const round = (x: number, d = 4) => Math.round(x * 10 ** d) / 10 ** d;

export function shownResult(s: StoredGrade): GradeResult | undefined {
  return s.result && withManual(s.result, new Map(Object.entries(s.manual ?? {})));
}

function statusOf(s: StoredGrade, r: GradeResult | undefined): { status: string; reason: string } {
  if (!r) return { status: "unreadable", reason: s.error ?? "could not be read" };
  const out = new Set(r.tests.map((t) => t.outcome));
  if (out.has("grader-fault")) return { status: "grader fault", reason: r.tests.find((t) => t.outcome === "grader-fault")!.summary };
  if (out.has("crash")) return { status: "crashed", reason: r.tests.find((t) => t.outcome === "crash")!.summary };
  if (r.tests.length && r.tests.every((t) => t.outcome === "compile-error")) return { status: "does not compile", reason: r.questions.find((q) => q.note)?.note ?? "does not compile" };
  if (out.has("timeout")) return { status: "timed out", reason: `${r.tests.filter((t) => t.outcome === "timeout").length} tests timed out` };
  return { status: "graded", reason: "" };
}

export function gradebookRows(stored: StoredGrade[], config: AssignmentConfig): GradebookRow[] {
  return [...stored].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((s) => {
    const r = shownResult(s);
    const questions: Record<string, number> = {};
    for (const q of config.questions) questions[q.id] = r?.questions.find((x) => x.id === q.id)?.score ?? 0;
    return {
      id: s.id, name: s.name, email: s.email, submittedAt: r?.submission.submittedAt,
      lateDays: r?.late?.days ?? 0, latePenalty: r?.late?.penalty ?? 0, questions,
      pending: (r?.questions ?? []).filter((q) => q.manual && !q.graded).map((q) => q.id),
      total: r?.score ?? 0, maxScore: totalPoints(config), status: statusOf(s, r).status,
      sha256: r?.submission.sha256, executionMs: r?.executionMs,
    };
  });
}

function median(xs: number[]): number {
  if (xs.length === 0) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

export function classSummary(stored: StoredGrade[], config: AssignmentConfig, opts: { passMark?: number; bins?: number } = {}): ClassSummary {
  const rows = gradebookRows(stored, config);
  const max = totalPoints(config);
  const results = stored.map((s) => ({ s, r: shownResult(s) })).sort((a, b) => (a.s.id < b.s.id ? -1 : 1));
  const totals = rows.map((r) => r.total);
  const mean = totals.length ? totals.reduce((a, b) => a + b, 0) / totals.length : 0;
  const stdev = totals.length ? Math.sqrt(totals.reduce((a, b) => a + (b - mean) ** 2, 0) / totals.length) : 0;
  const passMark = opts.passMark ?? 0.5 * max;
  const bins = opts.bins ?? 10;
  const width = max / bins;
  const histogram = Array.from({ length: bins }, (_, i) => ({ from: round(i * width), to: round((i + 1) * width), count: 0 }));
  for (const t of totals) histogram[Math.min(bins - 1, Math.max(0, Math.floor(t / width)))].count++;

  const testStats = new Map<string, ClassSummary["tests"][number]>();
  const hints = new Map<string, { hint: string; students: Set<string>; tests: Set<string> }>();
  for (const { s, r } of results) {
    if (!r) continue;
    for (const t of r.tests) {
      const key = `${t.question}\0${t.name}`;
      const st = testStats.get(key) ?? { question: t.question, name: t.name, visibility: t.visibility, maxScore: t.maxScore, passed: 0, count: 0, passRate: 0, outcomes: {} };
      st.count++;
      if (t.outcome === "passed") st.passed++;
      st.outcomes[t.outcome] = (st.outcomes[t.outcome] ?? 0) + 1;
      testStats.set(key, st);
      for (const c of t.checks) {
        if (c.ok || !c.hint) continue;
        const h = hints.get(c.hint) ?? { hint: c.hint, students: new Set<string>(), tests: new Set<string>() };
        h.students.add(s.id);
        h.tests.add(`${t.question}: ${t.name}`);
        hints.set(c.hint, h);
      }
    }
  }
  const questionOrder = new Map(config.questions.map((q, i) => [q.id, i]));
  const tests = [...testStats.values()].map((t) => ({ ...t, passRate: round(t.count ? t.passed / t.count : 0), outcomes: Object.fromEntries(Object.entries(t.outcomes).sort()) }));
  // Engine order: by question, then as the tests ran (first appearance).
  const firstSeen = [...testStats.keys()];
  tests.sort((a, b) => (questionOrder.get(a.question) ?? 99) - (questionOrder.get(b.question) ?? 99) || firstSeen.indexOf(`${a.question}\0${a.name}`) - firstSeen.indexOf(`${b.question}\0${b.name}`));
  const mistakes = [...hints.values()].map((h) => ({ hint: h.hint, count: h.students.size, tests: [...h.tests].sort() }))
    .sort((a, b) => b.count - a.count || (a.hint < b.hint ? -1 : a.hint > b.hint ? 1 : 0));
  const failed = results.map(({ s, r }) => ({ id: s.id, ...statusOf(s, r) })).filter((f) => f.status !== "graded");
  const times = results.filter(({ r }) => r).map(({ s, r }) => ({ id: s.id, ms: r!.executionMs }));
  return {
    assignment: { id: config.id, title: config.title, version: results.find(({ r }) => r)?.r?.assignment.version },
    maxScore: max,
    students: rows.length,
    graded: results.filter(({ r }) => r).length,
    late: rows.filter((r) => r.lateDays > 0).length,
    scores: {
      mean: round(mean), median: round(median(totals)), min: totals.length ? Math.min(...totals) : 0, max: totals.length ? Math.max(...totals) : 0,
      stdev: round(stdev), passed: totals.filter((t) => t >= passMark).length, passMark,
    },
    histogram,
    questions: config.questions.map((q) => {
      // A written question counts the answers a TA has scored (an unreadable submission has none to score).
      const scores = rows.filter((r) => !r.pending.includes(q.id) && !(q.manual && r.status === "unreadable")).map((r) => r.questions[q.id]);
      return {
        id: q.id, title: q.title, maxScore: q.points, manual: q.manual, scored: scores.length,
        mean: round(scores.length ? scores.reduce((a, b) => a + b, 0) / scores.length : 0), full: scores.filter((x) => x >= q.points).length,
      };
    }),
    tests,
    mistakes,
    failed,
    timing: {
      slowest: [...times].sort((a, b) => b.ms - a.ms || a.id.localeCompare(b.id)).slice(0, 10),
      medianMs: median(times.map((t) => t.ms)),
      totalMs: times.reduce((a, t) => a + t.ms, 0),
    },
  };
}
