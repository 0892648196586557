/**
 * The child process's main module: `node [limits] child.js <compiled program> <gradlab's entry> [<its pack>]`.
 * It reads one request per line on fd 3 and writes one reply per line on fd 4 (stdout and stderr belong
 * to the student and are only captured). Order matters: everything the harness relies on is captured and
 * every escape hatch is closed *before* the student's program is required by the first "load" request.
 *
 * This is defence in depth, not the boundary: the boundary is the parent, which checks every reply and
 * never runs student code. Here we only make sure a submission cannot quietly reach what the namespaces
 * of a weaker sandbox (unshare, none) would leave in reach: signalling the grader, spawning, the network.
 */
import { readSync as fsReadSync, writeSync as fsWriteSync } from "fs";
import Module = require("module");
import { basename, dirname } from "path";
import { TextDecoder, TextEncoder } from "util";
import { createHarness } from "./harness";
import { requirePacked } from "./packed-require";

// ---- captured before anything else (an imported name is a property lookup on the module at each use)
const readSync = fsReadSync;
const writeSync = fsWriteSync;
const $TextDecoder = TextDecoder;
const $TextEncoder = TextEncoder;
const $Int32Array = Int32Array;
const $SharedArrayBuffer = SharedArrayBuffer;
const $atomicsWait = Atomics.wait;
const $Uint8Array = Uint8Array;
const $typedArrayLength = Function.prototype.call.bind(
  Reflect.getOwnPropertyDescriptor(Reflect.getPrototypeOf(Uint8Array.prototype) as object, "length")!.get as () => number,
) as (a: Uint8Array) => number;
const $subarray = Function.prototype.call.bind(Uint8Array.prototype.subarray) as (a: Uint8Array, s: number, e?: number) => Uint8Array;
const $decode = Function.prototype.call.bind($TextDecoder.prototype.decode) as (d: TextDecoder, a: Uint8Array, o?: object) => string;
const $encode = Function.prototype.call.bind($TextEncoder.prototype.encode) as (e: TextEncoder, s: string) => Uint8Array;
const $indexOf = Function.prototype.call.bind(String.prototype.indexOf) as (s: string, x: string) => number;
const $slice = Function.prototype.call.bind(String.prototype.slice) as (s: string, a: number, b?: number) => string;
const $defineProperty = Reflect.defineProperty;
const $apply = Reflect.apply;
const $setInterval = setInterval;
const $clearInterval = clearInterval;
const $setHas = Function.prototype.call.bind(Set.prototype.has) as (s: Set<string>, x: string) => boolean;

const REQUESTS = 3;
const REPLIES = 4;
const [programPath, gradlabMain, gradlabPack] = process.argv.slice(2);

// ---- gradlab: `require("gradlab")` from the program means the mounted copy, wherever the program lives
type ModuleInternals = {
  _resolveFilename: (request: string, ...rest: unknown[]) => string;
  _load: (request: string, ...rest: unknown[]) => unknown;
};
const M = Module as unknown as ModuleInternals;
const resolve = M._resolveFilename;
// Only the program's folder, gradlab's dist/lib and the harness may be required. The permission model
// refuses other reads too; this says it in the student's terms ("outside your program").
const requirable = [dirname(programPath), dirname(gradlabMain), __dirname];
const inside = (file: string): boolean => {
  for (let i = 0; i < requirable.length; i++) {
    const root = requirable[i];
    if (file === root || $slice(file, 0, root.length + 1) === root + "/") return true;
  }
  return false;
};
M._resolveFilename = function (this: unknown) {
  const args = arguments; // not spread: a submission may have replaced Array.prototype[Symbol.iterator]
  if (args[0] === "gradlab") args[0] = gradlabMain;
  const file = $apply(resolve, this, args) as string;
  if (typeof file === "string" && file[0] === "/" && !inside(file)) {
    throw new Error(`require("${String(args[0])}"): ${file} is outside your program`);
  }
  return file;
};
// From its pack when the launcher passes one (lib-pack.ts): the same modules, without a file lookup each.
const gradlab = (gradlabPack
  ? requirePacked(gradlabPack, dirname(gradlabMain), basename(gradlabMain), module)
  : require(gradlabMain)) as Record<string, unknown>;

