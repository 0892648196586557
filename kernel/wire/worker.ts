/**
 * Entry of the wire thread (a worker_threads Worker started by kernel/main.ts). It owns the sockets;
 * the main thread owns the engine. Interrupts are SIGINT to our own process: the main thread's vm
 * runs cells with breakOnSigint, and its SIGINT listener stops cells that are awaiting.
 */
import { parentPort, workerData } from "worker_threads";
import type { EngineEvent, WireCommand, WireConfig } from "../bridge";
import { readConnectionFile } from "../protocol/connection";
import { KernelServer } from "./server";
import { watchParent } from "./parent-watchdog";

export type WireToMain =
  | { kind: "engine"; req: import("../bridge").EngineRequest }
  | { kind: "bound" }
  | { kind: "shutdown"; restart: boolean }
  | { kind: "log"; text: string }
  | { kind: "fatal"; text: string };

async function run(): Promise<void> {
  const config = workerData as WireConfig;
  watchParent(config.connectionFile); // here, not on the main thread, which a busy cell blocks
  const port = parentPort!;
  const post = (m: WireToMain) => port.postMessage(m);
  const server = new KernelServer(readConnectionFile(config.connectionFile), config, {
    toEngine: (req) => post({ kind: "engine", req }),
    interrupt: () => process.kill(process.pid, "SIGINT"),
    shutdown: (restart) => {
      void server.close().then(() => post({ kind: "shutdown", restart }));
    },
    log: (text) => post({ kind: "log", text }),
  });
  port.on("message", (ev: EngineEvent | WireCommand) => {
    if (ev.kind !== "close") return server.onEngineEvent(ev);
    // The main thread waits (Atomics.wait) for the sockets to be closed before it ends the process.
    const closed = new Int32Array(ev.closed);
    void server.close().catch(() => undefined).finally(() => {
      Atomics.store(closed, 0, 1);
      Atomics.notify(closed, 0);
    });
  });
  await server.start();
  post({ kind: "bound" });
}

run().catch((e) => parentPort!.postMessage({ kind: "fatal", text: (e as Error).stack ?? String(e) }));
