/**
 * gradebook.csv: one row per student, one column per question, then the total, the maximum and the late
 * flag. RFC 4180 with a header row, UTF-8 without BOM, CRLF line ends (what spreadsheets and LMS imports
 * — Canvas, Moodle, Blackboard — expect); cells that a spreadsheet would read as a formula are quoted
 * (csvField). Columns: id, name, email, submitted_at, <question ids…> (empty for a written question not
 * scored yet), late_days, late_penalty, late, total, max_score, status.
 */
import type { AssignmentConfig } from "../config/assignment";
import { csvField } from "../batch/manual";
import type { GradebookRow } from "./summary";

const num = (x: number) => String(Math.round(x * 1e4) / 1e4);

export function gradebookCsv(rows: GradebookRow[], config: AssignmentConfig): string {
  const header = ["id", "name", "email", "submitted_at", ...config.questions.map((q) => q.id), "late_days", "late_penalty", "late", "total", "max_score", "status"];
  const lines = [header.map(csvField).join(",")];
  for (const r of rows) {
    lines.push([
      r.id, r.name ?? "", r.email ?? "", r.submittedAt ?? "",
      // A written question no one has scored yet is empty, not 0: a spreadsheet must tell the two apart.
      ...config.questions.map((q) => (r.pending.includes(q.id) ? "" : num(r.questions[q.id] ?? 0))),
      String(r.lateDays), num(r.latePenalty), r.lateDays > 0 ? "yes" : "no", num(r.total), num(r.maxScore), r.status,
    ].map(csvField).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}
