/**
 * Compiling submissions on a thread of their own during a class run. The grading loop's thread answers
 * every child's round trips, and a distinct program takes it ~0.15 s to compile: in that time the other
 * gradings' children waited for their replies, so a class of all-different programs left a core idle
 * for much of its compiling. On a worker thread the compile runs beside them.
 *
 * Starting the thread costs ~4 s of CPU (TypeScript and the library declarations loaded again, its compiler
 * code cold), which pays back only over many distinct programs: the first `inThreadFirst` programs not seen
 * before compile in this thread, and the worker starts with the next one. A class of copies of a few
 * programs never starts it.
 *
 * The worker is the compiled dist/grader/program/compile-worker.js (as the sandbox's child runs dist/):
 * where it is missing or the thread fails, every compile (pending ones included) happens in this thread
 * instead, with the same result.
 */
import { existsSync } from "fs";
import { join } from "path";
import { Worker } from "worker_threads";
import { packageRoot } from "../../lib/data/package-root";
import { cachedProgram, compileKey, compileStats, compileUncached, rememberProgram, type CompiledProgram, type ProgramText } from "./compile";

export interface CompileRequest {
  id: number;
  program: ProgramText;
  exported: string[];
  forbidden: string[];
}

export type CompileReply = { id: number; compiled: CompiledProgram } | { id: number; error: string };

interface Pending {
  request: CompileRequest;
  resolve(compiled: CompiledProgram): void;
  reject(error: Error): void;
}

export const COMPILE_WORKER = join("dist", "grader", "program", "compile-worker.js");
/** Distinct programs compiled in this thread before the worker starts (a start costs ~25 compiles' CPU). */
export const IN_THREAD_FIRST = 16;

export class CompileThread {
  private worker: Worker | null = null;
  /** The thread could not start or died: compile here from now on. */
  private broken = false;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Programs not seen before, so far. */
  private misses = 0;

  constructor(private readonly opts: { script?: string; inThreadFirst?: number } = {}) {}

  /** Whether the worker thread is running. */
  get threaded(): boolean {
    return this.worker !== null;
  }

  /** The compiled program, from this thread's cache (code seen before) or compiled by the worker. */
  compile(program: ProgramText, exported: string[], forbidden: string[]): Promise<CompiledProgram> {
    const key = compileKey(program, exported, forbidden);
    const hit = cachedProgram(key);
    if (hit) {
      compileStats.reused++;
      return Promise.resolve(hit);
    }
    const request: CompileRequest = { id: this.nextId++, program: { source: program.source, origins: program.origins }, exported, forbidden };
    const worker = ++this.misses > (this.opts.inThreadFirst ?? IN_THREAD_FIRST) ? this.started() : null;
    const compiled = worker
      ? new Promise<CompiledProgram>((resolve, reject) => {
        this.pending.set(request.id, { request, resolve, reject });
        worker.postMessage(request);
      })
      : this.inThread(request);
    return compiled.then((c) => {
      compileStats.compiled++;
      rememberProgram(key, c);
      return c;
    });
  }

  /** Stops the thread; compiles still pending finish in this thread. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.broken = true;
    if (worker) await worker.terminate();
    this.compileLeftovers();
  }

  private started(): Worker | null {
    if (this.worker || this.broken) return this.worker;
    const script = this.opts.script ?? join(packageRoot(), COMPILE_WORKER);
    if (!existsSync(script)) {
      this.broken = true;
      return null;
    }
    const worker = new Worker(script);
    worker.on("message", (reply: CompileReply) => this.answer(reply));
    worker.on("error", () => this.fail(worker));
    worker.on("exit", () => this.fail(worker));
    this.worker = worker;
    return worker;
  }

  private answer(reply: CompileReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if ("error" in reply) p.reject(new Error(reply.error));
    else p.resolve(reply.compiled);
  }

  private fail(worker: Worker): void {
    if (this.worker !== worker) return; // closed on purpose
    this.worker = null;
    this.broken = true;
    this.compileLeftovers();
  }

  private compileLeftovers(): void {
    const left = [...this.pending.values()];
    this.pending.clear();
    for (const p of left) this.inThread(p.request).then(p.resolve, p.reject);
  }

  private inThread(request: CompileRequest): Promise<CompiledProgram> {
    try {
      return Promise.resolve(compileUncached(request.program, request.exported, request.forbidden));
    } catch (e) {
      return Promise.reject(e);
    }
  }
}
