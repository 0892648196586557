/**
 * SandboxedProgram: the student's compiled program, run in a locked-down child process (launcher.ts)
 * and spoken to over the wire (one request at a time on fd 3, one reply per line on fd 4).
 *
 * Each request has a budget of the child's CPU time, with a wall-clock cap for a child that waits
 * (call-budget.ts, measured through /proc: child-cpu.ts).
 *
 * The child is started on the first request and reused; after a timeout, a limit, a crash or an answer
 * out of protocol it is killed (its whole process group / sandbox) and the next request starts a fresh
 * one, so the remaining tests still run. Everything that comes back is untrusted: replies are checked
 * (wire.ts parseReply) and must answer the pending request; stdout/stderr are only counted and kept as
 * text for the report, never parsed.
 */
import { spawn, type ChildProcess } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { constants as osConstants } from "os";
import { StringDecoder } from "string_decoder";
import { callLimits, watchCall, type CallLimits } from "./call-budget";
import { procCpuMeter, type CpuMeter, type CpuMeterFactory } from "./child-cpu";
import { DEFAULT_LIMITS, planLaunch, type Limits } from "./launcher";
import { ChildFailure, StudentError } from "./program";
import { LIMITS, parseReply, type Reply, type WireError } from "./wire";
import { loadLine, loadResult, malformed, WireProgram } from "./wire-program";

export interface SandboxOptions {
  /** CPU-time budget per request (default 10 s; setTimeout changes it per test); call-budget.ts adds a wall-clock cap. */
  timeoutMs?: number;
  /** Extra time (CPU and wall-clock) for starting the child and loading the program (default 10 s). */
  startupMs?: number;
  /** stdout + stderr bytes a child may print before it is killed (default 1 MB). */
  outputCap?: number;
  limits?: Limits;
  /** Environment deciding the isolation (GRADLAB_SANDBOX, GRADLAB_FULL); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** How the child's CPU time is read (default /proc; a factory returning null means wall-clock time only). */
  cpuMeter?: CpuMeterFactory;
}

interface Pending {
  id: number;
  batch: boolean;
  resolve(r: Reply): void;
  reject(e: Error): void;
  unwatch?: () => void;
}

interface Child {
  proc: ChildProcess;
  generation: number;
  cwd: string;
  directExit: boolean;
  /** Its CPU time so far (null: not measurable here). */
  meter: CpuMeter | null;
  /** Why the parent killed it (the outcome reported), once it did. */
  killedFor?: ChildFailure;
  closed: Promise<void>;
  dead: boolean;
  printed: number;
  stderrTail: string;
  replyBuffer: string;
  pending?: Pending;
  loaded?: string[] | StudentError;
}

const MB = 1024 * 1024;

/** Children started in this process and the CPU time they used, as read just before each was ended
 *  (for benchmarks: a child in its own pid namespace never reaches this process's own rusage). */
export const sandboxStats = { started: 0, cpuMs: 0 };

