/**
 * summary.html (for the lecturer) and written/<question>.html (for the teaching assistants): one
 * self-contained page each, inline CSS and inline SVG charts (Vega-Lite specs rendered by gradlab's plot
 * module in Node), no scripts, nothing fetched; the same Content-Security-Policy as feedback.html.
 */
import { toSVG } from "../../lib/plot/render";
import type { TopLevelSpec } from "../../lib/plot/vega";
import { html } from "../report/escape";
import { htmlPage } from "../report/page";
import { points } from "../report/student-view";
import type { AssignmentConfig } from "../config/assignment";
import type { StoredGrade } from "../batch/store";
import type { ClassSummary, GradebookRow } from "./summary";

const CSS = `
body { font: 15px/1.5 system-ui, sans-serif; max-width: 70rem; margin: 2rem auto; padding: 0 1rem; color: #1b1f24; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
.meta { color: #57606a; } .big { font-size: 1.6rem; font-weight: 700; }
table { border-collapse: collapse; } td, th { padding: .25rem .5rem; border-bottom: 1px solid #d0d7de; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
.answer { border: 1px solid #d0d7de; border-radius: .4rem; padding: .5rem .8rem; margin: .8rem 0; }
.answer pre { white-space: pre-wrap; word-break: break-word; background: #f6f8fa; padding: .5rem; margin: .3rem 0 0; }
`;

function page(title: string, body: string[]): string {
  return htmlPage({ title, css: CSS, body, dataImages: true });
}

// Vega measures label text without a canvas in Node (an estimate): short labels, and room to spare on the left.
const FONT = { font: "sans-serif", padding: { left: 40, right: 10, top: 5, bottom: 5 } };
const cut = (text: string, n: number) => (text.length > n ? text.slice(0, n - 1) + "…" : text);

export function histogramSpec(s: ClassSummary): TopLevelSpec {
  return {
    width: 520, height: 220, config: { ...FONT, view: { stroke: null } },
    title: `Total scores (${s.students} students)`,
    data: { values: s.histogram.map((b) => ({ from: b.from, to: b.to, count: b.count })) },
    mark: { type: "rect", color: "#4c78a8", stroke: "white", strokeWidth: 1 },
    encoding: {
      x: { field: "from", type: "quantitative", title: `points (of ${points(s.maxScore)})`, scale: { domain: [0, s.maxScore], nice: false } },
      x2: { field: "to" },
      y: { field: "count", type: "quantitative", title: "students", axis: { tickMinStep: 1 } },
      y2: { datum: 0 },
    },
  } as unknown as TopLevelSpec;
}

export function passRateSpec(s: ClassSummary): TopLevelSpec {
  const values = s.tests.map((t, i) => ({ test: `${String(i + 1).padStart(2, "0")} ${cut(t.name, 40)}`, question: t.question, rate: t.passRate }));
  return {
    width: 360, height: { step: 14 }, config: { ...FONT, view: { stroke: null } },
    title: "Pass rate per test",
    data: { values },
    mark: { type: "bar" },
    encoding: {
      y: { field: "test", type: "nominal", sort: null, title: null, axis: { labelLimit: 420 } },
      x: { field: "rate", type: "quantitative", title: "share of students who passed", scale: { domain: [0, 1] }, axis: { format: "%" } },
      color: { field: "question", type: "nominal", title: "question", sort: null },
    },
  } as unknown as TopLevelSpec;
}

export function mistakesSpec(s: ClassSummary, top = 12): TopLevelSpec {
  const values = s.mistakes.slice(0, top).map((m, i) => ({ hint: `${i + 1}. ${cut(m.hint, 72)}`, count: m.count }));
  return {
    width: 380, height: { step: 16 }, config: { ...FONT, view: { stroke: null } },
    title: "Most common mistakes (hints that fired)",
    data: { values },
    mark: { type: "bar", color: "#e45756" },
    encoding: {
      y: { field: "hint", type: "nominal", sort: null, title: null, axis: { labelLimit: 480 } },
      x: { field: "count", type: "quantitative", title: "students", axis: { tickMinStep: 1 } },
    },
  } as unknown as TopLevelSpec;
}

