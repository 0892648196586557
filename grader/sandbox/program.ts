/**
 * What the grading engine sees of a program: the student's (in a locked-down child process) or the
 * reference (in the grader's own process). Both answer with plain data decoded from the wire format,
 * so a test compares like with like and never touches a student's object.
 */

/** Why a test could not get an answer from the student's code (the report keeps these apart). */
export type FailureOutcome = "timeout" | "limit" | "malformed" | "crash" | "grader-fault";

/** The child failed as a process: timed out, hit a limit, crashed, or answered nonsense. */
export class ChildFailure extends Error {
  constructor(readonly outcome: FailureOutcome, message: string) {
    super(message);
    this.name = "ChildFailure";
  }
}

/** The student's code threw; `studentStack` is the stack as the child saw it. */
export class StudentError extends Error {
  constructor(readonly errorName: string, message: string, readonly studentStack?: string) {
    super(message);
    this.name = "StudentError";
  }
}

/** A student's object that stays in its process (a gate, a cache); methods are called remotely. */
export interface Remote {
  readonly $handle: number;
  readonly $type: string;
  /** Reads a property (plain data, or another Remote). */
  $get(prop: string): Promise<unknown>;
  /** Any other property is a method: `await gate.forward(3, -4)`. */
  [method: string]: any;
}

export interface CallRequest {
  /** A top-level function of the program... */
  name?: string;
  /** ...or a method of a Remote. */
  target?: Remote;
  method?: string;
  args: unknown[];
}

export interface CallOutcome {
  value?: unknown;
  error?: StudentError;
}

export interface Inspection {
  kind: "class" | "function" | "other" | "missing";
  /** The gradlab export this is, or extends ("MultiplyGate", "nn.Linear"), or null. */
  gradlabIdentity: string | null;
}

export interface Program {
  readonly kind: "student" | "reference";
  /** `new Name(...args)` in the program. */
  "new"(name: string, ...args: unknown[]): Promise<Remote>;
  /** `name(...args)` for a top-level function of the program. */
  call(name: string, ...args: unknown[]): Promise<unknown>;
  /** The same, with echoArgs: also the arguments as they were after the call (mutation check). */
  callFunction(name: string, args: unknown[], opts?: { echoArgs?: boolean }): Promise<{ value: unknown; args?: unknown[] }>;
  /** A method call; with echoArgs, also the arguments as they were after the call (mutation check). */
  callMethod(target: Remote, method: string, args: unknown[], opts?: { echoArgs?: boolean }): Promise<{ value: unknown; args?: unknown[] }>;
  /** Several calls in one round trip; a throwing call does not stop the others. */
  batch(calls: CallRequest[]): Promise<CallOutcome[]>;
  /** What each name is in the program (class, function, missing) and whether it is gradlab's own. */
  inspect(names: string[]): Promise<Record<string, Inspection>>;
  /** Budget of each request from now on, in ms. */
  setTimeout(ms: number): void;
  /** Called before each test (the recorded reference keys its answers by test). */
  beginTest?(name: string): void;
  close(): Promise<void>;
}
