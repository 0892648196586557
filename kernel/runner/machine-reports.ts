/**
 * The run's results for machines: `--junit FILE` (JUnit XML, what CI systems ingest; one test case per
 * notebook) and `--json FILE` (the same facts as JSON). Cells are named In[N], as in the text report.
 */
import { inPrompt } from "./execute-notebook";
import { failureReport, NotebookSummary, stripAnsi } from "./report";

const seconds = (ms: number) => Number((ms / 1000).toFixed(3));

export function jsonReport(summaries: NotebookSummary[]): string {
  return JSON.stringify({
    ok: summaries.every((s) => s.status === "ok"),
    notebooks: summaries.map((s) => ({
      notebook: s.label,
      status: s.status,
      cellsDone: s.cellsDone,
      cellsTotal: s.cellsTotal,
      seconds: seconds(s.elapsedMs),
      written: s.written,
      ...(s.problem ? { problem: s.problem } : {}),
      failures: s.failures.map((f) => ({
        kind: f.kind,
        cell: inPrompt(f.executionCount),
        executionCount: f.executionCount,
        cellNumber: f.cellNumber,
        firstLine: f.firstLine,
        ename: f.ename,
        evalue: f.evalue,
        traceback: f.traceback.map(stripAnsi),
      })),
    })),
  }, null, 2) + "\n";
}

/** Text safe in XML 1.0: escaped, without ANSI colours and the control characters XML forbids. */
function xml(text: string): string {
  return stripAnsi(text)
    .replace(/[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

export function junitReport(summaries: NotebookSummary[], now = new Date()): string {
  const failures = summaries.filter((s) => s.status === "failed").length;
  const errors = summaries.filter((s) => s.status === "kernel died" || s.status === "malformed").length;
  const skipped = summaries.filter((s) => s.status === "not run").length;
  const time = seconds(summaries.reduce((t, s) => t + s.elapsedMs, 0));
  const counts = `tests="${summaries.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}"`;
  const cases = summaries.map((s) => {
    const open = `    <testcase classname="gradlab run" name="${xml(s.label)}" time="${seconds(s.elapsedMs)}"`;
    if (s.status === "ok") return `${open}/>`;
    if (s.status === "not run") return `${open}>\n      <skipped/>\n    </testcase>`;
    // A notebook that failed is a failure; one whose kernel died or that could not be read, an error.
    const tag = s.status === "failed" ? "failure" : "error";
    const first = s.failures[0];
    const message = first ? `cell ${inPrompt(first.executionCount)} ${first.ename}: ${first.evalue}` : s.problem ?? s.status;
    const type = first?.ename ?? s.status;
    return `${open}>\n      <${tag} message="${xml(message)}" type="${xml(type)}">${xml(failureReport(s, false))}</${tag}>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="gradlab run" ${counts}>`,
    `  <testsuite name="gradlab run" ${counts} timestamp="${now.toISOString()}">`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}
