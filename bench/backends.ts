/**
 * gradlab's impls of a workload, one per matrix-product backend (gradlab-native, gradlab-wasm,
 * gradlab-js), each forcing its backend for its own runs only. A backend that cannot load here is
 * reported as unavailable (skipped with its reason) rather than silently timing another one.
 */
import { loadBackend, setBackend } from "../lib/tensor/backend";
import type { BackendName } from "../lib/tensor/backend";
import { inProcess, Outcome } from "./harness";
import { Impl } from "./types";

const NAMES: BackendName[] = ["native", "wasm", "js"];

/** `setup` runs once, lazily, before the first measured run (data and models are built there, untimed). */
export function gradlabImpls(setup: () => () => Outcome, opts: { warmup?: number; backends?: BackendName[] } = {}): Impl[] {
  let job: (() => Outcome) | undefined;
  return (opts.backends ?? NAMES).map((name) => ({
    name: `gradlab-${name}`,
    unavailable() {
      const b = loadBackend(name);
      return typeof b === "string" ? b : null;
    },
    async measure(runs: number) {
      const before = setBackend(name);
      try {
        job ??= setup();
        return await inProcess(`gradlab-${name}`, job, { warmup: opts.warmup }).measure(runs);
      } finally {
        setBackend(before.name);
      }
    },
  }));
}
