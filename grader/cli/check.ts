/**
 * `gradlab check` in a student's assignment folder: the visible tests, through the same engine and
 * sandbox as grading, with the reference's recorded answers. It never says "all tests passed": the hidden
 * tests run only at grading (Otter's students were misled by exactly that).
 * Exit codes: 0 every visible test passed, 1 some did not (or the folder could not be read), 2 bad command line.
 */
import { existsSync } from "fs";
import { dirname, join, resolve } from "path";
import { parseArgs } from "util";
import { loadAssignment } from "../engine/assignment";
import { sandboxFactory } from "../engine/factory";
import { gradeSubmission } from "../engine/grade";
import type { GradeResult, TestResult } from "../report/result";
import { coveredTests, sharedFailures, splitMessage, studentTestView } from "../report/student-view";
import { toInput } from "./grade";

export const HELP = `usage: gradlab check [<assignment folder> | <notebook.ipynb>] [--notebook FILE]

Runs the assignment's visible tests on your notebook (in the folder, default: here) exactly as the
grader will, and explains each failure. Hidden tests run only when your work is graded.

options:
  --notebook FILE   the notebook to check (default: the assignment's notebook in the folder)
  --no-color        plain output (also when piped, or with NO_COLOR set)
  -h, --help        this text`;

export interface Style {
  ok(s: string): string;
  bad(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export function style(color: boolean): Style {
  const wrap = (code: string) => (s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { ok: wrap("32"), bad: wrap("31"), dim: wrap("2"), bold: wrap("1") };
}

const points = (x: number) => String(Math.round(x * 100) / 100);

/** The report a student reads in the terminal. */
export function formatCheck(result: GradeResult, hiddenCount: number, s: Style): string {
  const lines: string[] = [];
  lines.push(s.bold(`${result.assignment.title}: visible tests`));
  if (result.unsandboxed) lines.push(s.dim(`(${result.sandbox})`));
  for (const q of result.questions) {
    if (q.manual) {
      lines.push(`\n${s.bold(q.title)}  ${s.dim(`pending: graded by a teaching assistant (${points(q.maxScore)} points)`)}`);
      continue;
    }
    const tests = result.tests.filter((t) => t.question === q.id);
    if (!tests.length) continue;
    const max = tests.reduce((a, t) => a + t.maxScore, 0);
    const got = tests.reduce((a, t) => a + t.score, 0);
    lines.push(`\n${s.bold(q.title)}  ${got === max ? s.ok(`${points(got)} / ${points(max)}`) : s.bad(`${points(got)} / ${points(max)}`)}`);
    // A message every (or many a) test of the question fails with (a compile error, a forbidden name, a
    // failure while loading, "not run" after timeouts): said once here, the tests listed without it.
    const views = tests.map(studentTestView);
    const shared = sharedFailures(q, views);
    for (const g of shared) {
      const { first, rest } = splitMessage(g.message);
      const n = g.covered.size;
      lines.push(`  ${s.bad("✗")} ${n === tests.length ? `all ${n} tests` : `${n} tests`}: ${first}`, ...rest.map((l) => `        ${l}`));
      tests.forEach((t, i) => { if (g.covered.has(views[i])) lines.push(...formatTest(t, s, true).map((l) => `  ${l}`)); });
    }
    const covered = coveredTests(shared);
    tests.forEach((t, i) => { if (!covered.has(views[i])) lines.push(...formatTest(t, s)); });
  }
  const visible = result.tests;
  const passed = visible.filter((t) => t.outcome === "passed").length;
  const got = visible.reduce((a, t) => a + t.score, 0), max = visible.reduce((a, t) => a + t.maxScore, 0);
  const compileErrors = result.compile.diagnostics.filter((d) => d.line > 0);
  if (compileErrors.length) {
    lines.push(`\n${s.bad("Compiler errors")}`);
    for (const d of compileErrors.slice(0, 10)) {
      lines.push(`  ${d.cell !== undefined ? `cell ${d.cell}${d.gradeId ? ` (${d.gradeId})` : ""}, ` : ""}line ${d.line}: ${d.message}`);
    }
  }
  const hidden = hiddenCount > 0 ? `${hiddenCount} hidden tests run at grading` : "more tests may run at grading";
  lines.push("");
  lines.push(`${passed === visible.length ? s.ok(`visible tests passed: ${passed} of ${visible.length}`) : s.bad(`visible tests passed: ${passed} of ${visible.length}`)} (${points(got)} of ${points(max)} points); ${hidden}.`);
  return lines.join("\n");
}

export function formatTest(t: TestResult, s: Style, covered = false): string[] {
  const mark = t.outcome === "passed" ? s.ok("✓") : t.outcome === "partial" ? s.bad("~") : s.bad("✗");
  const why = t.outcome === "passed" || covered ? "" : `  ${s.bad(t.summary)}`;
  const out = [`  ${mark} ${t.name}  ${s.dim(`${points(t.score)} / ${points(t.maxScore)}`)}${why}`];
  if (t.outcome !== "passed" && !covered) {
    for (const c of t.checks.filter((c) => !c.ok)) {
      const { first, rest } = splitMessage(c.message);
      out.push(`      ${first}`, ...rest.map((l) => `        ${l}`));
      // The call, the expected and the actual answer are what the student needs: plain, not dimmed.
      const field = (label: string, value: string) => `        ${label.padEnd(10)}${String(value).replace(/\r?\n/g, `\n${" ".repeat(18)}`)}`;
      if (c.input) out.push(field("call:", c.input));
      if (c.expected !== undefined) out.push(field("expected:", c.expected));
      if (c.got !== undefined) out.push(field("got:", c.got));
      if (c.hint && !c.message.includes(c.hint)) out.push(field("hint:", c.hint));
    }
  }
  return out;
}

export async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true, strict: true,
      options: { notebook: { type: "string" }, "no-color": { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
  } catch (err) {
    console.error(`gradlab check: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length > 1) {
    console.error(`gradlab check: give at most one assignment folder\n\n${HELP}`);
    return 2;
  }
  // `gradlab check assignment1.ipynb` means that notebook, in its own folder.
  const given = positionals[0];
  const notebookArg = given?.endsWith(".ipynb") ? given : undefined;
  if (notebookArg && values.notebook) {
    console.error("gradlab check: give the notebook once (as an argument or with --notebook)");
    return 2;
  }
  if (notebookArg) values.notebook = notebookArg;
  const dir = resolve(notebookArg ? dirname(resolve(notebookArg)) : given ?? ".");
  let assignment;
  try {
    assignment = loadAssignment(dir);
  } catch (err) {
    console.error(`gradlab check: ${(err as Error).message}`);
    return 1;
  }
  const notebook = values.notebook ?? (assignment.config.notebook ? join(dir, assignment.config.notebook) : undefined);
  if (!notebook || !existsSync(notebook)) {
    console.error(`gradlab check: no notebook to check${notebook ? ` (${notebook} does not exist)` : ""}; use --notebook FILE`);
    return 1;
  }
  const color = !values["no-color"] && !!process.stdout.isTTY && !process.env.NO_COLOR;
  const hiddenCount = assignment.kind === "student" ? assignment.hiddenElsewhere : assignment.tests.filter((t) => t.visibility !== "visible").length;
  const result = await gradeSubmission(assignment, toInput(notebook, "you"), sandboxFactory(), { visibleOnly: true });
  console.log(formatCheck(result, hiddenCount, style(color)));
  return result.tests.every((t) => t.outcome === "passed") ? 0 : 1;
}
