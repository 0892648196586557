/**
 * `question(...)` and `test(...)`: how an instructor's test file declares its tests. Loading a test file
 * only records them (nothing runs at load), the way jest's `describe`/`it` do, so the engine can count
 * points, check them against assignment.json and run the tests in a fixed order.
 */
import type { Visibility } from "../config/assignment";
import type { TestContext } from "./context";

export interface TestOptions {
  /** Points this test is worth; a question's tests add up to its points in assignment.json. */
  points: number;
  /** Gradescope's visibility; default "visible" in tests/public, "hidden" in tests/hidden. */
  visibility?: Visibility;
  /** CPU time each call into the student's code may use, in ms (default: assignment.json's timeout_ms); a call
   *  that waits without computing ends after 10× that, at least 5 s, of wall-clock time. */
  timeout?: number;
  /** Seed of `t.rng`; default: derived from the test's name, so it never changes by accident. */
  seed?: number;
  /** Partial credit: points × passed checks / checks. Default: all or nothing. */
  partial?: boolean;
}

export type TestBody = (t: TestContext) => Promise<void> | void;

export interface TestDefinition {
  question: string;
  name: string;
  points: number;
  visibility: Visibility;
  timeout?: number;
  seed: number;
  partial: boolean;
  body: TestBody;
  /** The test file it came from, for error messages. */
  file: string;
}

interface Collector {
  file: string;
  defaultVisibility: Visibility;
  tests: TestDefinition[];
  question: string | null;
}

let collector: Collector | null = null;

/** A stable 31-bit seed from a test's name (FNV-1a), so adding a test does not reseed the others. */
export function seedFromName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x7fffffff;
}

export class TestFileError extends Error {
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = "TestFileError";
  }
}

function active(what: string): Collector {
  if (!collector) throw new Error(`${what} can only be called while gradlab loads a test file`);
  return collector;
}

/** Groups the tests of one question of assignment.json. */
export function question(id: string, declare: () => void): void {
  const c = active("question()");
  if (c.question) throw new TestFileError(c.file, `question("${id}") inside question("${c.question}"): questions do not nest`);
  if (typeof id !== "string" || !id) throw new TestFileError(c.file, "question() needs the question's id from assignment.json");
  c.question = id;
  try {
    declare();
  } finally {
    c.question = null;
  }
}

/** Declares one test of the current question. */
export function test(name: string, options: TestOptions, body: TestBody): void {
  const c = active("test()");
  const where = `test "${name}"`;
  if (!c.question) throw new TestFileError(c.file, `${where} is outside question(...)`);
  if (typeof body !== "function") throw new TestFileError(c.file, `${where} has no body`);
  if (!options || typeof options.points !== "number" || !(options.points >= 0)) {
    throw new TestFileError(c.file, `${where}: options.points must be a number ≥ 0`);
  }
  const visibility = options.visibility ?? c.defaultVisibility;
  if (c.defaultVisibility !== "visible" && visibility === "visible") {
    throw new TestFileError(c.file, `${where} is marked visible but lives with the hidden tests; move it to tests/public`);
  }
  if (c.defaultVisibility === "visible" && visibility !== "visible") {
    throw new TestFileError(c.file, `${where} is ${visibility} but lives in tests/public, which students receive; move it to tests/hidden`);
  }
  const fullName = `${c.question}: ${name}`;
  if (c.tests.some((t) => t.question === c.question && t.name === name)) {
    throw new TestFileError(c.file, `${where} is declared twice in question "${c.question}"`);
  }
  c.tests.push({
    question: c.question,
    name,
    points: options.points,
    visibility,
    timeout: options.timeout,
    seed: options.seed ?? seedFromName(fullName),
    partial: options.partial ?? false,
    body,
    file: c.file,
  });
}

/** Runs `load` (which evaluates one test file) and returns the tests it declared. */
export function collectTests(file: string, defaultVisibility: Visibility, load: () => void): TestDefinition[] {
  if (collector) throw new Error("collectTests does not nest");
  collector = { file, defaultVisibility, tests: [], question: null };
  try {
    load();
    return collector.tests;
  } finally {
    collector = null;
  }
}
