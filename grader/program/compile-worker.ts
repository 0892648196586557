/**
 * The compile thread's entry (a worker_threads Worker started by compile-thread.ts): compiles what the
 * grading thread did not find in its cache (which it fills). Each request gets exactly one reply, the
 * program or the error.
 */
import { parentPort } from "worker_threads";
import { compileUncached } from "./compile";
import type { CompileReply, CompileRequest } from "./compile-thread";

parentPort!.on("message", (req: CompileRequest) => {
  let reply: CompileReply;
  try {
    reply = { id: req.id, compiled: compileUncached(req.program, req.exported, req.forbidden) };
  } catch (e) {
    reply = { id: req.id, error: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
