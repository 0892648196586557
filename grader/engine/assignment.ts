/**
 * An assignment as the engine needs it, from any of the three folders it can be graded from:
 *  - the autograder bundle (`gradlab release` → dist/autograder/<id>): reference/ and release/ notebooks, all tests;
 *  - the instructor's source folder (assignments/<id>): the notebook with solutions, all tests;
 *  - a student's folder (dist/student/<id>): the student's notebook, visible tests, recorded reference answers.
 */
import { createHash } from "crypto";
import { existsSync, readdirSync, readFileSync } from "fs";
import { join } from "path";
import { AssignmentConfig, loadAssignmentConfig } from "../config/assignment";
import { TestDefinition } from "../api/registry";
import { parseNotebook, Notebook } from "../../kernel/runner/nbformat";
import { cellRoles, stripSolutions } from "../notebook/cells";
import { STUDENT_RELEASE_DIR } from "../release/release";
import { loadTests, hasHiddenTests } from "./load-tests";
import { ProgramCell } from "../program/assemble";

export type AssignmentKind = "bundle" | "source" | "student";

/** An assignment folder that cannot be graded as it is (the message says what to fix, and where). */
export class AssignmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AssignmentError";
  }
}

export interface LoadedAssignment {
  dir: string;
  kind: AssignmentKind;
  config: AssignmentConfig;
  tests: TestDefinition[];
  /** The notebook whose provided cells are graded (the release's; in a student folder, their own). */
  released?: Notebook;
  /** The notebook with the solutions (absent in a student folder). */
  reference?: Notebook;
  /** For assignments written as .ts files ("sources"): path → text with the solutions, and as released. */
  referenceFiles?: Map<string, string>;
  releasedFiles?: Map<string, string>;
  /** Recorded reference answers for the visible tests (student folder only). */
  recordingFile?: string;
  /** A hash of assignment.json and every test file: which version of the assignment graded this. */
  version: string;
  /** Whether hidden tests exist that this folder does not run (student folder). */
  hiddenElsewhere: number;
}

export const RECORDING_FILE = join("tests", "public", "reference-answers.json");

function readNotebook(path: string): Notebook {
  return parseNotebook(readFileSync(path, "utf8"), path);
}

function versionOf(dir: string): string {
  const h = createHash("sha256");
  const add = (p: string) => {
    if (!existsSync(p)) return;
    h.update(p.slice(dir.length));
    h.update(readFileSync(p));
  };
  add(join(dir, "assignment.json"));
  for (const sub of ["public", "hidden"]) {
    const d = join(dir, "tests", sub);
    if (existsSync(d)) for (const f of readdirSync(d).sort()) add(join(d, f));
  }
  return h.digest("hex").slice(0, 12);
}

export function loadAssignment(dir: string): LoadedAssignment {
  const configFile = join(dir, "assignment.json");
  if (!existsSync(configFile)) throw new AssignmentError(`${dir} is not an assignment folder: it has no assignment.json`);
  const config = loadAssignmentConfig(configFile);
  const nbName = config.notebook;
  const kind: AssignmentKind = existsSync(join(dir, "reference")) ? "bundle" : hasHiddenTests(dir) || !existsSync(join(dir, RECORDING_FILE)) ? "source" : "student";
  let released: Notebook | undefined, reference: Notebook | undefined;
  if (nbName) {
    if (kind === "bundle") {
      reference = readNotebook(join(dir, "reference", nbName));
      released = readNotebook(join(dir, "release", nbName));
    } else if (kind === "source") {
      reference = readNotebook(join(dir, nbName));
      released = reference;
    } else {
      // The released copy, not the student's own (whose provided cells they may have changed).
      const pristine = join(dir, STUDENT_RELEASE_DIR, nbName);
      released = readNotebook(existsSync(pristine) ? pristine : join(dir, nbName));
    }
  }
  let referenceFiles: Map<string, string> | undefined, releasedFiles: Map<string, string> | undefined;
  if (config.sources.length) {
    const read = (sub: string) => new Map(config.sources.map((f) => [f, readFileSync(join(dir, sub, f), "utf8")]));
    if (kind === "bundle") {
      referenceFiles = read("reference");
      releasedFiles = read("release");
    } else if (kind === "source") {
      referenceFiles = read("");
      releasedFiles = new Map([...referenceFiles].map(([f, text]) => [f, stripSolutions(text, f)]));
    } else {
      releasedFiles = read(existsSync(join(dir, STUDENT_RELEASE_DIR)) ? STUDENT_RELEASE_DIR : "");
    }
  }
  const tests = loadTests(dir, { hidden: kind !== "student" });
  checkTests(config, tests, kind, configFile);
  checkForbids(config, configFile);
  const meta = join(dir, "hidden-tests.json");
  const hiddenElsewhere = kind === "student" && existsSync(meta) ? Number(JSON.parse(readFileSync(meta, "utf8")).count) || 0 : 0;
  return {
    dir, kind, config, tests, released, reference, referenceFiles, releasedFiles, version: versionOf(dir), hiddenElsewhere,
    recordingFile: kind === "student" ? join(dir, RECORDING_FILE) : undefined,
  };
}

