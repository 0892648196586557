/**
 * assignment.json: what an assignment is graded on. Read once per grading run and validated field by
 * field, so an instructor's typo is an error that names the field ("questions[2].points: expected a
 * positive number, got "5"") instead of a grade silently computed from a default.
 */
import { readFileSync } from "fs";

export type Visibility = "visible" | "hidden" | "after_due_date" | "after_published";
export const VISIBILITIES: readonly Visibility[] = ["visible", "hidden", "after_due_date", "after_published"];

export interface LatePolicy {
  /** Minutes after the due time that still count as on time. */
  graceMinutes: number;
  /** Fraction of the score taken per started day late (0.1 = 10 %). */
  perDay: number;
  /** After this many days late a submission scores 0. */
  maxDays: number;
}

export interface Tolerance {
  /** Largest relative error |a−b| / max(1e-8, |a|+|b|) between a student's value and the reference's. */
  relError: number;
  /** Largest relative error between a student's backward and centred differences of their own forward. */
  gradcheckRelError: number;
  /** Absolute differences below this always pass (rounding noise near 0). */
  atol: number;
}

export interface Question {
  id: string;
  title: string;
  points: number;
  /** Graded by a teaching assistant (written answers), not by tests. */
  manual: boolean;
  /** Identifiers of the student's program this question grades (exported to the tests). */
  grades: string[];
  /** gradlab exports the student may not use for this question ("MultiplyGate", "nn.Linear"). */
  forbids: string[];
  /** Notebook cells (grade_id) that hold the answer of a manual question. */
  cells: string[];
}

export interface AssignmentConfig {
  id: string;
  title: string;
  /** The assignment's notebook, relative to the assignment folder (absent for .ts-file assignments). */
  notebook?: string;
  /** The .ts files students complete (assignments written as files rather than a notebook). */
  sources: string[];
  /** ISO 8601 due time with its offset. */
  due?: string;
  latePolicy: LatePolicy;
  tolerance: Tolerance;
  /** CPU-time budget of one request to the student's code (ms); grader/sandbox/call-budget.ts. */
  timeoutMs: number;
  questions: Question[];
}

export class ConfigError extends Error {
  constructor(readonly file: string, readonly field: string, problem: string) {
    super(`${file}: ${field}: ${problem}`);
    this.name = "ConfigError";
  }
}

type Json = unknown;
const show = (v: Json) => (typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v) ?? String(v));

/** Reads fields of one JSON object, each with its type, and complains about any field it did not read. */
class Fields {
  private readonly used = new Set<string>();
  constructor(private readonly file: string, private readonly path: string, private readonly obj: Record<string, Json>) {}

  static of(file: string, path: string, v: Json): Fields {
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      throw new ConfigError(file, path || "(top level)", `expected an object, got ${show(v)}`);
    }
    return new Fields(file, path, v as Record<string, Json>);
  }

  private name(key: string): string {
    return this.path ? `${this.path}.${key}` : key;
  }

  fail(key: string, problem: string): never {
    throw new ConfigError(this.file, this.name(key), problem);
  }

  raw(key: string): Json {
    this.used.add(key);
    return this.obj[key];
  }

  string(key: string, fallback?: string): string {
    const v = this.raw(key);
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== "string" || v.trim() === "") this.fail(key, `expected a non-empty string, got ${show(v)}`);
    return v;
  }

  optionalString(key: string): string | undefined {
    return this.raw(key) === undefined ? undefined : this.string(key);
  }

  number(key: string, fallback: number | undefined, check: (n: number) => boolean, what: string): number {
    const v = this.raw(key);
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== "number" || !Number.isFinite(v) || !check(v)) this.fail(key, `expected ${what}, got ${show(v)}`);
    return v;
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.raw(key);
    if (v === undefined) return fallback;
    if (typeof v !== "boolean") this.fail(key, `expected true or false, got ${show(v)}`);
    return v;
  }

  strings(key: string): string[] {
    const v = this.raw(key);
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((s) => typeof s !== "string" || s === "")) {
      this.fail(key, `expected a list of names, got ${show(v)}`);
    }
    return v as string[];
  }

  object(key: string): Fields | undefined {
    const v = this.raw(key);
    return v === undefined ? undefined : Fields.of(this.file, this.name(key), v);
  }

  /**
   * Unknown fields are mistakes (a misspelt "pionts" would otherwise be ignored). Allowed: "$schema", and
   * notes for the course staff in fields starting with "_" (JSON has no comments; never released).
   */
  done(): void {
    for (const key of Object.keys(this.obj)) {
      if (!this.used.has(key) && key !== "$schema" && !key.startsWith("_")) this.fail(key, "unknown field (notes for the staff go in fields starting with \"_\")");
    }
  }
}

