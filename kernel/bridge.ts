/**
 * Messages between the kernel's two threads. The wire thread (kernel/wire/) owns the ZeroMQ sockets and
 * the protocol; the main thread (kernel/engine/) owns the TypeScript engine and runs user code, so a
 * runaway cell can be stopped with SIGINT while the wire thread keeps answering heartbeat and control.
 */
import type { MessageHeader } from "./protocol/message";

/** A MIME bundle: mime type -> data (strings, or JSON for +json types). */
export type MimeBundle = Record<string, unknown>;

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** Requests the wire thread forwards to the engine, one at a time. */
export type EngineRequest =
  | { kind: "execute"; id: number; parent: MessageHeader; code: string; silent: boolean; executionCount: number;
      allowStdin: boolean; userExpressions: Record<string, string> }
  | { kind: "complete"; id: number; code: string; cursorPos: number }
  | { kind: "inspect"; id: number; code: string; cursorPos: number; detailLevel: number }
  | { kind: "is_complete"; id: number; code: string }
  | { kind: "input_reply"; requestId: number; value: string };

export type ExecuteOutcome =
  | { status: "ok"; result: MimeBundle | null; userExpressions: Record<string, unknown>; payload: unknown[] }
  | ({ status: "error" } & ErrorContent);

/** What the engine sends back: iopub traffic for a cell, input requests, and one reply per request. */
export type EngineEvent =
  | { kind: "ready"; typescriptVersion: string }
  | { kind: "iopub"; parent: MessageHeader | null; msgType: string; content: Record<string, unknown> }
  | { kind: "input_request"; requestId: number; parent: MessageHeader; prompt: string; password: boolean }
  | { kind: "reply"; id: number; content: any }
  | { kind: "log"; text: string };

/**
 * What the main thread tells the wire thread besides engine events: close every socket (flushing iopub
 * first) and then set `closed[0]` to 1 and notify, because the main thread is about to exit the process.
 */
export type WireCommand = { kind: "close"; closed: SharedArrayBuffer };

/** What the main thread hands the wire thread at start (worker_threads workerData). */
export interface WireConfig {
  connectionFile: string;
  /** Versions reported by kernel_info. */
  versions: { typescript: string; tslab: string; gradlab: string };
}
