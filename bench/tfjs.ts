/**
 * TensorFlow.js, the JavaScript peer, as reference impls (tfjs-wasm, tfjs-cpu): the same job in
 * float32, TensorFlow.js's only float dtype on these backends. Loaded on first use (devDependencies:
 * @tensorflow/tfjs-core, -backend-wasm, -backend-cpu); unavailable with the reason when missing.
 */
import { dirname, join } from "path";
import { inProcess, Outcome } from "./harness";
import { Impl } from "./types";

// The slice of the tfjs API the workloads use (typed loosely: tfjs is an optional devDependency).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Tf = any;

let tf: Tf | undefined;

function load(): Tf {
  if (!tf) {
    /* eslint-disable @typescript-eslint/no-var-requires */
    const core = require("@tensorflow/tfjs-core");
    require("@tensorflow/tfjs-backend-cpu");
    const wasm = require("@tensorflow/tfjs-backend-wasm");
    /* eslint-enable @typescript-eslint/no-var-requires */
    // In Node the wasm backend must be told where its .wasm files are (its package's dist folder).
    wasm.setWasmPaths(join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm")), "/"));
    tf = core;
  }
  return tf;
}

function missing(): string | null {
  try {
    load();
    return null;
  } catch (e) {
    return `TensorFlow.js is not installed (${String((e as Error).message).split("\n")[0]})`;
  }
}

/** tfjs-wasm and tfjs-cpu impls; `setup(tf)` builds the data once per backend (untimed) and returns the job. */
export function tfjsImpls(setup: (tf: Tf) => () => Outcome, opts: { warmup?: number } = {}): Impl[] {
  return (["wasm", "cpu"] as const).map((backend) => ({
    name: `tfjs-${backend}`,
    unavailable: missing,
    async measure(runs: number) {
      const t = load();
      if (!(await t.setBackend(backend))) throw new Error(`tfjs backend '${backend}' failed to initialise`);
      await t.ready();
      const job = setup(t);
      // tfjs-cpu is plain JS in float32 (~1.5 s for gemm-512): 3 runs of it say enough within the bench's budget.
      const n = backend === "cpu" ? Math.min(runs, 3) : runs;
      return inProcess(`tfjs-${backend}`, () => t.tidy(job), { warmup: backend === "cpu" ? 1 : opts.warmup ?? 2 }).measure(n);
    },
  }));
}
