/**
 * Grades one submission: assemble and compile it in the grader, then run every test with the student's
 * program in its sandboxed child and the reference here, and turn checks into points. Whatever the
 * student's code does (throw, loop, exit, flood, lie), each test ends with a score and an outcome that
 * says what happened, and the remaining tests still run.
 */
import { createHash } from "crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { TestContext, CheckStop, Check } from "../api/context";
import { TestDefinition } from "../api/registry";
import { Question, totalPoints } from "../config/assignment";
import { assembleProgram, AssembledProgram, describeOrigin, ProgramCell } from "../program/assemble";
import { compileProgram, CompiledProgram, ProgramText, topLevelNames } from "../program/compile";
import * as ts from "typescript";
import { studentFrames } from "../program/stack";
import { GradeResult, Outcome, QuestionResult, TestResult } from "../report/result";
import { ChildFailure, Program, StudentError } from "../sandbox/program";
import { AssignmentError, LoadedAssignment, programCells, programFiles } from "./assignment";
import { lateness } from "./late";
import { gradlabVersion } from "../release/release";
import { RecordingProgram, Recording, ReplayProgram } from "./recording";
import type { Notebook } from "../../kernel/runner/nbformat";
import type { Submission } from "../submission/intake";
import { cellRoles } from "../notebook/cells";

export interface SubmissionInput {
  /** The student's id (from the file name, or Gradescope's metadata). */
  id: string;
  /** Where it came from, for the report. */
  file: string;
  notebook?: Notebook;
  /** A folder submission: relative path → text of each .ts file. */
  files?: Map<string, string>;
  submittedAt?: string;
}

/** A read submission (notebook or files) with who handed it in, as the engine grades it. */
export function submissionInput(sub: Submission, who: { id: string; file: string; submittedAt?: string }): SubmissionInput {
  return sub.kind === "notebook" ? { ...who, notebook: sub.notebook } : { ...who, files: sub.files };
}

export interface ProgramFactory {
  /** Starts (lazily) the student's program from a compiled JS file, in the sandbox. */
  student(jsFile: string): Program;
  /** Loads the trusted reference from a compiled JS file. */
  reference(jsFile: string): Program;
  /** The sandbox in words, for the report header, and whether it is no sandbox at all. */
  sandbox: { description: string; unsandboxed: boolean };
}

export interface GradeOptions {
  /** Called after each test, for progress output. */
  onTest?(result: TestResult): void;
  /** Use this reference instead of the assignment's (recording and replaying the reference's answers). */
  reference?: Program;
  /** Run the submission with this instead of the sandbox (only for trusted code: the reference itself). */
  trustedStudent?: (jsFile: string) => Program;
  /** Run only the visible tests. */
  visibleOnly?: boolean;
  /** Compile the submission with this (a class run's compile thread) instead of in this thread. */
  compile?: (program: ProgramText, exported: string[], forbidden: string[]) => Promise<CompiledProgram>;
}

const GRADLAB_VERSION = gradlabVersion();

/** Sorted, de-duplicated graded names of the auto-graded questions. */
function gradedNames(questions: Question[]): string[] {
  return [...new Set(questions.filter((q) => !q.manual).flatMap((q) => q.grades))].sort();
}

function cellsOf(assignment: LoadedAssignment, sub: SubmissionInput): { cells: ProgramCell[]; missing: string[]; duplicated?: Array<{ gradeId: string; cells: number[] }> } {
  if (sub.notebook) {
    if (!assignment.released) throw new Error(`assignment ${assignment.config.id} has no notebook, but ${sub.file} is one`);
    return programCells(assignment.released, sub.notebook);
  }
  if (sub.files) {
    if (assignment.releasedFiles) return programFiles(assignment.config.sources, assignment.releasedFiles, sub.files);
    throw new Error(`assignment ${assignment.config.id} is graded from a notebook, but ${sub.file} has none`);
  }
  throw new Error(`${sub.file}: nothing to grade`);
}

export function hashSubmission(cells: ProgramCell[]): string {
  const h = createHash("sha256");
  for (const c of cells) if (c.role === "solution") h.update(`${c.gradeId ?? c.file}\0${c.source}\0`);
  return h.digest("hex");
}

