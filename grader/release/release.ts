/**
 * `gradlab release`: turns an instructor's assignment folder (reference solutions in solution regions,
 * public and hidden tests, assignment.json) into the two things that leave it:
 *
 *   <out>/student/<id>/     what students get: the notebook (or .ts files) with stubs, tests/public/, an
 *                           assignment.json without grading internals, a package.json and a README
 *   <out>/autograder/<id>/  what graders keep: reference/ (solutions intact), tests/ (public and hidden),
 *                           assignment.json, release/ (the notebook exactly as students got it: the grader
 *                           takes provided cells from here, never from a submission), bundle.json
 *
 * The student side is built only from allow-lists (named fields, tests/public), so a file or field added to
 * the assignment later stays on the grader's side until someone decides otherwise.
 */
import { ConfigError, parseAssignmentConfig } from "../config/assignment";
import { packageRoot } from "../../lib/data/package-root";
import { createHash } from "crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "fs";
import { dirname, join, posix, relative, resolve, sep } from "path";
import * as ts from "typescript";
import { parseNotebook, serializeNotebook } from "../../kernel/runner/nbformat";
import { releaseNotebook, stripSolutions } from "../notebook/cells";
import { studentReadme } from "./readme";

export interface ReleaseOptions {
  /** The output folder; student/<id> and autograder/<id> are (re)made inside it. */
  out: string;
  /** The gradlab dependency written into the student package.json (default "^<this gradlab's version>"). */
  gradlabSpec?: string;
}

export interface ReleaseResult {
  id: string;
  studentDir: string;
  autograderDir: string;
  /** "/"-separated paths relative to each folder, sorted. */
  studentFiles: string[];
  autograderFiles: string[];
}

/** A problem with the assignment folder; the message says which file and what to do. */
/** Where a student folder keeps the notebook as released (gradlab check takes the provided cells from it). */
export const STUDENT_RELEASE_DIR = ".gradlab";

export class ReleaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReleaseError";
  }
}