/** An ISO 8601 time that says its offset ("…Z", "…-04:00"): a bare local time means different instants on different machines. */
export function isTimeWithOffset(text: string): boolean {
  return /[zZ]|[+-]\d\d:\d\d$/.test(text) && !Number.isNaN(Date.parse(text));
}

const positive = (n: number) => n > 0;
const nonNegative = (n: number) => n >= 0;
const ID = /^[A-Za-z0-9_.-]+$/;

function readQuestion(file: string, path: string, v: Json): Question {
  const f = Fields.of(file, path, v);
  const id = f.string("id");
  if (!ID.test(id)) f.fail("id", `use letters, digits, '-', '_' or '.', got ${show(id)}`);
  const q: Question = {
    id,
    title: f.string("title", id),
    points: f.number("points", undefined, positive, "a positive number"),
    manual: f.boolean("manual", false),
    grades: f.strings("grades"),
    forbids: f.strings("forbids"),
    cells: f.strings("cells"),
  };
  f.done();
  const bad = q.grades.find((n) => !/^[A-Za-z_$][\w$]*$/.test(n));
  if (bad !== undefined) f.fail("grades", `${show(bad)} is not a TypeScript identifier`);
  if (q.manual && q.grades.length) f.fail("grades", "a manual question is graded by a person, not by tests");
  if (!q.manual && q.grades.length === 0) f.fail("grades", "name the identifiers this question grades (or set \"manual\": true)");
  return q;
}

/** Validates a parsed assignment.json; `file` names it in errors. */
export function parseAssignmentConfig(json: Json, file = "assignment.json"): AssignmentConfig {
  const f = Fields.of(file, "", json);
  const id = f.string("id");
  if (!ID.test(id)) f.fail("id", `use letters, digits, '-', '_' or '.', got ${show(id)}`);
  const title = f.string("title");
  const notebook = f.optionalString("notebook");
  const sources = f.strings("sources");
  const due = f.optionalString("due");
  if (due !== undefined && !isTimeWithOffset(due)) {
    f.fail("due", `expected an ISO 8601 time with its offset ("2026-10-02T23:59:00-04:00"), got ${show(due)}`);
  }
  const late = f.object("late_policy");
  const latePolicy: LatePolicy = {
    graceMinutes: late?.number("grace_minutes", 0, nonNegative, "minutes ≥ 0") ?? 0,
    perDay: late?.number("per_day", 0, (n) => n >= 0 && n <= 1, "a fraction between 0 and 1") ?? 0,
    maxDays: late?.number("max_days", Infinity, nonNegative, "days ≥ 0") ?? Infinity,
  };
  late?.done();
  const tol = f.object("tolerance");
  const tolerance: Tolerance = {
    relError: tol?.number("rel_error", 1e-7, positive, "a positive number") ?? 1e-7,
    gradcheckRelError: tol?.number("gradcheck_rel_error", 1e-5, positive, "a positive number") ?? 1e-5,
    atol: tol?.number("atol", 1e-10, nonNegative, "a number ≥ 0") ?? 1e-10,
  };
  tol?.done();
  const timeoutMs = f.number("timeout_ms", 10_000, (n) => n >= 10 && n <= 600_000, "milliseconds between 10 and 600000");
  const rawQuestions = f.raw("questions");
  if (!Array.isArray(rawQuestions) || rawQuestions.length === 0) f.fail("questions", "expected a non-empty list of questions");
  const questions = (rawQuestions as Json[]).map((q, i) => readQuestion(file, `questions[${i}]`, q));
  f.done();
  const seen = new Set<string>();
  questions.forEach((q, i) => {
    if (seen.has(q.id)) throw new ConfigError(file, `questions[${i}].id`, `${show(q.id)} is used twice`);
    seen.add(q.id);
  });
  return { id, title, notebook, sources, due, latePolicy, tolerance, timeoutMs, questions };
}

export function loadAssignmentConfig(path: string): AssignmentConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ConfigError(path, "(file)", `cannot read it: ${(e as Error).message}`);
  }
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(path, "(file)", `not valid JSON: ${(e as Error).message}`);
  }
  return parseAssignmentConfig(json, path);
}

export function totalPoints(config: AssignmentConfig): number {
  return config.questions.reduce((s, q) => s + q.points, 0);
}
