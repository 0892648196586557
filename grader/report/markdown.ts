/**
 * feedback.md, also the top-level `output` of Gradescope's results.json (output_format "md"). Built only from
 * student views (student-view.ts); every student-influenced string is escaped (mdText) or fenced (mdBlock).
 */
import { mdBlock, mdText } from "./escape";
import type { GradeResult } from "./result";
import { describeOutcome, diagnosticPlace, points, studentTests, type StudentTestView } from "./student-view";

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

function checkLines(test: StudentTestView): string[] {
  const lines: string[] = [];
  for (const check of test.checks) {
    lines.push(`${check.ok ? "✓" : "✗"} ${mdText(check.message)}`, "");
    for (const [label, value] of [["input", check.input], ["expected", check.expected], ["got", check.got]] as const) {
      if (value !== undefined) lines.push(`${label}:`, "", mdBlock(value), "");
    }
    if (check.hint !== undefined) lines.push(`Hint: ${mdText(check.hint)}`, "");
  }
  return lines;
}

function testLines(test: StudentTestView): string[] {
  const mark = test.outcome === "passed" ? "✅" : test.score > 0 ? "🟨" : "❌";
  const hidden = test.visibility === "visible" ? "" : " (hidden test)";
  const head = `#### ${mark} ${mdText(test.name)}${hidden}: ${points(test.score)} / ${points(test.maxScore)}`;
  const lines = [head, ""];
  if (test.outcome !== "passed") lines.push(mdText(describeOutcome(test)), "");
  return [...lines, ...checkLines(test)];
}

export function feedbackMarkdown(result: GradeResult): string {
  const tests = studentTests(result);
  const out: string[] = [
    `# ${mdText(result.assignment.title)}: ${points(result.score)} / ${points(result.maxScore)}`,
    "",
    `Submission ${mdText(result.submission.file)} (sha256 ${result.submission.sha256.slice(0, 12)}), graded ${mdText(result.startedAt)} with gradlab ${mdText(result.versions.gradlab)}.`,
    "",
    result.unsandboxed ? `> **${mdText(sandboxLine(result))}**` : mdText(sandboxLine(result)),
    "",
  ];
  const late = lateLine(result);
  if (late) out.push(mdText(late), "");
  if (!result.compile.ok || result.compile.diagnostics.length) {
    out.push("## Compile errors", "");
    for (const d of result.compile.diagnostics) out.push(`- ${mdText(diagnosticPlace(d))}: ${mdText(d.message)}`);
    out.push("");
  }
  out.push("## Questions", "", "| question | points |", "| --- | ---: |");
  for (const q of result.questions) {
    const comment = q.manual && q.note?.startsWith(TA_COMMENT) ? `: ${mdText(q.note.slice(TA_COMMENT.length))}` : "";
    const note = q.manual ? ` (graded by a TA)${comment}` : q.note ? `: ${mdText(q.note)}` : "";
    out.push(`| ${mdText(q.title)}${note} | ${points(q.score)} / ${points(q.maxScore)} |`);
  }
  out.push("");
  for (const q of result.questions) {
    const mine = tests.filter((t) => t.question === q.id);
    if (mine.length === 0) continue;
    out.push(`### ${mdText(q.title)}`, "");
    for (const t of mine) out.push(...testLines(t));
  }
  const orphans = tests.filter((t) => !result.questions.some((q) => q.id === t.question));
  if (orphans.length) out.push("### Other tests", "", ...orphans.flatMap(testLines));
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
