/**
 * Runs one notebook top to bottom in a kernel session: the part of `gradlab run` that decides what a
 * cell's outcome means. Timeouts interrupt the kernel and are recorded in the cell; the first error
 * stops the run unless errors are allowed (cells tagged `raises-exception` may always raise); a kernel
 * that dies ends the run with the outputs gathered so far. The caller decides where to write.
 */
import { Cell, cellTags, cloneNotebook, CodeCell, Notebook } from "./nbformat";
import { DisplayRegistry, OutputCollector } from "./outputs";
import { injectParameters, Parameters } from "./parameters";
import { ExecuteReply, KernelDiedError, KernelSession } from "./session";

/** Node's largest timer delay (about 24.8 days); a larger one overflows and fires at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface ExecuteOptions {
  /** Per-cell limit in ms (at most MAX_TIMEOUT_MS); 0 means none. */
  timeoutMs: number;
  /** Keep going after a cell fails (the failure is still recorded and reported). */
  allowErrors: boolean;
  /** CI mode: also fail on error outputs in cells that "succeeded" and on raises-exception cells that do not raise. */
  check: boolean;
  parameters: Parameters;
  /** Kernelspec name, recorded in the notebook's metadata. */
  kernelName: string;
  /** How long a kernel may take to honour an interrupt before it is restarted (default 10 s). */
  interruptGraceMs?: number;
  /** Called after every code cell (and once before the first) with cells done and the total. */
  onProgress?: (done: number, total: number) => void;
}

export type FailureKind = "error" | "timeout" | "dead-kernel" | "error-output" | "did-not-raise";

