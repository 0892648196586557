/**
 * Ending the kernel process without a crash. The wire thread's ZeroMQ sockets must be closed before the
 * process exits: Node tears down a worker whose sockets are still open with an uncaught native error, and
 * the process dies of SIGABRT instead of with the exit code asked for. So every exit (the kernel's own,
 * and `process.exit(n)` called by a notebook cell) first asks the wire thread to flush iopub and close its
 * sockets, blocks until it has (process.exit must not return), and then exits with the code asked for.
 */
import type { Worker } from "worker_threads";
import type { WireCommand } from "./bridge";

/** How long to wait for the wire thread to close its sockets before exiting anyway. */
const CLOSE_TIMEOUT_MS = 3000;

export interface KernelExit {
  /** Closes the wire thread's sockets, then ends the process with `code`. Never returns. `reason` goes to the log. */
  exit(code: number, reason: string | null): never;
}

/**
 * Installs the orderly exit for `worker`'s sockets and routes `process.exit` through it.
 * @param describeCaller names who called process.exit (e.g. "cell 3"), for the kernel log.
 */
export function installKernelExit(worker: Worker, log: (text: string) => void, describeCaller: () => string | null): KernelExit {
  const realExit = process.exit.bind(process) as (code?: number) => never;
  let wireAlive = true;
  let closing = false;
  worker.once("error", () => (wireAlive = false));
  worker.once("exit", () => (wireAlive = false));

  const exit = (code: number, reason: string | null): never => {
    if (reason) log(`${reason}; exiting with code ${code}`);
    if (wireAlive && !closing) {
      closing = true;
      const closed = new Int32Array(new SharedArrayBuffer(4));
      worker.postMessage({ kind: "close", closed: closed.buffer as SharedArrayBuffer } satisfies WireCommand);
      // Blocks this thread only: the wire thread runs on and sets the flag once its sockets are closed.
      if (Atomics.wait(closed, 0, 0, CLOSE_TIMEOUT_MS) === "timed-out") {
        log(`the wire thread did not close its sockets within ${CLOSE_TIMEOUT_MS} ms`);
      }
    }
    return realExit(code);
  };

  process.exit = ((code?: number | string | null) => {
    const status = exitStatus(code ?? process.exitCode);
    const caller = describeCaller();
    return exit(status, `process.exit(${code ?? ""}) was called${caller ? ` by ${caller}` : ""}`);
  }) as typeof process.exit;

  return { exit };
}

/** process.exit's own reading of its argument: an integer, or a string holding one; anything else is 0. */
function exitStatus(code: unknown): number {
  const n = typeof code === "string" && code.trim() !== "" ? Number(code) : code;
  return typeof n === "number" && Number.isInteger(n) ? n & 0xff : 0;
}
