/**
 * feedback.md, also the top-level `output` of Gradescope's results.json (output_format "md"). Built only from
 * student views (student-view.ts); every student-influenced string is escaped (mdText) or fenced (mdBlock).
 */
import { mdBlock, mdText } from "./escape";
import type { Check, GradeResult, QuestionResult } from "./result";
import {
  coveredTests, describeOutcome, diagnosticPlace, fixFirst, fixLines, headline, isPendingManual, points, sharedFailures, splitMessage,
  studentTests, type SharedFailure, type StudentTestView,
} from "./student-view";

/** How a teaching assistant's comment on a manual question starts its note (grader/batch/manual.ts). */
export const TA_COMMENT = "graded by a teaching assistant: ";

/** Student output beyond this many characters is cut in the reports (the engine caps it too). */
export const OUTPUT_MAX = 64 * 1024;

export function capOutput(text: string): string {
  return text.length > OUTPUT_MAX ? `${text.slice(0, OUTPUT_MAX)}\n… (${text.length - OUTPUT_MAX} more characters not shown)` : text;
}

export function sandboxLine(result: GradeResult): string {
  return result.unsandboxed
    ? `WARNING: this submission ran UNSANDBOXED (${result.sandbox}). Its code had the grader's access to this machine; do not trust this result for credit.`
    : `Sandbox: ${result.sandbox}`;
}

export function lateLine(result: GradeResult): string | null {
  if (!result.late || result.late.days <= 0) return null;
  return `Late by ${result.late.days} day${result.late.days === 1 ? "" : "s"}: ${points(result.late.penalty * 100)}% penalty (included in the total).`;
}

function messageLines(message: string, mark = ""): string[] {
  const { first, rest } = splitMessage(message);
  const lines = [`${mark}${mdText(first)}`, ""];
  if (rest.length) lines.push(mdBlock(rest.map((l) => `  ${l}`).join("\n")), "");
  return lines;
}

function checkDetail(check: Check): string[] {
  const lines = messageLines(check.message, check.ok ? "✓ " : "✗ ");
  for (const [label, value] of [["input", check.input], ["expected", check.expected], ["got", check.got]] as const) {
    if (value !== undefined) lines.push(`${label}:`, "", mdBlock(value), "");
  }
  if (check.hint !== undefined) lines.push(`Hint: ${mdText(check.hint)}`, "");
  return lines;
}

/** A failed test's checks: the failed ones in full, the passed ones one line each. A passed test's: one line each. */
function checkLines(test: StudentTestView): string[] {
  const lines: string[] = [];
  for (const check of test.checks.filter((c) => !c.ok)) lines.push(...checkDetail(check));
  const passed = test.checks.filter((c) => c.ok);
  if (passed.length) {
    if (test.outcome !== "passed") lines.push(`Passed checks:`, "");
    for (const c of passed) lines.push(`- ✓ ${mdText(splitMessage(c.message).first)}`);
    lines.push("");
  }
  return lines;
}

function mark(test: StudentTestView): string {
  return test.outcome === "passed" ? "✅" : test.score > 0 ? "🟨" : "❌";
}

function testName(test: StudentTestView): string {
  return `${mdText(test.name)}${test.visibility === "visible" ? "" : " (hidden test)"}`;
}

/** One line: a passed test, a test the question's shared message covers, or a test with nothing more to show. */
function testOneLine(test: StudentTestView, withSummary: boolean): string {
  const why = withSummary && test.outcome !== "passed" ? `, ${mdText(describeOutcome(test))}` : "";
  return `- ${mark(test)} ${testName(test)}: ${points(test.score)} / ${points(test.maxScore)}${why}`;
}

function testLines(test: StudentTestView, covered: boolean): string[] {
  if (test.outcome === "passed" || covered) return [testOneLine(test, false)];
  const failedChecks = test.checks.filter((c) => !c.ok);
  if (!failedChecks.length) return [testOneLine(test, true)];
  return ["", `#### ${mark(test)} ${testName(test)}: ${points(test.score)} / ${points(test.maxScore)}`, "", mdText(describeOutcome(test)), "", ...checkLines(test)];
}

/** "1 test" / "3 tests". */
export function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Text safe to show as is in Markdown (a version number): no escaping needed, so none added. */
function plain(text: string): string {
  return /^[A-Za-z0-9.+:-]*$/.test(text) ? text : mdText(text);
}

