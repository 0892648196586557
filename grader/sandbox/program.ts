/**
 * Program: how the engine talks to code it grades. Two implementations: SandboxedProgram (the student's
 * code in a locked-down child process) and LocalProgram (the trusted reference, in-process). Both return
 * plain values, gradlab Tensors and Remotes, decoded from the same wire format, so they compare alike.
 */

/** Why a test scored 0 without a judged answer; the report keeps these apart. */
export type Outcome = "wrong" | "error" | "timeout" | "limit" | "malformed" | "crash" | "grader-fault";

/** The child could not answer: timed out, hit a limit, crashed, exited, or answered out of protocol. */
export class ChildFailure extends Error {
  constructor(
    readonly outcome: Outcome,
    message: string,
  ) {
    super(message);
    this.name = "ChildFailure";
  }
}

/** The student's code threw (or its value could not be sent); name/message/stack are the student's. */
export class StudentError extends Error {
  constructor(
    readonly errorName: string,
    message: string,
    readonly studentStack?: string,
  ) {
    super(message);
    this.name = "StudentError";
  }
}

/**
 * An object that lives on the program's side (a gate instance, a cache). `await r.forward(3, -4)` calls a
 * method, `await r.$get("cache")` reads a property, `r.$handle` is its id and `r.$type` its class name.
 * Passing a Remote as an argument hands the original object back to its program.
 */
export type Remote = {
  readonly $handle: number;
  readonly $type: string;
  $get(prop: string): Promise<unknown>;
} & { [method: string]: (...args: unknown[]) => Promise<unknown> };

/** One call of a batch: an export by name, or a method of a Remote. */
export type CallRequest = BatchCall;
export type CallOutcome = { value?: unknown; error?: StudentError };
export type BatchCall = { name: string; args: unknown[] } | { target: Remote; method: string; args: unknown[] };

export interface Inspection {
  kind: "class" | "function" | "other" | "missing";
  /** The gradlab export this is or extends ("MultiplyGate", "nn.Linear"), else null. */
  gradlabIdentity: string | null;
}

export interface Program {
  readonly kind: "student" | "reference";
  /** Loads the program (done on first use anyway); the names it defines. */
  load(): Promise<string[]>;
  "new"(name: string, ...args: unknown[]): Promise<Remote>;
  call(name: string, ...args: unknown[]): Promise<unknown>;
  /** The same, with echoArgs: also the arguments as they were after the call (the "inputs not mutated" check). */
  callFunction(name: string, args: unknown[], opts?: { echoArgs?: boolean }): Promise<{ value: unknown; args?: unknown[] }>;
  callMethod(target: Remote, method: string, args: unknown[], opts?: { echoArgs?: boolean }): Promise<{ value: unknown; args?: unknown[] }>;
  get(target: Remote, prop: string): Promise<unknown>;
  batch(calls: BatchCall[]): Promise<Array<{ value?: unknown; error?: StudentError }>>;
  inspect(names: string[]): Promise<Record<string, Inspection>>;
  /** Budget of each request from now on, in ms (the current test's timeout): the child's CPU time where it can be measured. */
  setTimeout(ms: number): void;
  /** Called before each test (the recorded reference keys its answers by test). */
  beginTest?(name: string): void;
  /** Starts afresh on the next request (a new child; handles from before become unusable). */
  reset(): Promise<void>;
  /** What the program printed (stdout and stderr, capped), for the report; never parsed. */
  output(): string;
  close(): Promise<void>;
}
