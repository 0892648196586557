/**
 * The gradlab kernel process: `node dist/kernel/main.js <connection_file>` (what the kernelspec runs).
 * The wire thread (a worker) binds the sockets at once and answers kernel_info while this thread
 * loads TypeScript; then this thread serves the engine requests the wire thread forwards.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { Worker } from "worker_threads";
import type { EngineEvent, EngineRequest, WireConfig } from "./bridge";
import { Engine } from "./engine/engine";
import { applyKernelV8Flags } from "./engine/v8-flags";
import { installKernelExit } from "./exit";
import type { WireToMain } from "./wire/worker";

/** Writes to the real stderr (the kernel log), bypassing the capture that sends output to cells. */
const logStream = process.stderr.write.bind(process.stderr);
const log = (text: string) => logStream(`[gradlab kernel] ${text.endsWith("\n") ? text : text + "\n"}`);

function packageVersion(): string {
  try {
    return JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8")).version;
  } catch {
    return "0.0.0";
  }
}

export function startKernel(connectionFile: string): void {
  applyKernelV8Flags(); // before TypeScript loads: V8's code cache is checked against the flags
  // A SIGINT must never end the process (Node's default), also while the engine loads TypeScript (seconds,
  // before its own handler exists). This thread is blocked while loading, so such a signal is handled
  // just after, when no cell has started: it is ignored (the engine stops running cells itself).
  let engine: Engine | null = null;
  process.on("SIGINT", () => {
    if (!engine?.runningCount) log("interrupt with no cell running (TypeScript may have been loading): ignored");
  });
  const config: WireConfig = {
    connectionFile,
    // TypeScript's version is filled in by the wire thread's kernel_info from the engine's "ready".
    versions: { typescript: "", tslab: "", gradlab: packageVersion() },
  };
  const tslabPkg = JSON.parse(readFileSync(require.resolve("tslab/package.json"), "utf8"));
  const tsPkg = JSON.parse(readFileSync(require.resolve("@tslab/typescript-for-tslab/package.json", { paths: [require.resolve("tslab/package.json")] }), "utf8"));
  config.versions.tslab = tslabPkg.version;
  config.versions.typescript = tsPkg.version;

  const worker = new Worker(join(__dirname, "wire", "worker.js"), { workerData: config, stdout: true, stderr: true });
  const { exit } = installKernelExit(worker, log, () => {
    const count = engine?.runningCount;
    return count ? `cell ${count}` : null;
  });
  worker.stdout.on("data", (d: Buffer) => logStream(d));
  worker.stderr.on("data", (d: Buffer) => logStream(d));
  const toWire = (ev: EngineEvent) => worker.postMessage(ev);
  worker.on("error", (e) => {
    exit(1, `wire thread failed: ${e.stack}`);
  });
  worker.on("exit", (code) => {
    exit(code === 0 ? 0 : 1, `wire thread exited (${code})`);
  });

  const waiting: EngineRequest[] = [];
  let busy = false;
  const serve = async () => {
    if (busy || !engine) return;
    busy = true;
    while (waiting.length) {
      const req = waiting.shift()!;
      let content: unknown;
      try {
        content = await engine.handle(req);
      } catch (e) {
        log(`engine failed on ${req.kind}: ${(e as Error).stack}`);
        content = req.kind === "execute"
          ? { status: "error", ename: "KernelError", evalue: String((e as Error).message), traceback: [String((e as Error).stack)] }
          : { status: "error", ename: "KernelError", evalue: String((e as Error).message), traceback: [] };
      }
      if (req.kind !== "input_reply") toWire({ kind: "reply", id: (req as { id: number }).id, content });
    }
    busy = false;
  };
  worker.on("message", (m: WireToMain) => {
    switch (m.kind) {
      case "engine":
        // Input replies answer a cell that is awaiting input(): they must not queue behind it.
        if (m.req.kind === "input_reply") void engine?.handle(m.req);
        else {
          waiting.push(m.req);
          void serve();
        }
        break;
      case "shutdown":
        // A shutdown_request (its reply has left): the normal end, nothing to log. A kernel shut down
        // within 200 ms of its first cell has not written its caches yet: the next start needs them.
        engine?.saveCaches();
        exit(0, null);
        break;
      case "log":
        log(m.text);
        break;
      case "fatal":
        exit(1, `cannot start: ${m.text}`);
        break;
      case "bound":
        break;
    }
  });

  engine = new Engine(toWire, log);
  toWire({ kind: "ready", typescriptVersion: engine.ts.tsVersion });
  void serve();
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    log("usage: node dist/kernel/main.js <connection_file>");
    process.exit(2);
  }
  startKernel(file);
}