/** Top-level names declared in a notebook's scratch cells (code the grader ignores), by cell number. */
function scratchNames(nb: Notebook): Map<string, number> {
  const names = new Map<string, number>();
  for (const c of cellRoles(nb, { strict: false })) {
    if (c.role !== "scratch") continue;
    const sf = ts.createSourceFile("scratch.ts", c.source, ts.ScriptTarget.ES2022);
    for (const { name } of topLevelNames(sf)) names.set(name, c.index + 1);
  }
  return names;
}

interface Prepared {
  program: AssembledProgram;
  compiled: CompiledProgram;
  dir: string;
  jsFile: string;
}

/** The names assignment.json forbids anywhere, each once. */
function forbiddenNames(assignment: LoadedAssignment): string[] {
  return [...new Set(assignment.config.questions.flatMap((q) => q.forbids))];
}

function prepare(cells: ProgramCell[], assignment: LoadedAssignment): Prepared {
  const program = assembleProgram(cells);
  return written(program, compileProgram(program, gradedNames(assignment.config.questions), forbiddenNames(assignment)));
}

async function prepareWith(compile: NonNullable<GradeOptions["compile"]>, cells: ProgramCell[], assignment: LoadedAssignment): Promise<Prepared> {
  const program = assembleProgram(cells);
  return written(program, await compile(program, gradedNames(assignment.config.questions), forbiddenNames(assignment)));
}

/** The compiled program in a folder of its own, for the child to load. */
function written(program: AssembledProgram, compiled: CompiledProgram): Prepared {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-grade-"));
  const jsFile = join(dir, "submission.js");
  writeFileSync(jsFile, compiled.js);
  return { program, compiled, dir, jsFile };
}

const referenceCache = new WeakMap<LoadedAssignment, Prepared>();

/** The reference program, compiled once per loaded assignment. */
export function referenceProgram(assignment: LoadedAssignment): Prepared {
  const cached = referenceCache.get(assignment);
  if (cached) return cached;
  const cells = assignment.reference
    ? programCells(assignment.reference, assignment.reference).cells
    : assignment.referenceFiles
      ? programFiles(assignment.config.sources, assignment.referenceFiles, assignment.referenceFiles).cells
      : undefined;
  if (!cells) throw new Error(`${assignment.dir} has no reference solution (a student folder replays recorded answers instead)`);
  const prepared = prepare(cells, assignment);
  const undefinedName = gradedNames(assignment.config.questions).find((n) => !prepared.compiled.declaredIn.has(n));
  if (undefinedName) {
    rmSync(prepared.dir, { recursive: true, force: true });
    const q = assignment.config.questions.find((q) => q.grades.includes(undefinedName))!;
    throw new AssignmentError(`assignment.json: question "${q.id}" grades "${undefinedName}", which the reference solution does not define`);
  }
  const errors = prepared.compiled.diagnostics;
  if (errors.length) {
    rmSync(prepared.dir, { recursive: true, force: true });
    const first = errors[0];
    throw new AssignmentError(`the reference solution does not compile: ${first.origin ? describeOrigin(first.origin) : `line ${first.line}`}: ${first.message}`);
  }
  referenceCache.set(assignment, prepared);
  // Kept for the whole run (every submission's reference reads it); removed when the process ends.
  process.once("exit", () => rmSync(prepared.dir, { recursive: true, force: true }));
  return prepared;
}