export class SandboxedProgram extends WireProgram {
  readonly kind = "student" as const;
  private timeoutMs: number;
  private readonly startupMs: number;
  private readonly outputCap: number;
  private readonly limits: Limits;
  private readonly env: NodeJS.ProcessEnv;
  private readonly cpuMeter: CpuMeterFactory;
  private child: Child | null = null;
  private readonly children = new Set<Child>();
  private generations = 0;
  private lastEnd = "the program was restarted";
  private captured = "";
  private capturedCut = false;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    /** The compiled submission (its folder is readable to the child: it must hold nothing else). */
    readonly programFile: string,
    opts: SandboxOptions = {},
  ) {
    super();
    this.timeoutMs = opts.timeoutMs ?? 10000;
    this.startupMs = opts.startupMs ?? 10000;
    this.outputCap = opts.outputCap ?? MB;
    this.limits = opts.limits ?? DEFAULT_LIMITS;
    this.env = opts.env ?? process.env;
    this.cpuMeter = opts.cpuMeter ?? procCpuMeter;
  }

  setTimeout(ms: number): void {
    this.timeoutMs = ms;
  }

  output(): string {
    return this.captured + (this.capturedCut ? "\n[output cut: over the output limit]\n" : "");
  }

  protected generation(): number {
    return this.child && !this.child.dead ? this.child.generation : this.generations + 1;
  }

  protected endedBecause(): string {
    return this.lastEnd;
  }

  protected limitFor(e: WireError): ChildFailure | null {
    // A typed array bigger than the memory limit allows: the student's code sees a RangeError, but the
    // report should say "limit". The child is replaced so the next test starts clean.
    if (e.name !== "RangeError" || !/Array buffer allocation failed/.test(e.message)) return null;
    const failure = new ChildFailure("limit", `out of memory (memory limit ${this.limits.memoryMB} MB): ${e.message}`);
    if (this.child) this.kill(this.child, failure);
    return failure;
  }

  async load(): Promise<string[]> {
    return this.serially(async () => {
      const child = await this.ensureChild();
      if (child.loaded instanceof StudentError) throw child.loaded;
      return child.loaded!;
    });
  }

  async reset(): Promise<void> {
    await this.serially(async () => {
      if (this.child) this.kill(this.child, new ChildFailure("crash", "the program was restarted"));
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const child of this.children) this.kill(child, new ChildFailure("crash", "the grader closed the program"));
    await Promise.all([...this.children].map((c) => c.closed));
  }

  protected exchange(id: number, line: string, batch: boolean): Promise<Reply> {
    return this.serially(async () => {
      const child = await this.ensureChild();
      if (child.loaded instanceof StudentError) throw child.loaded; // the program failed to load: every call says why
      return this.roundTrip(child, id, line, batch, callLimits(this.timeoutMs));
    });
  }

  /** Runs requests one after another even if the caller does not await. */
  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  // ---------------------------------------------------------------- the child's life

  private async ensureChild(): Promise<Child> {
    if (this.closed) throw new ChildFailure("grader-fault", "the program was used after close()");
    if (this.child && !this.child.dead) return this.child;
    const child = this.start();
    const id = this.requestId();
    try {
      child.loaded = loadResult(await this.roundTrip(child, id, loadLine(id), false, callLimits(this.timeoutMs, this.startupMs)));
      child.meter?.settle(); // it answered: every process of the sandbox is running
    } catch (e) {
      if (!(e instanceof ChildFailure)) throw e;
      throw new ChildFailure(e.outcome, `${e.message} (while loading the program)`);
    }
    return child;
  }

  private start(): Child {
    const plan = planLaunch(this.programFile, this.limits, this.env);
    const cwd = mkdtempSync(join(tmpdir(), "gradlab-sandbox-"));
    const proc = spawn(plan.command, plan.args, {
      cwd,
      env: {}, // nothing of the grader's environment reaches student code
      stdio: ["ignore", "pipe", "pipe", "pipe", "pipe"],
      detached: true, // its own process group, so a kill reaches everything it started
    });
    let markClosed!: () => void;
    const child: Child = {
      proc,
      generation: ++this.generations,
      cwd,
      directExit: plan.directExit,
      meter: proc.pid === undefined ? null : this.cpuMeter(proc.pid),
      closed: new Promise<void>((resolve) => (markClosed = resolve)),
      dead: false,
      printed: 0,
      stderrTail: "",
      replyBuffer: "",
    };
    this.child = child;
    this.children.add(child);
    sandboxStats.started++;
    for (const stream of proc.stdio) stream?.on("error", () => undefined); // EPIPE after a kill: the exit says why
    // Decoders per stream: a character split between two chunks must not turn into garbage.
    const [out, err, replies] = [new StringDecoder("utf8"), new StringDecoder("utf8"), new StringDecoder("utf8")];
    proc.stdout!.on("data", (d: Buffer) => this.printed(child, d.length, out.write(d), false));
    proc.stderr!.on("data", (d: Buffer) => this.printed(child, d.length, err.write(d), true));
    (proc.stdio[4] as NodeJS.ReadableStream).on("data", (d: Buffer) => this.replyData(child, replies.write(d)));
    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (finished) return;
      finished = true;
      child.dead = true;
      const failure = child.killedFor ?? this.describeExit(child, code, signal);
      if (!child.killedFor && !child.pending) this.note(`the grading process ended between requests: ${failure.message}`);
      if (!child.killedFor) this.lastEnd = failure.message;
      this.settle(child, failure);
      if (this.child === child) this.child = null;
      this.children.delete(child);
      child.meter?.close();
      rmSync(cwd, { recursive: true, force: true });
      markClosed();
    };
    proc.on("close", finish);
    proc.on("error", (e) => {
      this.kill(child, new ChildFailure("grader-fault", `could not start the grading process: ${e.message}`));
      if (proc.pid === undefined) finish(null, null); // never started: no "close" to wait for
    });
    return child;
  }

  private roundTrip(child: Child, id: number, line: string, batch: boolean, limits: CallLimits): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      if (child.dead || child.killedFor) {
        reject(child.killedFor ?? new ChildFailure("crash", this.lastEnd));
        return;
      }
      child.pending = { id, batch, resolve, reject };
      child.pending.unwatch = watchCall(child.meter, limits, (failure) => this.kill(child, failure));
      (child.proc.stdio[3] as NodeJS.WritableStream).write(line + "\n");
    });
  }

  /** Kills the child's whole process group (or sandbox) and fails the pending request with `failure`. */
  private kill(child: Child, failure: ChildFailure): void {
    if (child.killedFor || child.dead) return;
    child.killedFor = failure;
    this.lastEnd = failure.message;
    if (this.child === child) this.child = null;
    sandboxStats.cpuMs += child.meter?.usedMs() ?? 0;
    try {
      process.kill(-child.proc.pid!, "SIGKILL");
    } catch {
      child.proc.kill("SIGKILL"); // the group is gone already, or the process never started
    }
    this.settle(child, failure);
  }

  private settle(child: Child, failure: ChildFailure): void {
    const p = child.pending;
    if (!p) return;
    child.pending = undefined;
    p.unwatch?.();
    p.reject(failure);
  }

  // ---------------------------------------------------------------- what comes back

  private replyData(child: Child, text: string): void {
    if (child.killedFor) return;
    child.replyBuffer += text;
    for (let nl = child.replyBuffer.indexOf("\n"); nl >= 0; nl = child.replyBuffer.indexOf("\n")) {
      const line = child.replyBuffer.slice(0, nl);
      child.replyBuffer = child.replyBuffer.slice(nl + 1);
      this.replyLine(child, line);
      if (child.killedFor) return;
    }
    if (child.replyBuffer.length > LIMITS.maxLine) {
      this.kill(child, malformed(`a reply longer than ${LIMITS.maxLine / MB} MB`));
    }
  }

  private replyLine(child: Child, line: string): void {
    const p = child.pending;
    if (!p) {
      // Nothing was asked: a line the submission wrote itself. The child can no longer be trusted to
      // pair replies with requests, so it is replaced before the next request.
      this.kill(child, malformed("a reply nobody asked for (did the program write to the reply channel?)"));
      this.note("the grading process sent a reply nobody asked for; it was replaced");
      return;
    }
    let reply: Reply;
    try {
      reply = parseReply(line, p.batch);
    } catch (e) {
      this.kill(child, malformed(e));
      return;
    }
    if (reply.id !== p.id) {
      this.kill(child, malformed(`a reply to request ${reply.id} while request ${p.id} was pending`));
      return;
    }
    child.pending = undefined;
    p.unwatch?.();
    p.resolve(reply);
  }

  private printed(child: Child, bytes: number, text: string, stderr: boolean): void {
    child.printed += bytes;
    if (stderr) child.stderrTail = (child.stderrTail + text).slice(-4096);
    const room = this.outputCap - this.captured.length;
    if (room > 0) this.captured += text.slice(0, room);
    else this.capturedCut = true;
    if (child.printed > this.outputCap) {
      this.capturedCut = true;
      this.kill(child, new ChildFailure("limit", `output limit (${formatBytes(this.outputCap)}) exceeded`));
    }
  }

  private note(text: string): void {
    if (this.captured.length < this.outputCap) this.captured += `\n[grader] ${text}\n`;
  }

  /** What a child that ended by itself did, in words for the student. */
  private describeExit(child: Child, code: number | null, signal: NodeJS.Signals | null): ChildFailure {
    const tail = child.stderrTail;
    const sig = signal ?? (!child.directExit && code !== null && code > 128 ? signalName(code - 128) : null);
    if (/Reached heap limit|JavaScript heap out of memory/.test(tail)) {
      return new ChildFailure("limit", `out of memory (heap limit ${this.limits.heapMB} MB)`);
    }
    if (/Fatal process out of memory|Array buffer allocation failed|Cannot allocate memory|std::bad_alloc/.test(tail)) {
      return new ChildFailure("limit", `out of memory (memory limit ${this.limits.memoryMB} MB)`);
    }
    const harness = /grader harness failed: (.*)/.exec(tail);
    if (harness) {
      return new ChildFailure("crash", `the grading process could not go on (${harness[1].slice(0, 200)}): did the program close or write to the grader's file descriptors?`);
    }
    if (sig === "SIGXCPU") return new ChildFailure("limit", `CPU time limit (${this.limits.cpuSeconds} s) exceeded`);
    if (sig === "SIGKILL") {
      // Not ours (we record our kills): the CPU hard limit, or the system's out-of-memory killer.
      return new ChildFailure("limit", `the grading process was killed by SIGKILL (CPU time limit of ${this.limits.cpuSeconds} s, or the machine ran out of memory)`);
    }
    if (sig) return new ChildFailure("crash", `the grading process was killed by ${sig}`);
    if (code === 0) return new ChildFailure("crash", "the submission ended the grading process with process.exit(0)");
    const uncaught = /^(?:Uncaught )?([A-Za-z]*Error(?: \[\w+\])?: .*)$/m.exec(tail);
    return new ChildFailure(
      "crash",
      uncaught
        ? `the grading process ended with an uncaught error: ${uncaught[1].slice(0, 300)}`
        : `the submission ended the grading process with exit code ${code} (process.exit(${code})?)`,
    );
  }
}

function formatBytes(n: number): string {
  return n >= MB ? `${+(n / MB).toFixed(1)} MB` : `${+(n / 1024).toFixed(1)} KB`;
}

function signalName(n: number): NodeJS.Signals | null {
  for (const [name, value] of Object.entries(osConstants.signals)) if (value === n) return name as NodeJS.Signals;
  return null;
}