// No source maps here: the grader maps the program's frames to cells (grader/program/stack.ts), once
// per program, where each child would parse the map again (and drop gradlab's frames anyway).

// ---- built-in modules a submission has no use for and that reach outside (spawn, threads, network,
// debugger, the module system itself). The permission model blocks some of them too; this names them.
const DENIED = new Set([
  "child_process", "cluster", "worker_threads", "inspector", "inspector/promises", "wasi", "trace_events", "v8",
  "net", "dgram", "http", "https", "http2", "tls", "dns", "dns/promises", "module", "repl",
]);
const deny = (request: unknown): void => {
  if (typeof request !== "string") return;
  const name = $slice(request, 0, 5) === "node:" ? $slice(request, 5) : request;
  if ($setHas(DENIED, name)) throw new Error(`require("${request}") is not available while grading`);
};
const load = M._load;
M._load = function (this: unknown) {
  deny(arguments[0]);
  return $apply(load, this, arguments);
};
const getBuiltinModule = (process as unknown as { getBuiltinModule?: (id: string) => unknown }).getBuiltinModule;
if (getBuiltinModule) {
  $defineProperty(process, "getBuiltinModule", {
    value: (id: string) => (deny(id), $apply(getBuiltinModule, process, [id])),
  });
}

// ---- process methods that signal other processes, load native code or change identity. process.exit
// and process.abort stay: ending itself is something the parent sees and reports.
for (const name of [
  "kill", "_kill", "send", "disconnect", "binding", "_linkedBinding", "dlopen", "_debugProcess", "_debugEnd",
  "_startProfilerIdleNotifier", "_stopProfilerIdleNotifier", "chdir", "setuid", "setgid", "seteuid", "setegid",
  "setgroups", "initgroups", "loadEnvFile",
]) {
  $defineProperty(process, name, {
    value: () => {
      throw new Error(`process.${name} is not available while grading`);
    },
    writable: false,
    configurable: false,
  });
}
for (const name of ["fetch", "WebSocket", "EventSource"]) delete (globalThis as Record<string, unknown>)[name];

// ---- the line protocol, with blocking reads: between requests nothing of the student's runs
const decoder = new $TextDecoder();
const encoder = new $TextEncoder();
const chunk = new $Uint8Array(64 * 1024);
const pause = new $Int32Array(new $SharedArrayBuffer(4));
let pending = "";

function retryable(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === "EAGAIN" || code === "EINTR";
}

/** The next request line, or null at end of input (the parent is gone). */
function readLine(): string | null {
  for (;;) {
    const nl = $indexOf(pending, "\n");
    if (nl >= 0) {
      const line = $slice(pending, 0, nl);
      pending = $slice(pending, nl + 1);
      return line;
    }
    let n: number;
    try {
      n = readSync(REQUESTS, chunk, 0, $typedArrayLength(chunk), null);
    } catch (e) {
      if (!retryable(e)) throw e;
      $atomicsWait(pause, 0, 0, 5); // the fd was made non-blocking by someone: wait and retry
      continue;
    }
    if (n === 0) return null;
    pending += $decode(decoder, $subarray(chunk, 0, n), { stream: true });
  }
}

function writeLine(line: string): void {
  const bytes = $encode(encoder, line + "\n");
  const total = $typedArrayLength(bytes);
  for (let off = 0; off < total; ) {
    try {
      off += writeSync(REPLIES, bytes, off, total - off);
    } catch (e) {
      if (!retryable(e)) throw e;
      $atomicsWait(pause, 0, 0, 5);
    }
  }
}

const harness = createHarness({ gradlab, load: () => require(programPath) });

/** One request's answer. A call may return a promise that never settles with nothing else pending: the
 *  held timer keeps Node from exiting then (a crash the student never caused), so the parent's budget
 *  reports a wait instead. */
async function answer(line: string): Promise<string> {
  const hold = $setInterval(() => undefined, 1 << 30);
  try {
    return await harness.handle(line);
  } finally {
    $clearInterval(hold);
  }
}

async function serve(): Promise<void> {
  for (let line = readLine(); line !== null; line = readLine()) writeLine(await answer(line));
}

serve().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`grader harness failed: ${String(e)}\n`);
    process.exit(70);
  },
);
