/**
 * results.json in the format Gradescope's autograder harness reads from /autograder/results/results.json
 * (https://gradescope-autograders.readthedocs.io/en/latest/specs/). Gradescope shows `output` and each test's
 * `output` to the student (per test `visibility`), so both come from student views only; `extra_data` is for
 * the course's own scripts (gradebook, regrades).
 */
import type { GradeResult, TestStatus, Visibility } from "./result";
import { feedbackMarkdown, testMarkdown } from "./markdown";
import { studentTests } from "./student-view";

export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: TestStatus;
  output: string;
  output_format: "md";
  visibility: Visibility;
  extra_data: { question: string; outcome: string; seed: number };
}

export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  output_format: "md";
  visibility: Visibility;
  stdout_visibility: "hidden";
  tests: GradescopeTest[];
  extra_data: { sha256: string; versions: GradeResult["versions"]; sandbox: string; unsandboxed: boolean };
}

export function gradescopeResults(result: GradeResult, options: { visibility?: Visibility } = {}): GradescopeResults {
  const tests = studentTests(result).map((view, i): GradescopeTest => ({
    name: view.name,
    score: view.score,
    max_score: view.maxScore,
    status: view.outcome === "passed" ? "passed" : "failed",
    output: testMarkdown(view),
    output_format: "md",
    visibility: view.visibility,
    // Only the engine's own fields: the seed reproduces a failure for staff; it reveals no input by itself.
    extra_data: { question: view.question, outcome: view.outcome, seed: result.tests[i].seed },
  }));
  return {
    score: result.score,
    execution_time: Math.round(result.executionMs) / 1000,
    output: feedbackMarkdown(result),
    output_format: "md",
    visibility: options.visibility ?? "visible",
    stdout_visibility: "hidden",
    tests,
    extra_data: { sha256: result.submission.sha256, versions: result.versions, sandbox: result.sandbox, unsandboxed: result.unsandboxed },
  };
}
