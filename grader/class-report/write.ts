/** Writes the class files of a run folder from its stored grades: gradebook.csv, summary.json, summary.html, written/. */
import { mkdirSync } from "fs";
import { join } from "path";
import type { AssignmentConfig } from "../config/assignment";
import { readAllStored, writeAtomic, type StoredGrade } from "../batch/store";
import { gradebookCsv } from "./gradebook";
import { summaryHtml, writtenHtml } from "./html";
import { classSummary, gradebookRows, type ClassSummary, type GradebookRow } from "./summary";
import { points } from "../report/student-view";

export interface ClassFiles { gradebook: string; summaryJson: string; summaryHtml: string; written: string[] }

export async function writeClassReports(out: string, config: AssignmentConfig, stored: StoredGrade[] = readAllStored(out)): Promise<{ files: ClassFiles; summary: ClassSummary; rows: GradebookRow[] }> {
  const rows = gradebookRows(stored, config);
  const summary = classSummary(stored, config);
  const files: ClassFiles = { gradebook: join(out, "gradebook.csv"), summaryJson: join(out, "summary.json"), summaryHtml: join(out, "summary.html"), written: [] };
  mkdirSync(out, { recursive: true });
  writeAtomic(files.gradebook, gradebookCsv(rows, config));
  writeAtomic(files.summaryJson, JSON.stringify(summary, null, 2) + "\n");
  writeAtomic(files.summaryHtml, await summaryHtml(summary, rows, config));
  const manual = config.questions.filter((q) => q.manual);
  if (manual.length) mkdirSync(join(out, "written"), { recursive: true });
  for (const q of manual) {
    const file = join(out, "written", `${q.id}.html`);
    writeAtomic(file, writtenHtml(q.id, stored, config));
    files.written.push(file);
  }
  return { files, summary, rows };
}

/** The class table for the terminal. */
export function classTable(rows: GradebookRow[], config: AssignmentConfig): string {
  const auto = config.questions;
  const head = ["student", ...auto.map((q) => q.id), "late", "total", "status"];
  // A written question no TA has scored yet shows as "-", not as a 0 the student earned.
  const body = rows.map((r) => [r.id, ...auto.map((q) => (r.pending.includes(q.id) ? "-" : points(r.questions[q.id] ?? 0))), r.lateDays ? `${r.lateDays}d` : "", `${points(r.total)}/${points(r.maxScore)}`, r.status]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  return [fmt(head), fmt(widths.map((w) => "-".repeat(w))), ...body.map(fmt)].join("\n");
}
