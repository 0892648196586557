/**
 * feedback.html: one self-contained page (inline CSS, no scripts, nothing fetched) a student can open from
 * disk or a course site. A Content-Security-Policy that allows only the inline style is a second wall behind
 * the escaping: markup that slipped through could still not run a script or load anything.
 */
import { html } from "./escape";
import { capOutput, lateLine, sandboxLine, TA_COMMENT } from "./markdown";
import type { GradeResult, QuestionResult } from "./result";
import { describeOutcome, diagnosticPlace, fraction, points, studentTests, type StudentTestView } from "./student-view";

const CSS = `
body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1b1f24; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; } h2 { font-size: 1.2rem; margin-top: 2rem; } h3 { font-size: 1.05rem; }
.total { font-size: 2rem; font-weight: 700; }
.meta, .sandbox { color: #57606a; }
.unsandboxed { border: 3px solid #cf222e; background: #ffebe9; color: #82071e; padding: 1rem; font-size: 1.2rem; font-weight: 700; }
.late { color: #9a6700; }
table { border-collapse: collapse; width: 100%; } td, th { padding: .3rem .5rem; border-bottom: 1px solid #d0d7de; text-align: left; }
td.pts { text-align: right; white-space: nowrap; width: 7rem; }
.bar { background: #eaeef2; height: .6rem; border-radius: .3rem; width: 10rem; overflow: hidden; }
.bar span { display: block; height: 100%; background: #2da44e; }
.test { border: 1px solid #d0d7de; border-radius: .4rem; padding: .5rem .8rem; margin: .6rem 0; }
.test.passed { border-left: .4rem solid #2da44e; } .test.failed { border-left: .4rem solid #cf222e; } .test.partial { border-left: .4rem solid #bf8700; }
.check { margin: .4rem 0 .4rem 1rem; } .ok { color: #1a7f37; } .bad { color: #cf222e; }
pre { background: #f6f8fa; padding: .5rem; overflow-x: auto; white-space: pre-wrap; word-break: break-word; margin: .2rem 0; }
.hint { background: #fff8c5; padding: .3rem .5rem; }
.diag { font-family: ui-monospace, monospace; }
`;

function bar(score: number, max: number): string {
  return `<div class="bar"><span style="width:${(fraction(score, max) * 100).toFixed(1)}%"></span></div>`;
}

function checkHtml(check: StudentTestView["checks"][number]): string {
  const parts = [`<div class="check"><span class="${check.ok ? "ok" : "bad"}">${check.ok ? "✓" : "✗"}</span> ${html(check.message)}`];
  for (const [label, value] of [["input", check.input], ["expected", check.expected], ["got", check.got]] as const) {
    if (value !== undefined) parts.push(`<div>${label}:</div><pre>${html(value)}</pre>`);
  }
  if (check.hint !== undefined) parts.push(`<div class="hint">Hint: ${html(check.hint)}</div>`);
  return parts.join("") + "</div>";
}

function testHtml(test: StudentTestView): string {
  const state = test.outcome === "passed" ? "passed" : test.score > 0 ? "partial" : "failed";
  const hidden = test.visibility === "visible" ? "" : ` <span class="meta">(hidden test)</span>`;
  const summary = test.outcome === "passed" ? "" : `<div>${html(describeOutcome(test))}</div>`;
  return `<div class="test ${state}"><strong>${html(test.name)}</strong>${hidden}: ${points(test.score)} / ${points(test.maxScore)}${summary}${test.checks.map(checkHtml).join("")}</div>`;
}

function questionRow(q: QuestionResult): string {
  const comment = q.manual && q.note?.startsWith(TA_COMMENT) ? `<div class="meta">${html(q.note.slice(TA_COMMENT.length))}</div>` : "";
  const note = q.manual ? ` <span class="meta">(graded by a TA)</span>${comment}` : q.note ? `<div class="bad">${html(q.note)}</div>` : "";
  return `<tr><td>${html(q.title)}${note}</td><td class="pts">${points(q.score)} / ${points(q.maxScore)}</td><td>${bar(q.score, q.maxScore)}</td></tr>`;
}

export function feedbackHtml(result: GradeResult): string {
  const tests = studentTests(result);
  const body: string[] = [
    `<h1>${html(result.assignment.title)}</h1>`,
    `<div class="total">${points(result.score)} / ${points(result.maxScore)}</div>${bar(result.score, result.maxScore)}`,
    `<p class="meta">Submission ${html(result.submission.file)} (sha256 ${html(result.submission.sha256.slice(0, 12))}), graded ${html(result.startedAt)} with gradlab ${html(result.versions.gradlab)}.</p>`,
    result.unsandboxed ? `<p class="unsandboxed">⚠ ${html(sandboxLine(result))}</p>` : `<p class="sandbox">${html(sandboxLine(result))}</p>`,
  ];
  const late = lateLine(result);
  if (late) body.push(`<p class="late">${html(late)}</p>`);
  if (!result.compile.ok || result.compile.diagnostics.length) {
    body.push(`<h2>Compile errors</h2><ul>`, ...result.compile.diagnostics.map((d) => `<li class="diag">${html(diagnosticPlace(d))}: ${html(d.message)}</li>`), `</ul>`);
  }
  body.push(`<h2>Questions</h2><table><tr><th>question</th><th class="pts">points</th><th></th></tr>`, ...result.questions.map(questionRow), `</table>`);
  for (const q of result.questions) {
    const mine = tests.filter((t) => t.question === q.id);
    if (mine.length) body.push(`<h3>${html(q.title)}</h3>`, ...mine.map(testHtml));
  }
  const orphans = tests.filter((t) => !result.questions.some((q) => q.id === t.question));
  if (orphans.length) body.push(`<h3>Other tests</h3>`, ...orphans.map(testHtml));
  if (result.studentOutput) {
    body.push(`<h2>Your program's output</h2><details><summary>show</summary><pre>${html(capOutput(result.studentOutput))}</pre></details>`);
  }
  return [
    "<!DOCTYPE html>",
    `<html lang="en"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${html(result.assignment.title)}: ${points(result.score)} / ${points(result.maxScore)}</title>`,
    `<style>${CSS}</style></head><body>`,
    ...body,
    "</body></html>",
    "",
  ].join("\n");
}
