/**
 * What the runner needs from a kernel, whichever way it is reached. The embedded session talks
 * ZeroMQ to a kernel process it started; the server session goes through a Jupyter server's REST
 * and WebSocket API. Everything above this interface (timeouts, errors, outputs) is shared, which is
 * what makes the two paths give identical notebooks.
 */
import type { IopubMessage } from "./outputs";

export interface ExecuteReply {
  status: "ok" | "error" | "aborted";
  execution_count: number | null;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** Why a kernel stopped answering; the runner reports it and saves what it has. */
export class KernelDiedError extends Error {
  constructor(readonly detail: string) {
    super(`the kernel died: ${detail}`);
    this.name = "KernelDiedError";
  }
}

export interface KernelSession {
  /** Human-readable, for progress lines and errors ("embedded gradlab kernel", "server http://..."). */
  readonly description: string;
  /** The kernel_info reply content (language_info goes into the notebook's metadata). */
  kernelInfo(): Promise<Record<string, any>>;
  /**
   * Runs one cell. Resolves with the execute_reply once the reply and all of the cell's iopub output
   * (up to its idle status) have arrived. Rejects with KernelDiedError if the kernel dies meanwhile.
   * No timeout here: the runner owns timeouts so both session kinds behave the same.
   */
  execute(code: string, onIopub: (msg: IopubMessage) => void): Promise<ExecuteReply>;
  /** Sends an interrupt (the kernel's interrupt_mode: signal or message). */
  interrupt(): Promise<void>;
  /** Restarts the kernel process (used when an interrupt is not honoured). */
  restart(): Promise<void>;
  /** Shuts the kernel down and frees everything; safe to call twice and after the kernel died. */
  close(): Promise<void>;
}

/** How to start sessions for a run; one session per notebook. */
export interface SessionFactory {
  readonly description: string;
  open(opts: { kernelName: string; cwd: string }): Promise<KernelSession>;
  /** Stops anything shared between sessions (a local Jupyter server). */
  dispose(): Promise<void>;
}