/** Questions that cannot earn points before any test runs, with the reason. */
function blockedQuestions(assignment: LoadedAssignment, prepared: Prepared, scratch: Map<string, number>): Map<string, { outcome: Outcome; note: string }> {
  const blocked = new Map<string, { outcome: Outcome; note: string }>();
  const { compiled } = prepared;
  const firstSyntax = compiled.diagnostics.find((d) => d.syntax);
  for (const q of assignment.config.questions) {
    if (q.manual) continue;
    if (firstSyntax) {
      const where = firstSyntax.origin ? describeOrigin(firstSyntax.origin) : `line ${firstSyntax.line}`;
      blocked.set(q.id, { outcome: "compile-error", note: `your code does not compile (${where}: ${firstSyntax.message}), so none of it can run` });
      continue;
    }
    const cellsOfQ = new Set(q.grades.map((n) => compiled.declaredIn.get(n)).filter((c): c is number => c !== undefined));
    const typeError = compiled.diagnostics.find((d) => d.origin && cellsOfQ.has(d.origin.cell));
    if (typeError) {
      const missingName = /^Cannot find name '([^']+)'/.exec(typeError.message)?.[1];
      const scratchCell = missingName ? scratch.get(missingName) : undefined;
      const why = scratchCell !== undefined
        ? ` (${missingName} is defined in cell ${scratchCell}, which is not a solution cell: only solution cells are graded, so move it into one)`
        : " (the kernel would not run this cell either)";
      blocked.set(q.id, { outcome: "compile-error", note: `type error in ${describeOrigin(typeError.origin!)}: ${typeError.message}${why}` });
      continue;
    }
    const importProblem = prepared.program.problems.find((p) => cellsOfQ.has(p.origin.cell));
    if (importProblem) {
      blocked.set(q.id, { outcome: "compile-error", note: `${describeOrigin(importProblem.origin)}: ${importProblem.message}` });
      continue;
    }
    const forbidden = compiled.forbiddenUses.find((u) => q.forbids.includes(u.name) && u.origin && cellsOfQ.has(u.origin.cell));
    if (forbidden) {
      blocked.set(q.id, { outcome: "forbidden", note: `this question asks you to write ${q.grades.join(", ")} yourself, but ${describeOrigin(forbidden.origin!)} uses gradlab's own ${forbidden.name}` });
    }
  }
  return blocked;
}

function classify(e: unknown, prepared: Prepared): { outcome: Outcome; check: Check; summary: string } {
  if (e instanceof CheckStop) return { outcome: "wrong", check: { ok: false, message: e.message }, summary: "wrong answer" };
  if (e instanceof ChildFailure) return { outcome: e.outcome, check: { ok: false, message: e.message }, summary: e.message };
  if (e instanceof StudentError) {
    if (/^not implemented yet/.test(e.message)) {
      return { outcome: "not-implemented", check: { ok: false, message: e.message }, summary: "not implemented yet" };
    }
    const frames = studentFrames(e.studentStack, prepared.program, prepared.compiled);
    const message = `your code threw ${e.errorName}: ${e.message}${frames.length ? `\n  ${frames.join("\n  ")}` : ""}`;
    return { outcome: "error", check: { ok: false, message }, summary: `error: ${e.errorName}` };
  }
  const message = `grader fault: the test itself failed (${(e as Error)?.message ?? e}); this is not your mistake, tell the course staff`;
  return { outcome: "grader-fault", check: { ok: false, message }, summary: "grader fault" };
}

async function runTest(
  test: TestDefinition, student: Program, reference: Program, assignment: LoadedAssignment, prepared: Prepared,
): Promise<TestResult> {
  const started = Date.now();
  const t = new TestContext(student, reference, assignment.config.tolerance, test.seed);
  student.setTimeout(test.timeout ?? assignment.config.timeoutMs);
  reference.beginTest?.(`${test.question}\u0000${test.name}`);
  let failure: ReturnType<typeof classify> | undefined;
  try {
    await test.body(t);
  } catch (e) {
    failure = classify(e, prepared);
  }
  const checks = failure ? [...t.checks, failure.check] : t.checks;
  const passed = checks.filter((c) => c.ok).length;
  let score = 0, outcome: Outcome, summary: string;
  if (!failure && checks.length === 0) {
    failure = classify(new Error("it made no checks"), prepared);
  }
  if (failure) {
    outcome = failure.outcome;
    summary = failure.summary;
    if (test.partial && checks.length) score = (test.points * passed) / checks.length;
  } else if (passed === checks.length) {
    outcome = "passed";
    summary = "passed";
    score = test.points;
  } else {
    score = test.partial ? (test.points * passed) / checks.length : 0;
    outcome = score > 0 ? "partial" : "wrong";
    summary = score > 0 ? `partly right (${passed} of ${checks.length} checks)` : "wrong answer";
  }
  if (t.logs.length) checks.unshift(...t.logs.map((message) => ({ ok: true, message })));
  return {
    question: test.question, name: test.name, score: round(score), maxScore: test.points, visibility: test.visibility,
    outcome, seed: test.seed, durationMs: Date.now() - started, checks, summary,
  };
}