export interface CellFailure {
  kind: FailureKind;
  /** 1-based position among all cells (markdown included), to find the cell in the file. */
  cellNumber: number;
  /** The cell's execution count, the N of "In [N]" that Jupyter shows and of "Cell In[N]" in tracebacks (null when the kernel never numbered it). */
  executionCount: number | null;
  /** First line of the cell's source, to find it without counting. */
  firstLine: string;
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface NotebookRun {
  /** The executed copy (the notebook passed in is never modified). */
  notebook: Notebook;
  failures: CellFailure[];
  /** Code cells executed (finished, failed or timed out) and the number that would run. */
  cellsDone: number;
  cellsTotal: number;
  /** The run ended because the kernel died or could not be interrupted. */
  kernelLost: boolean;
  elapsedMs: number;
}

/** Error name the runner records in a cell that exceeded --timeout (nbclient calls it CellTimeoutError). */
export const TIMEOUT_ENAME = "CellTimeoutError";
export const DEAD_KERNEL_ENAME = "DeadKernelError";

const KERNEL_DISPLAY_NAMES: Record<string, string> = { gradlab: "TypeScript (gradlab)" };

function isBlank(source: string): boolean {
  return source.trim() === "";
}

function firstLine(cell: Cell): string {
  const line = cell.source.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length > 70 ? line.slice(0, 67) + "..." : line;
}

/** Resolves to "timeout" after ms (never when ms is 0); cancel() stops the timer. */
function deadline(ms: number): { promise: Promise<"timeout">; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<"timeout">((resolve) => {
    if (ms > 0) timer = setTimeout(() => resolve("timeout"), ms);
  });
  return { promise, cancel: () => timer && clearTimeout(timer) };
}

/** How Jupyter labels a cell by its execution count: In[3], or In[ ] before it ran (one numbering with tracebacks' "Cell In[3]"). */
export function inPrompt(executionCount: number | null): string {
  return `In[${executionCount ?? " "}]`;
}

/** Sets kernelspec and language_info the way Jupyter does when it saves a notebook. */
function recordKernel(nb: Notebook, kernelName: string, info: Record<string, any>): void {
  const languageInfo = info.language_info;
  if (languageInfo && typeof languageInfo.name === "string") nb.metadata.language_info = languageInfo;
  const existing = nb.metadata.kernelspec;
  if (!existing || existing.name !== kernelName) {
    nb.metadata.kernelspec = {
      name: kernelName,
      display_name: KERNEL_DISPLAY_NAMES[kernelName] ?? kernelName,
      language: typeof languageInfo?.name === "string" ? languageInfo.name : "",
    };
  }
}

export async function executeNotebook(source: Notebook, session: KernelSession, opts: ExecuteOptions): Promise<NotebookRun> {
  if (!(opts.timeoutMs >= 0 && opts.timeoutMs <= MAX_TIMEOUT_MS)) throw new RangeError(`timeoutMs must be at most ${MAX_TIMEOUT_MS} (0 for none), got ${opts.timeoutMs}`);
  const started = Date.now();
  const nb = prepareCopy(source, await session.kernelInfo(), opts);
  const toRun = nb.cells.filter((c): c is CodeCell => c.cell_type === "code" && !isBlank(c.source));
  const displays = new DisplayRegistry();
  const failures: CellFailure[] = [];
  let done = 0;
  let kernelLost = false;
  opts.onProgress?.(0, toRun.length);
  for (const cell of toRun) {
    const verdict = await runCell(cell, nb.cells.indexOf(cell) + 1, { session, opts, displays, failures });
    done += 1;
    opts.onProgress?.(done, toRun.length);
    if (verdict === "kernel lost") kernelLost = true;
    if (verdict !== "go on") break;
  }
  return { notebook: nb, failures, cellsDone: done, cellsTotal: toRun.length, kernelLost, elapsedMs: Date.now() - started };
}

/** The copy to execute: parameters injected, the kernel recorded, and no outputs of an earlier run. */
function prepareCopy(source: Notebook, info: Record<string, any>, opts: ExecuteOptions): Notebook {
  let nb = cloneNotebook(source);
  const language = String(info.language_info?.name ?? nb.metadata.kernelspec?.language ?? nb.metadata.language_info?.name ?? "");
  nb = injectParameters(nb, opts.parameters, language);
  recordKernel(nb, opts.kernelName, info);
  // The executed copy shows this run only: no stale outputs from an earlier run below a failure.
  for (const cell of nb.cells) {
    if (cell.cell_type !== "code") continue;
    cell.outputs = [];
    cell.execution_count = null;
    delete cell.metadata.execution;
  }
  return nb;
}

/** What a cell's outcome means for the run: go on, stop (a failure without --allow-errors), or stop with the kernel lost. */
type Verdict = "go on" | "stop" | "kernel lost";

/** What every cell of one run shares. */
interface RunContext {
  session: KernelSession;
  opts: ExecuteOptions;
  displays: DisplayRegistry;
  failures: CellFailure[];
}

/** One cell being run: where its outputs go, and how a failure of it is recorded. */
interface CellRun {
  cell: CodeCell;
  collector: OutputCollector;
  expectError: boolean;
  count(): number | null;
  fail(kind: FailureKind, ename: string, evalue: string, traceback: string[]): void;
}

/** Runs one code cell, records its outputs, timing and failure, and says whether the run goes on. */
async function runCell(cell: CodeCell, cellNumber: number, ctx: RunContext): Promise<Verdict> {
  const { session, opts } = ctx;
  const collector = new OutputCollector(ctx.displays);
  cell.outputs = collector.outputs;
  const count = () => cell.execution_count ?? collector.executionCount ?? null;
  const run: CellRun = {
    cell, collector, count,
    expectError: cellTags(cell).includes("raises-exception"),
    fail: (kind, ename, evalue, traceback) =>
      ctx.failures.push({ kind, cellNumber, executionCount: count(), firstLine: firstLine(cell), ename, evalue, traceback }),
  };

  // Start and end as nbclient records them (metadata.execution, ISO times), by the runner's clock:
  // execute_input when the kernel announced the cell (else when it was sent), the reply when it came
  // (or the cell timed out, or the kernel died).
  const timing: Record<string, string> = {};
  cell.metadata.execution = timing;
  const sent = new Date().toISOString();
  const running = session.execute(cell.source, (msg) => {
    if (msg.msg_type === "execute_input") timing["iopub.execute_input"] ??= new Date().toISOString();
    collector.handle(msg);
  });
  // Keep a late rejection (after a timeout we stopped waiting for) from becoming unhandled.
  running.catch(() => undefined);
  const timer = deadline(opts.timeoutMs);
  try {
    const outcome = await Promise.race([running, timer.promise]);
    return outcome === "timeout" ? await afterTimeout(run, running, ctx) : judgeReply(run, outcome, opts);
  } catch (err) {
    // A dead kernel, or a transport that failed under it (a closed socket, a dropped WebSocket):
    // either way no later cell can run, and the outputs so far must still be saved.
    const detail = err instanceof KernelDiedError ? err.detail : `lost contact with the kernel: ${(err as Error).message}`;
    collector.addError(DEAD_KERNEL_ENAME, detail);
    run.fail("dead-kernel", DEAD_KERNEL_ENAME, detail, []);
    return "kernel lost";
  } finally {
    timer.cancel();
    timing["iopub.execute_input"] ??= sent;
    timing["shell.execute_reply"] = new Date().toISOString();
  }
}

/** A cell ran past --timeout: interrupt the kernel, and restart it if it does not stop. */
async function afterTimeout(run: CellRun, running: Promise<ExecuteReply>, { session, opts }: RunContext): Promise<Verdict> {
  const { cell, collector } = run;
  await session.interrupt().catch(() => undefined);
  const grace = deadline(opts.interruptGraceMs ?? 10000);
  const afterInterrupt = await Promise.race([running.then((r) => r, (e: unknown) => e as Error), grace.promise]);
  grace.cancel();
  if (!(afterInterrupt instanceof Error) && afterInterrupt !== "timeout") cell.execution_count = afterInterrupt.execution_count ?? collector.executionCount;
  const evalue = `cell ${inPrompt(run.count())} did not finish within the ${opts.timeoutMs / 1000} s timeout (--timeout); the kernel was interrupted`;
  if (afterInterrupt instanceof Error) {
    // The interrupt killed the kernel (or its connection): the timeout is this cell's failure,
    // and the run cannot go on, whatever --allow-errors says.
    const why = afterInterrupt instanceof KernelDiedError ? afterInterrupt.detail : afterInterrupt.message;
    const lost = `${evalue}, and the kernel died: ${why}`;
    collector.addError(TIMEOUT_ENAME, lost);
    run.fail("timeout", TIMEOUT_ENAME, lost, []);
    return "kernel lost";
  }
  if (afterInterrupt === "timeout") {
    // The kernel ignored the interrupt: its state is unknown, so no later cell can be trusted.
    await session.restart().catch(() => undefined);
    collector.addError(TIMEOUT_ENAME, `${evalue} but did not stop, so it was restarted`);
    run.fail("timeout", TIMEOUT_ENAME, `${evalue} but did not stop, so it was restarted`, []);
    return "kernel lost";
  }
  collector.addError(TIMEOUT_ENAME, evalue);
  run.fail("timeout", TIMEOUT_ENAME, evalue, []);
  return opts.allowErrors ? "go on" : "stop";
}

/** The cell's reply came: an error (expected or not), or success that --check may still reject. */
function judgeReply(run: CellRun, reply: ExecuteReply, opts: ExecuteOptions): Verdict {
  const { cell, collector, expectError } = run;
  const failed: Verdict = opts.allowErrors ? "go on" : "stop";
  cell.execution_count = reply.execution_count ?? collector.executionCount;
  if (reply.status !== "ok") {
    // Some kernels put the error only in the reply; the notebook must still show it.
    if (!collector.hasError()) {
      collector.addError(reply.ename ?? "Error", reply.evalue ?? `execution ${reply.status}`, reply.traceback ?? []);
    }
    if (expectError) return "go on";
    run.fail("error", reply.ename ?? "Error", reply.evalue ?? reply.status, reply.traceback ?? []);
    return failed;
  }
  if (expectError && opts.check) {
    run.fail("did-not-raise", "DidNotRaise", `cell ${inPrompt(run.count())} is tagged raises-exception but raised no error`, []);
    return failed;
  }
  if (opts.check && !expectError && collector.hasError()) {
    // An error shown in a cell whose reply was "ok" (say, a rejected promise reported late).
    const shown = collector.outputs.find((o) => o.output_type === "error");
    if (shown && shown.output_type === "error") run.fail("error-output", shown.ename, shown.evalue, shown.traceback);
    return failed;
  }
  return "go on";
}