async function figure(spec: TopLevelSpec, label: string): Promise<string> {
  const svg = await toSVG(spec);
  return `<figure role="img" aria-label="${html(label)}">${svg}</figure>`;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** " · N points of written questions not scored yet", where a TA has not scored every student. */
function unscoredNote(s: ClassSummary): string {
  const open = s.questions.filter((q) => q.manual && q.scored < s.students).reduce((a, q) => a + q.maxScore, 0);
  return open ? ` · written questions worth ${points(open)} points not scored for everyone yet` : "";
}

export async function summaryHtml(s: ClassSummary, rows: GradebookRow[], config: AssignmentConfig): Promise<string> {
  const body: string[] = [
    `<h1>${html(s.assignment.title)}: the class</h1>`,
    `<p class="meta">${s.students} students, ${s.graded} graded, ${s.late} late; assignment version ${html(s.assignment.version ?? "?")}.</p>`,
    `<p><span class="big">mean ${points(s.scores.mean)} / ${points(s.maxScore)}</span> · median ${points(s.scores.median)} · range ${points(s.scores.min)}–${points(s.scores.max)} · ${s.scores.passed} of ${s.students} at or above ${points(s.scores.passMark)}${unscoredNote(s)}</p>`,
    `<p class="meta">Totals, the histogram and the question means count all ${s.students} students (a submission that could not be read scores 0); pass rates per test count the ${s.graded} whose tests ran.</p>`,
    `<section id="histogram">${await figure(histogramSpec(s), "histogram of total scores")}</section>`,
    `<h2>Questions</h2><table><tr><th>question</th><th>mean</th><th>full marks</th></tr>`,
    ...s.questions.map((q) => {
      const none = q.scored === 0 && q.manual;
      const some = q.scored < s.students ? ` <span class="meta">(${q.scored} of ${s.students} scored)</span>` : "";
      return `<tr><td>${html(q.title)}${q.manual ? ' <span class="meta">(graded by a TA)</span>' : ""}</td><td class="n">${none ? "not scored yet" : `${points(q.mean)} / ${points(q.maxScore)}${some}`}</td><td class="n">${none ? "–" : q.full}</td></tr>`;
    }),
    `</table>`,
  ];
  if (s.mistakes.length) {
    body.push(`<h2>Most common mistakes</h2>`, `<section id="mistakes">${await figure(mistakesSpec(s), "bar chart of the most frequent hints")}</section>`,
      `<table><tr><th>#</th><th>students</th><th>hint</th><th>given by</th></tr>`,
      ...s.mistakes.slice(0, 25).map((m, i) => `<tr><td class="n">${i + 1}</td><td class="n">${m.count}</td><td>${html(m.hint)}</td><td>${m.tests.map(html).join("<br>")}</td></tr>`), `</table>`);
  }
  if (s.tests.length) {
    body.push(`<h2>Pass rate per test</h2>`, `<section id="pass-rates">${await figure(passRateSpec(s), "bar chart of the pass rate of each test")}</section>`,
      `<table><tr><th>#</th><th>test</th><th>passed</th><th>outcomes</th></tr>`,
      ...s.tests.map((t, i) => `<tr><td class="n">${i + 1}</td><td>${html(t.question)}: ${html(t.name)}${t.visibility === "visible" ? "" : ' <span class="meta">(hidden)</span>'}</td><td class="n">${pct(t.passRate)}</td><td>${html(Object.entries(t.outcomes).map(([o, n]) => `${o} ${n}`).join(", "))}</td></tr>`),
      `</table>`);
  }
  body.push(`<h2>Failed submissions</h2>`);
  body.push(s.failed.length
    ? `<table><tr><th>student</th><th>status</th><th>why</th></tr>${s.failed.map((f) => `<tr><td><a href="${html(encodeURIComponent(f.id))}/feedback.html">${html(f.id)}</a></td><td>${html(f.status)}</td><td>${html(f.reason)}</td></tr>`).join("")}</table>`
    : `<p>None.</p>`);
  body.push(`<h2>Slowest submissions</h2><table><tr><th>student</th><th>grading time</th></tr>`,
    ...s.timing.slowest.map((t) => `<tr><td><a href="${html(encodeURIComponent(t.id))}/feedback.html">${html(t.id)}</a></td><td class="n">${(t.ms / 1000).toFixed(1)} s</td></tr>`),
    `</table><p class="meta">Median grading time ${(s.timing.medianMs / 1000).toFixed(1)} s per submission.</p>`);
  const manual = config.questions.filter((q) => q.manual);
  if (manual.length) body.push(`<h2>Written answers</h2><ul>${manual.map((q) => `<li><a href="written/${html(q.id)}.html">${html(q.title)}</a></li>`).join("")}</ul>`);
  body.push(`<h2>Gradebook</h2><table><tr><th>student</th>${config.questions.map((q) => `<th title="${html(q.title)}">${html(q.id)}</th>`).join("")}<th>late</th><th>total</th><th>status</th></tr>`,
    ...rows.map((r) => `<tr><td><a href="${html(encodeURIComponent(r.id))}/feedback.html">${html(r.id)}</a></td>${config.questions.map((q) => `<td class="n">${r.pending.includes(q.id) ? "–" : points(r.questions[q.id] ?? 0)}</td>`).join("")}<td>${r.lateDays ? `${r.lateDays} d` : "no"}</td><td class="n">${points(r.total)}</td><td>${html(r.status)}</td></tr>`),
    `</table>`);
  return page(`${s.assignment.title}: class summary`, body);
}

/** One page per manual question: every student's answer, side by side for reading and marking. */
export function writtenHtml(questionId: string, stored: StoredGrade[], config: AssignmentConfig): string {
  const q = config.questions.find((x) => x.id === questionId)!;
  const sorted = [...stored].sort((a, b) => (a.id < b.id ? -1 : 1));
  const body = [
    `<h1>${html(q.title)}</h1>`,
    `<p class="meta">${points(q.points)} points. ${sorted.length} students. Enter points in scores.csv (id,question,points,comment) with question ${html(q.id)}, then run gradlab grade again with --manual scores.csv --resume.</p>`,
    ...sorted.map((s) => {
      const text = s.written[questionId];
      const given = s.manual?.[questionId];
      const mark = given ? ` <span class="meta">(${points(given.points)} / ${points(q.points)}${given.comment ? `: ${html(given.comment)}` : ""})</span>` : "";
      return `<div class="answer" id="${html(s.id)}"><strong>${html(s.id)}</strong>${mark}${text !== undefined ? `<pre>${html(text)}</pre>` : `<p class="meta">no answer</p>`}</div>`;
    }),
  ];
  return page(`${q.title}: written answers`, body);
}
