/** What `gradlab run` prints: progress lines, a failure report per notebook, the summary table. */
import { CellFailure, inPrompt } from "./execute-notebook";

export type NotebookStatus = "ok" | "failed" | "kernel died" | "malformed" | "not run";

export interface NotebookSummary {
  label: string;
  status: NotebookStatus;
  cellsDone: number;
  cellsTotal: number;
  elapsedMs: number;
  /** Where the executed copy was written, if anywhere. */
  written: string | null;
  failures: CellFailure[];
  /** For notebooks that could not be run at all (malformed, kernel would not start). */
  problem?: string;
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function progressLine(label: string, done: number, total: number, elapsedMs: number): string {
  return `[${label}] ${done}/${total} cells, ${seconds(elapsedMs)}`;
}

const KIND_WORDS: Record<CellFailure["kind"], string> = {
  error: "raised an error",
  timeout: "timed out",
  "dead-kernel": "killed the kernel",
  "error-output": "shows an error output",
  "did-not-raise": "is tagged raises-exception but did not raise",
};

/** The report for one failed notebook: which cell, what error, its traceback (colours kept only on a terminal). */
export function failureReport(summary: NotebookSummary, colour: boolean): string {
  const lines: string[] = [];
  if (summary.problem) lines.push(`${summary.label}: ${summary.problem}`);
  for (const f of summary.failures) {
    lines.push(`${summary.label}, cell ${inPrompt(f.executionCount)} (${f.firstLine || "..."}) ${KIND_WORDS[f.kind]}:`);
    lines.push(`  ${f.ename}: ${f.evalue}`);
    const traceback = f.traceback.map((l) => (colour ? l : stripAnsi(l))).join("\n").trimEnd();
    // Many kernels repeat "ename: evalue" as the traceback's only line; print it once.
    if (traceback && stripAnsi(traceback).trim() !== `${f.ename}: ${f.evalue}`.trim()) {
      lines.push(...traceback.split("\n").map((l) => `    ${l}`));
    }
  }
  if (summary.written && summary.status !== "ok") lines.push(`  executed copy with the outputs so far: ${summary.written}`);
  return lines.join("\n");
}

export function summaryTable(rows: NotebookSummary[]): string {
  const header = ["notebook", "status", "cells", "time", "written to"];
  const body = rows.map((r) => [
    r.label,
    r.status,
    r.status === "malformed" ? "-" : `${r.cellsDone}/${r.cellsTotal}`,
    seconds(r.elapsedMs),
    r.written ?? "-",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const format = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  const ok = rows.filter((r) => r.status === "ok").length;
  return [
    format(header),
    format(widths.map((w) => "-".repeat(w))),
    ...body.map(format),
    "",
    `${ok} of ${rows.length} notebook${rows.length === 1 ? "" : "s"} ran without failure`,
  ].join("\n");
}