function fixFirstLines(result: GradeResult, tests: StudentTestView[]): string[] {
  const lines = fixLines(fixFirst(result, tests));
  if (!lines.length) return [];
  const out = ["## What to fix first", ""];
  for (const line of lines) {
    if (line.kind === "together") {
      const what = `${count(line.count, "test")} (${points(line.points)} points)`;
      if (line.titles.length === 1) out.push(`- **${mdText(line.titles[0])}**: ${what}: ${mdText(splitMessage(line.message).first)}`);
      else out.push(`- ${mdText(splitMessage(line.message).first)}: ${what} of`, ...line.titles.map((t) => `  - **${mdText(t)}**`));
      continue;
    }
    out.push(`- **${mdText(line.title)}**`);
    for (const g of line.shared) out.push(`  - ${count(g.count, "test")} (${points(g.points)} points): ${mdText(splitMessage(g.message).first)}`);
    for (const t of line.tests) out.push(`  ${testOneLine(t, true)}`);
  }
  return [...out, ""];
}

function questionRow(q: QuestionResult, shared: SharedFailure[]): string {
  if (isPendingManual(q)) return `| ${mdText(q.title)} | pending: graded by a teaching assistant (${points(q.maxScore)} points) |`;
  let note = "";
  const blocked = shared.find((g) => g.message === q.note);
  if (q.manual) {
    const comment = q.note?.startsWith(TA_COMMENT) ? `: ${mdText(q.note.slice(TA_COMMENT.length))}` : "";
    note = ` (graded by a TA)${comment}`;
  } else if (q.note && blocked) {
    note = `: ${mdText(describeOutcome([...blocked.covered][0]))} (below)`;
  } else if (q.note) note = `: ${mdText(q.note)}`;
  return `| ${mdText(q.title)}${note} | ${points(q.score)} / ${points(q.maxScore)} |`;
}

function sectionLines(title: string, q: QuestionResult | undefined, mine: StudentTestView[]): string[] {
  const shared = sharedFailures(q, mine);
  const covered = coveredTests(shared);
  const out = [`### ${mdText(title)}`, ""];
  // Each shared message once, with the tests it covers under it; then the other tests.
  for (const g of shared) {
    const n = g.covered.size;
    out.push(...messageLines(g.message, `❌ ${n === mine.length ? `All ${n} tests` : count(n, "test")} of this question: `));
    out.push(...mine.filter((t) => g.covered.has(t)).map((t) => testOneLine(t, false)), "");
  }
  for (const t of mine) if (!covered.has(t)) out.push(...testLines(t, false));
  return [...out, ""];
}

export function feedbackMarkdown(result: GradeResult): string {
  const tests = studentTests(result);
  const out: string[] = [
    `# ${mdText(result.assignment.title)}: ${headline(result)}`,
    "",
    `Submission ${mdText(result.submission.file)} (sha256 ${result.submission.sha256.slice(0, 12)}), graded ${mdText(result.startedAt)} with gradlab ${plain(result.versions.gradlab)}.`,
    "",
    result.unsandboxed ? `> **${mdText(sandboxLine(result))}**` : mdText(sandboxLine(result)),
    "",
  ];
  const late = lateLine(result);
  if (late) out.push(mdText(late), "");
  out.push(...fixFirstLines(result, tests));
  if (!result.compile.ok || result.compile.diagnostics.length) {
    out.push("## Compile errors", "");
    for (const d of result.compile.diagnostics) out.push(`- ${mdText(diagnosticPlace(d))}: ${mdText(d.message)}`);
    out.push("");
  }
  out.push("## Questions", "", "| question | points |", "| --- | ---: |");
  for (const q of result.questions) out.push(questionRow(q, sharedFailures(q, tests.filter((t) => t.question === q.id))));
  out.push("");
  for (const q of result.questions) {
    const mine = tests.filter((t) => t.question === q.id);
    if (mine.length) out.push(...sectionLines(q.title, q, mine));
  }
  const orphans = tests.filter((t) => !result.questions.some((q) => q.id === t.question));
  if (orphans.length) out.push(...sectionLines("Other tests", undefined, orphans));
  if (result.studentOutput) {
    out.push("## Your program's output", "", "<details><summary>show</summary>", "", mdBlock(capOutput(result.studentOutput)), "", "</details>", "");
  }
  return out.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}

/** The Markdown for one test in Gradescope's per-test `output`. */
export function testMarkdown(test: StudentTestView): string {
  const lines = test.outcome === "passed" ? [] : [mdText(describeOutcome(test)), ""];
  return [...lines, ...checkLines(test)].join("\n").trim();
}
