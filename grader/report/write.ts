/** Writes the three reports of one graded submission into a folder. */
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { gradescopeResults } from "./gradescope";
import { feedbackHtml } from "./html";
import { feedbackMarkdown } from "./markdown";
import type { GradeResult, Visibility } from "./result";

export interface ReportFiles {
  results: string;
  markdown: string;
  html: string;
}

/** results.json (Gradescope), feedback.md and feedback.html in `dir` (created if missing); returns their paths. */
export function writeReports(result: GradeResult, dir: string, options: { visibility?: Visibility } = {}): ReportFiles {
  mkdirSync(dir, { recursive: true });
  const files = { results: join(dir, "results.json"), markdown: join(dir, "feedback.md"), html: join(dir, "feedback.html") };
  writeFileSync(files.results, JSON.stringify(gradescopeResults(result, options), null, 2) + "\n");
  writeFileSync(files.markdown, feedbackMarkdown(result));
  writeFileSync(files.html, feedbackHtml(result));
  return files;
}
