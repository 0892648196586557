import { BenchResult, Impl, Measurement, Workload } from "./types";

export interface Outcome {
  accuracy?: number;
  flops?: number;
}

/**
 * An impl timed in this process: `warmup` untimed runs (so V8 has compiled the hot loops), then
 * `runs` timed ones. The outcome of the last run supplies accuracy / flops.
 */
export function inProcess(name: string, job: () => Outcome | Promise<Outcome>, opts: { warmup?: number } = {}): Impl {
  return {
    name,
    async measure(runs: number): Promise<Measurement> {
      for (let i = 0; i < (opts.warmup ?? 0); i++) await job();
      const times: number[] = [];
      let outcome: Outcome = {};
      for (let i = 0; i < runs; i++) {
        const start = process.hrtime.bigint();
        outcome = await job();
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      return { times_ms: times, ...outcome };
    },
  };
}

/** Median, min and max of the timed runs, and gflops when the impl reported flops. */
export function summarise(workload: Workload, impl: Impl, m: Measurement): BenchResult {
  if (m.times_ms.length === 0) throw new Error(`bench: ${workload.name}/${impl.name} reported no timed runs`);
  const sorted = [...m.times_ms].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const result: BenchResult = {
    workload: workload.name,
    impl: impl.name,
    median_ms: round(median),
    min_ms: round(sorted[0]),
    max_ms: round(sorted[sorted.length - 1]),
    runs: sorted.length,
  };
  if (m.flops !== undefined) result.gflops = round(m.flops / (median * 1e6));
  if (m.accuracy !== undefined) result.accuracy = round(m.accuracy, 4);
  return result;
}

const round = (v: number, digits = 3) => Number(v.toFixed(digits));
