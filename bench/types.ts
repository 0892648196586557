/**
 * The benchmark's vocabulary. A workload is a fixed job (same data, same seeds, same amount of work);
 * an implementation (impl) is one way to do it: `gradlab` itself, or a reference such as `numpy`.
 * Adding a workload means adding a file to bench/workloads/ that exports `workload` or `workloads`.
 */
export interface Measurement {
  /** Wall-clock time of each timed run, in milliseconds (warm-up runs excluded). */
  times_ms: number[];
  /** Test accuracy the job reached, for training workloads. */
  accuracy?: number;
  /** Floating-point operations of one run, for numeric kernels (gives gflops). */
  flops?: number;
}

export interface Impl {
  /** "gradlab", "numpy", ... */
  name: string;
  /** Null when this impl can run here; otherwise why not (e.g. Debian's python3-numpy missing). */
  unavailable?(): string | null;
  /** Runs the job `runs` times after any warm-up it needs, and reports the times. */
  measure(runs: number): Promise<Measurement>;
}

export interface Workload {
  name: string;
  description: string;
  /** Timed runs when --runs is not given (long jobs use fewer). */
  defaultRuns: number;
  impls: Impl[];
}

/** One line of `gradlab bench --json`. */
export interface BenchResult {
  workload: string;
  impl: string;
  median_ms: number;
  min_ms: number;
  max_ms: number;
  runs: number;
  gflops?: number;
  accuracy?: number;
}
