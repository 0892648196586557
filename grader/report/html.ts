/**
 * feedback.html: one self-contained page (inline CSS, no scripts, nothing fetched) a student can open from
 * disk or a course site. A Content-Security-Policy that allows only the inline style is a second wall behind
 * the escaping: markup that slipped through could still not run a script or load anything.
 */
import { html } from "./escape";
import { htmlPage } from "./page";
import { capOutput, count, lateLine, sandboxLine, TA_COMMENT } from "./markdown";
import type { GradeResult, QuestionResult } from "./result";
import {
  coveredTests, describeOutcome, diagnosticPlace, fixFirst, fixLines, fraction, headline, isPendingManual, points, scoredMax, sharedFailures,
  splitMessage, studentTests, type SharedFailure, type StudentTestView,
} from "./student-view";

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
.test.one { padding: .15rem .8rem; margin: .25rem 0; }
details.test > summary, details.passed-checks > summary { cursor: pointer; }
details.passed-checks { margin: .4rem 0 0 1rem; color: #57606a; }
.shared { border: 1px solid #cf222e; background: #ffebe9; border-radius: .4rem; padding: .5rem .8rem; margin: .6rem 0; }
.pending { color: #9a6700; text-align: left; }
.fix li { margin: .2rem 0; }
pre.stack { background: none; padding: 0 0 0 1rem; margin: 0; }
`;

function bar(score: number, max: number): string {
  return `<div class="bar"><span style="width:${(fraction(score, max) * 100).toFixed(1)}%"></span></div>`;
}

function messageHtml(message: string): string {
  const { first, rest } = splitMessage(message);
  return `${html(first)}${rest.length ? `<pre class="stack">${html(rest.map((l) => `  ${l}`).join("\n"))}</pre>` : ""}`;
}

function checkHtml(check: StudentTestView["checks"][number]): string {
  const parts = [`<div class="check"><span class="${check.ok ? "ok" : "bad"}">${check.ok ? "✓" : "✗"}</span> ${messageHtml(check.message)}`];
  for (const [label, value] of [["input", check.input], ["expected", check.expected], ["got", check.got]] as const) {
    if (value !== undefined) parts.push(`<div>${label}:</div><pre>${html(value)}</pre>`);
  }
  if (check.hint !== undefined) parts.push(`<div class="hint">Hint: ${html(check.hint)}</div>`);
  return parts.join("") + "</div>";
}

function testHead(test: StudentTestView, withSummary: boolean): string {
  const ok = test.outcome === "passed";
  const hidden = test.visibility === "visible" ? "" : ` <span class="meta">(hidden test)</span>`;
  const why = withSummary && !ok ? ` <span class="bad">${html(describeOutcome(test))}</span>` : "";
  return `<span class="${ok ? "ok" : "bad"}">${ok ? "✓" : "✗"}</span> <strong>${html(test.name)}</strong>${hidden}: ${points(test.score)} / ${points(test.maxScore)}${why}`;
}

function testHtml(test: StudentTestView, covered: boolean): string {
  const state = test.outcome === "passed" ? "passed" : test.score > 0 ? "partial" : "failed";
  if (test.outcome === "passed") {
    // One line; what was checked only when asked for.
    return test.checks.length
      ? `<details class="test passed one"><summary>${testHead(test, false)}</summary>${test.checks.map(checkHtml).join("")}</details>`
      : `<div class="test passed one">${testHead(test, false)}</div>`;
  }
  const failed = test.checks.filter((c) => !c.ok);
  if (covered || !failed.length) return `<div class="test ${state} one">${testHead(test, !covered)}</div>`;
  const passed = test.checks.filter((c) => c.ok);
  const passedHtml = passed.length
    ? `<details class="passed-checks"><summary>${passed.length} passed check${passed.length === 1 ? "" : "s"}</summary>${passed.map(checkHtml).join("")}</details>`
    : "";
  return `<div class="test ${state}">${testHead(test, false)}<div>${html(describeOutcome(test))}</div>${failed.map(checkHtml).join("")}${passedHtml}</div>`;
}

function questionRow(q: QuestionResult, shared: SharedFailure[]): string {
  if (isPendingManual(q)) {
    return `<tr><td>${html(q.title)}</td><td class="pts pending" colspan="2">pending: graded by a teaching assistant (${points(q.maxScore)} points)</td></tr>`;
  }
  let note = "";
  const blocked = shared.find((g) => g.message === q.note);
  if (q.manual) {
    const comment = q.note?.startsWith(TA_COMMENT) ? `<div class="meta">${html(q.note.slice(TA_COMMENT.length))}</div>` : "";
    note = ` <span class="meta">(graded by a TA)</span>${comment}`;
  } else if (q.note && blocked) {
    note = ` <span class="bad">${html(describeOutcome([...blocked.covered][0]))} (below)</span>`;
  } else if (q.note) note = `<div class="bad">${html(q.note)}</div>`;
  return `<tr><td>${html(q.title)}${note}</td><td class="pts">${points(q.score)} / ${points(q.maxScore)}</td><td>${bar(q.score, q.maxScore)}</td></tr>`;
}

function sectionHtml(title: string, q: QuestionResult | undefined, mine: StudentTestView[]): string[] {
  const shared = sharedFailures(q, mine);
  const covered = coveredTests(shared);
  const out = [`<h3>${html(title)}</h3>`];
  for (const g of shared) {
    const n = g.covered.size;
    out.push(`<div class="shared">✗ ${n === mine.length ? `All ${n} tests` : count(n, "test")} of this question: ${messageHtml(g.message)}</div>`);
    out.push(...mine.filter((t) => g.covered.has(t)).map((t) => testHtml(t, true)));
  }
  return [...out, ...mine.filter((t) => !covered.has(t)).map((t) => testHtml(t, false))];
}

function fixFirstHtml(result: GradeResult, tests: StudentTestView[]): string[] {
  const lines = fixLines(fixFirst(result, tests));
  if (!lines.length) return [];
  const out = [`<h2>What to fix first</h2><ul class="fix">`];
  for (const line of lines) {
    if (line.kind === "together") {
      const what = `${count(line.count, "test")} (${points(line.points)} points)`;
      out.push(line.titles.length === 1
        ? `<li><strong>${html(line.titles[0])}</strong>: ${what}: ${html(splitMessage(line.message).first)}</li>`
        : `<li>${html(splitMessage(line.message).first)}: ${what} of<ul>${line.titles.map((t) => `<li><strong>${html(t)}</strong></li>`).join("")}</ul></li>`);
      continue;
    }
    const items = [
      ...line.shared.map((g) => `<li>${count(g.count, "test")} (${points(g.points)} points): ${html(splitMessage(g.message).first)}</li>`),
      ...line.tests.map((t) => `<li>${testHead(t, true)}</li>`),
    ];
    out.push(`<li><strong>${html(line.title)}</strong><ul>${items.join("")}</ul></li>`);
  }
  return [...out, `</ul>`];
}

export function feedbackHtml(result: GradeResult): string {
  const tests = studentTests(result);
  const body: string[] = [
    `<h1>${html(result.assignment.title)}</h1>`,
    `<div class="total">${html(headline(result))}</div>${bar(result.score, scoredMax(result))}`,
    `<p class="meta">Submission ${html(result.submission.file)} (sha256 ${html(result.submission.sha256.slice(0, 12))}), graded ${html(result.startedAt)} with gradlab ${html(result.versions.gradlab)}.</p>`,
    result.unsandboxed ? `<p class="unsandboxed">⚠ ${html(sandboxLine(result))}</p>` : `<p class="sandbox">${html(sandboxLine(result))}</p>`,
  ];
  const late = lateLine(result);
  if (late) body.push(`<p class="late">${html(late)}</p>`);
  body.push(...fixFirstHtml(result, tests));
  if (!result.compile.ok || result.compile.diagnostics.length) {
    body.push(`<h2>Compile errors</h2><ul>`, ...result.compile.diagnostics.map((d) => `<li class="diag">${html(diagnosticPlace(d))}: ${html(d.message)}</li>`), `</ul>`);
  }
  body.push(`<h2>Questions</h2><table><tr><th>question</th><th class="pts">points</th><th></th></tr>`, ...result.questions.map((q) => questionRow(q, sharedFailures(q, tests.filter((t) => t.question === q.id)))), `</table>`);
  for (const q of result.questions) {
    const mine = tests.filter((t) => t.question === q.id);
    if (mine.length) body.push(...sectionHtml(q.title, q, mine));
  }
  const orphans = tests.filter((t) => !result.questions.some((q) => q.id === t.question));
  if (orphans.length) body.push(...sectionHtml("Other tests", undefined, orphans));
  if (result.studentOutput) {
    body.push(`<h2>Your program's output</h2><details><summary>show</summary><pre>${html(capOutput(result.studentOutput))}</pre></details>`);
  }
  return htmlPage({ title: `${result.assignment.title}: ${headline(result)}`, css: CSS, body });
}