/** One line for a test that could not run. */
const BLOCKED_SUMMARY: Partial<Record<Outcome, string>> = {
  forbidden: "uses a forbidden gradlab name",
  "compile-error": "does not compile",
  timeout: "timed out",
  crash: "the program crashed",
  limit: "a limit was exceeded",
  error: "the program threw while loading",
  malformed: "malformed answer",
};

function blockSummary(block: { outcome: Outcome; summary?: string }): string {
  return block.summary ?? BLOCKED_SUMMARY[block.outcome] ?? block.outcome;
}

/** Timeouts in one question after which its remaining tests are not run. */
export const MAX_TIMEOUTS_PER_QUESTION = 2;

const round = (x: number) => Math.round(x * 1e4) / 1e4;

export async function gradeSubmission(
  assignment: LoadedAssignment, sub: SubmissionInput, factory: ProgramFactory, opts: GradeOptions = {},
): Promise<GradeResult> {
  const startedAt = new Date().toISOString();
  const started = Date.now();
  const { cells, missing, duplicated = [] } = cellsOf(assignment, sub);
  const prepared = opts.compile ? await prepareWith(opts.compile, cells, assignment) : prepare(cells, assignment);
  const reference = opts.reference ?? (assignment.reference || assignment.referenceFiles
    ? factory.reference(referenceProgram(assignment).jsFile)
    : new ReplayProgram(JSON.parse(readFileSync(assignment.recordingFile!, "utf8"))));
  const student = opts.trustedStudent ? opts.trustedStudent(prepared.jsFile) : factory.student(prepared.jsFile);
  const blocked = blockedQuestions(assignment, prepared, sub.notebook ? scratchNames(sub.notebook) : new Map());
  const tests: TestResult[] = [];
  // What the student's code printed before the first hidden test: after it, output could echo hidden inputs.
  let shownOutput: string | undefined;
  // A question whose code has timed out twice is not run again: each further test would only wait out
  // its own timeout (a class of endless loops would take hours); they score 0 as timed out.
  const timeouts = new Map<string, number>();
  const stalled = (question: string) => ((timeouts.get(question) ?? 0) >= MAX_TIMEOUTS_PER_QUESTION
    ? { outcome: "timeout" as Outcome, note: `not run: ${MAX_TIMEOUTS_PER_QUESTION} earlier tests of this question timed out (an endless loop?)`, summary: "not run after repeated timeouts" }
    : undefined);
  let output = "";
  try {
    if (prepared.compiled.runnable) {
      try {
        // Loading runs the program's top level once; if that throws, loops or dies, every test would
        // fail the same way after waiting for its own fresh child, so they all get the reason now.
        student.setTimeout(assignment.config.timeoutMs);
        await student.load();
        // A graded name that is, or extends, a gradlab class the question forbids (caught at run time).
        const inspection = await student.inspect(gradedNames(assignment.config.questions));
        for (const q of assignment.config.questions) {
          if (blocked.has(q.id)) continue;
          const hit = q.grades.find((n) => {
            const id = inspection[n]?.gradlabIdentity;
            return id && q.forbids.includes(id);
          });
          if (hit) blocked.set(q.id, { outcome: "forbidden", note: `${hit} is gradlab's own ${inspection[hit].gradlabIdentity} (or extends it); this question asks you to write it yourself` });
        }
      } catch (e) {
        const { outcome, check } = classify(e, prepared);
        for (const q of assignment.config.questions) {
          if (!q.manual && !blocked.has(q.id)) blocked.set(q.id, { outcome, note: `your code failed while loading, before any test ran: ${check.message}` });
        }
      }
    }
    for (const test of assignment.tests.filter((t) => !opts.visibleOnly || t.visibility === "visible")) {
      if (test.visibility !== "visible" && shownOutput === undefined) shownOutput = student.output();
      const block = blocked.get(test.question) ?? stalled(test.question);
      const result: TestResult = block
        ? { question: test.question, name: test.name, score: 0, maxScore: test.points, visibility: test.visibility, outcome: block.outcome,
          seed: test.seed, durationMs: 0, checks: [{ ok: false, message: block.note }], summary: blockSummary(block) }
        : await runTest(test, student, reference, assignment, prepared);
      tests.push(result);
      if (result.outcome === "timeout") timeouts.set(test.question, (timeouts.get(test.question) ?? 0) + 1);
      opts.onTest?.(result);
    }
  } finally {
    output = shownOutput ?? student.output();
    await student.close();
    await reference.close();
    rmSync(prepared.dir, { recursive: true, force: true });
  }
  const questions: QuestionResult[] = assignment.config.questions.map((q) => {
    const mine = tests.filter((t) => t.question === q.id);
    const note = blocked.get(q.id)?.note ?? (q.manual ? "graded by a teaching assistant" : undefined);
    return { id: q.id, title: q.title, score: round(mine.reduce((s, t) => s + t.score, 0)), maxScore: q.points, manual: q.manual, note };
  });
  const raw = round(questions.reduce((s, q) => s + q.score, 0));
  const late = lateness(sub.submittedAt, assignment.config.due, assignment.config.latePolicy);
  return {
    assignment: { id: assignment.config.id, title: assignment.config.title, version: assignment.version },
    submission: { id: sub.id, sha256: hashSubmission(cells), file: sub.file, submittedAt: sub.submittedAt },
    score: round(raw * (1 - late.penalty)),
    maxScore: totalPoints(assignment.config),
    late: late.days > 0 ? late : undefined,
    questions,
    tests,
    compile: {
      ok: prepared.compiled.diagnostics.length === 0 && prepared.program.problems.length === 0,
      diagnostics: [
        ...prepared.program.problems.map((p) => ({ cell: p.origin.cell, gradeId: p.origin.gradeId, line: p.origin.line, column: 1, message: p.message })),
        ...prepared.compiled.diagnostics.map((d) => ({ cell: d.origin?.cell, gradeId: d.origin?.gradeId, line: d.origin?.line ?? d.line, column: d.column, message: d.message })),
        ...duplicated.map((d) => ({ cell: d.cells[d.cells.length - 1], gradeId: d.gradeId, line: 0, column: 0,
          message: `solution cell "${d.gradeId}" appears ${d.cells.length} times (cells ${d.cells.join(", ")}); the last one is graded: delete the others` })),
        ...missing.map((id) => ({ gradeId: id, line: 0, column: 0, message: sub.notebook
          ? `solution cell "${id}" is missing from your notebook; graded as released`
          : `${id} is missing from your submission; graded as released` })),
      ],
    },
    sandbox: factory.sandbox.description,
    unsandboxed: factory.sandbox.unsandboxed,
    studentOutput: output,
    versions: { gradlab: GRADLAB_VERSION, node: process.version, assignment: assignment.version },
    startedAt,
    executionMs: Date.now() - started,
  };
}


/**
 * Runs the visible tests with the reference as the submission, recording the reference's answers for
 * `gradlab check`; fails unless the reference passes every visible test (a test that fails the reference
 * would mislead every student).
 */
export async function recordReference(assignment: LoadedAssignment, factory: ProgramFactory): Promise<Recording> {
  if (!assignment.reference && !assignment.referenceFiles) throw new Error(`${assignment.dir}: recording needs the reference solution`);
  const ref = referenceProgram(assignment);
  const recorder = new RecordingProgram(factory.reference(ref.jsFile));
  const result = await gradeSubmission(
    assignment,
    { id: "reference", file: assignment.config.notebook ?? "reference", notebook: assignment.reference, files: assignment.referenceFiles },
    factory,
    { reference: recorder, trustedStudent: (js) => factory.reference(js), visibleOnly: true },
  );
  const failed = result.tests.filter((t) => t.outcome !== "passed");
  if (failed.length) {
    const first = failed[0];
    throw new AssignmentError(`the reference solution fails visible test "${first.question}: ${first.name}": ${first.checks.find((c) => !c.ok)?.message ?? first.summary}`);
  }
  return recorder.recording();
}