/** The graded program's cells: provided cells from `released`, solution cells from `student` (by grade_id). */
export function programCells(released: Notebook, student: Notebook): { cells: ProgramCell[]; missing: string[]; duplicated: Array<{ gradeId: string; cells: number[] }> } {
  // Cell numbers in messages are the student's own (their notebook may have extra scratch cells).
  // A duplicated solution cell (copied to try a fix) counts as the notebook would run it: the last one.
  const theirs = new Map<string, { source: string; cell: number }>();
  const copies = new Map<string, number[]>();
  for (const c of cellRoles(student, { strict: false })) {
    if (c.role !== "solution" || !c.gradeId) continue;
    theirs.set(c.gradeId, { source: c.source, cell: c.index + 1 });
    copies.set(c.gradeId, [...(copies.get(c.gradeId) ?? []), c.index + 1]);
  }
  const duplicated = [...copies].filter(([, cells]) => cells.length > 1).map(([gradeId, cells]) => ({ gradeId, cells }));
  const cells: ProgramCell[] = [];
  const missing: string[] = [];
  for (const c of cellRoles(released)) {
    if (c.role === "provided") cells.push({ cell: c.index + 1, role: "provided", source: c.source });
    if (c.role === "solution") {
      const mine = c.gradeId ? theirs.get(c.gradeId) : undefined;
      if (mine === undefined) missing.push(c.gradeId ?? `cell ${c.index + 1}`);
      // A solution cell the student deleted is graded as released: the stub.
      cells.push({ cell: mine?.cell ?? c.index + 1, role: "solution", gradeId: c.gradeId, source: mine?.source ?? c.source });
    }
  }
  return { cells, missing, duplicated };
}

/** Every test names a question of assignment.json, and (where all tests are here) each question's tests add up to its points. */
function checkTests(config: AssignmentConfig, tests: TestDefinition[], kind: AssignmentKind, file: string): void {
  const questions = new Map(config.questions.map((q) => [q.id, q]));
  for (const t of tests) {
    const q = questions.get(t.question);
    if (!q) throw new AssignmentError(`${t.file}: question("${t.question}") is not a question of ${file} (${[...questions.keys()].join(", ")})`);
    if (q.manual) throw new AssignmentError(`${t.file}: question "${t.question}" is graded by hand ("manual": true) and cannot have tests`);
  }
  if (kind === "student") return; // students have only the visible tests
  for (const q of config.questions) {
    if (q.manual) continue;
    const sum = tests.filter((t) => t.question === q.id).reduce((s, t) => s + t.points, 0);
    if (Math.abs(sum - q.points) > 1e-9) {
      throw new AssignmentError(`${file}: question "${q.id}" is worth ${q.points} points but its tests add up to ${sum}`);
    }
  }
}

/** The graded program of a .ts-file assignment: each file of "sources", the student's copy or (missing) the release's. */
export function programFiles(sources: string[], released: Map<string, string>, student: Map<string, string>): { cells: ProgramCell[]; missing: string[] } {
  const missing: string[] = [];
  const cells = sources.map((file, i): ProgramCell => {
    const mine = student.get(file);
    if (mine === undefined) missing.push(file);
    return { cell: i + 1, role: "solution", file, source: mine ?? released.get(file) ?? "" };
  });
  return { cells, missing };
}

/** Every name a question forbids is one of gradlab's exports: a misspelt ban would silently ban nothing. */
function checkForbids(config: AssignmentConfig, file: string): void {
  const gradlab = require("../../lib") as Record<string, unknown>;
  const exists = (name: string) => {
    const [ns, member] = name.includes(".") ? name.split(".", 2) : [undefined, name];
    const scope = ns ? gradlab[ns] : gradlab;
    return !!scope && typeof scope === "object" && member in (scope as object) || (!ns && name in gradlab);
  };
  config.questions.forEach((q, i) => {
    const bad = q.forbids.find((n) => !exists(n));
    if (bad) throw new AssignmentError(`${file}: questions[${i}].forbids: gradlab has no export named "${bad}"`);
  });
}