/** The fields of assignment.json this step reads; the rest is kept for the grader as written. */
export interface AssignmentConfig {
  id: string;
  title?: string;
  notebook?: string;
  /** For assignments written as .ts files rather than a notebook. */
  sources?: string[];
  questions?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

/** What students may see of assignment.json: `gradlab check` needs the questions' ids, exports and limits. */
const STUDENT_FIELDS = ["id", "title", "notebook", "sources", "due", "late_policy", "tolerance", "timeout_ms", "questions"];
const STUDENT_QUESTION_FIELDS = ["id", "title", "points", "manual", "grades", "forbids", "cells"];

function pick(obj: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (obj[key] !== undefined) out[key] = obj[key];
  return out;
}

export function studentConfig(config: AssignmentConfig): Record<string, unknown> {
  const out = pick(config, STUDENT_FIELDS);
  if (Array.isArray(config.questions)) out.questions = config.questions.map((q) => pick(q, STUDENT_QUESTION_FIELDS));
  return out;
}

/** A relative path inside the assignment folder, or a ReleaseError saying which field is wrong. */
function insidePath(dir: string, rel: unknown, field: string): string {
  if (typeof rel !== "string" || rel === "") throw new ReleaseError(`assignment.json: "${field}" must be a relative path`);
  const full = resolve(dir, rel);
  if (!full.startsWith(resolve(dir) + sep)) throw new ReleaseError(`assignment.json: "${field}" (${rel}) is outside the assignment folder`);
  if (!existsSync(full)) throw new ReleaseError(`assignment.json: "${field}" names ${rel}, which does not exist`);
  return full;
}

export function readAssignmentConfig(dir: string): AssignmentConfig {
  const file = join(dir, "assignment.json");
  if (!existsSync(file)) throw new ReleaseError(`${dir}: no assignment.json (is this an assignment folder?)`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new ReleaseError(`${file}: invalid JSON (${(err as Error).message})`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new ReleaseError(`${file}: must be a JSON object`);
  try {
    parseAssignmentConfig(raw, file); // the grader's validation: an error names the field
  } catch (err) {
    if (err instanceof ConfigError) throw new ReleaseError(err.message);
    throw err;
  }
  const config = raw as AssignmentConfig;
  if (typeof config.id !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(config.id)) {
    throw new ReleaseError(`${file}: "id" must be a name of letters, digits, ".", "_" and "-" (it names the output folders)`);
  }
  if (config.notebook === undefined && config.sources === undefined) {
    throw new ReleaseError(`${file}: give "notebook" (the .ipynb students complete) or "sources" (the .ts files)`);
  }
  if (config.sources !== undefined && !Array.isArray(config.sources)) throw new ReleaseError(`${file}: "sources" must be a list of .ts paths`);
  return config;
}

/** This gradlab's version (works from source and dist/). */
export function gradlabVersion(): string {
  return String(JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")).version);
}

/** Every file below `dir`, as sorted "/"-separated relative paths. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(dir, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(join(dir, r)).isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk("");
  return out.sort();
}

function write(root: string, rel: string, data: string | Buffer): void {
  const file = join(root, ...rel.split("/"));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, data);
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

/** The package.json that makes `npm install` fetch gradlab (its kernel and `gradlab check`). */
function studentPackageJson(config: AssignmentConfig, gradlabSpec: string): string {
  return json({
    name: config.id.toLowerCase(),
    version: "1.0.0",
    private: true,
    description: config.title ?? config.id,
    scripts: { check: "gradlab check" },
    dependencies: { gradlab: gradlabSpec },
  });
}

/**
 * A public test that imports a file students do not get (a hidden test, a helper beside tests/public) would
 * fail on every student's machine, or ship nothing useful: refuse it at release time, naming both files.
 */
export function checkPublicImports(rel: string, source: string): void {
  for (const { fileName } of ts.preProcessFile(source, true, true).importedFiles) {
    if (!fileName.startsWith(".")) continue; // a package ("gradlab/grader")
    const target = posix.normalize(posix.join(posix.dirname(`tests/${rel}`), fileName));
    if (!target.startsWith("tests/public/")) {
      throw new ReleaseError(`tests/${rel} imports "${fileName}" (${target}), which students do not get; public tests may import only from tests/public/ and packages`);
    }
  }
}

/** Releases the assignment in `assignmentDir`; see the module comment for what is written where. */
export function releaseAssignment(assignmentDir: string, options: ReleaseOptions): ReleaseResult {
  const dir = resolve(assignmentDir);
  const config = readAssignmentConfig(dir);
  const version = gradlabVersion();
  const studentDir = resolve(options.out, "student", config.id);
  const autograderDir = resolve(options.out, "autograder", config.id);
  // Build everything in memory first: an authoring error must not leave half a release behind.
  const student = new Map<string, string | Buffer>();
  const autograder = new Map<string, string | Buffer>();
  if (config.notebook !== undefined) {
    const path = insidePath(dir, config.notebook, "notebook");
    const rel = relative(dir, path).split(sep).join("/");
    const text = readFileSync(path, "utf8");
    const released = serializeNotebook(releaseNotebook(parseNotebook(text, rel), rel));
    student.set(rel, released);
    // gradlab check builds the program from this pristine copy, as the grader does from release/.
    student.set(`${STUDENT_RELEASE_DIR}/${rel}`, released);
    autograder.set(`reference/${rel}`, text);
    autograder.set(`release/${rel}`, released);
  }
  (config.sources ?? []).forEach((source, i) => {
    const path = insidePath(dir, source, `sources[${i}]`);
    const rel = relative(dir, path).split(sep).join("/");
    const text = readFileSync(path, "utf8");
    const released = stripSolutions(text, rel);
    student.set(rel, released);
    // gradlab check builds the program from this pristine copy, as the grader does from release/.
    student.set(`${STUDENT_RELEASE_DIR}/${rel}`, released);
    autograder.set(`reference/${rel}`, text);
    autograder.set(`release/${rel}`, released);
  });
  const tests = join(dir, "tests");
  const testFiles = existsSync(tests) ? listFiles(tests) : [];
  for (const rel of testFiles) {
    const data = readFileSync(join(tests, ...rel.split("/"))); // bytes: tests may come with binary fixtures
    autograder.set(`tests/${rel}`, data);
    if (!rel.startsWith("public/")) continue;
    if (/\.[cm]?[jt]sx?$/.test(rel)) checkPublicImports(rel, data.toString("utf8"));
    student.set(`tests/${rel}`, data);
  }
  const configText = readFileSync(join(dir, "assignment.json"), "utf8");
  autograder.set("assignment.json", configText);
  student.set("assignment.json", json(studentConfig(config)));
  const gradlabSpec = options.gradlabSpec ?? `^${version}`;
  student.set("package.json", studentPackageJson(config, gradlabSpec));
  student.set("README.md", studentReadme(config, [...student.keys()]));
  const files: Record<string, string> = {};
  for (const [rel, text] of [...autograder].sort(([a], [b]) => (a < b ? -1 : 1))) files[rel] = createHash("sha256").update(text).digest("hex");
  autograder.set("bundle.json", json({ assignment: config.id, title: config.title ?? config.id, gradlab: version, studentGradlabSpec: gradlabSpec, files }));

  for (const [root, contents] of [[studentDir, student], [autograderDir, autograder]] as const) {
    rmSync(root, { recursive: true, force: true }); // a stale file from an earlier release must not survive
    for (const [rel, text] of contents) write(root, rel, text);
  }
  return { id: config.id, studentDir, autograderDir, studentFiles: listFiles(studentDir), autograderFiles: listFiles(autograderDir) };
}
