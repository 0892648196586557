/**
 * `gradlab bench --compare`: each gradlab row against the reference rows of the same workload (numpy,
 * tfjs-*, micrograd, tslab), from one run only, since the machine's load makes runs incomparable.
 * Time ratios are gradlab ÷ reference (below 1 is faster), of the medians and, in brackets, of the
 * fastest runs (on a loaded machine a spike can hit one impl's runs and not its reference's; the
 * fastest runs are the least disturbed); GFLOP/s rows also show gradlab's share of the reference's rate.
 */
import { BenchResult } from "./types";

export function compareLines(results: BenchResult[]): string[] {
  const lines = ["", "ratios within this run (gradlab time ÷ reference time, of medians [of fastest runs]; for GFLOP/s, gradlab's median rate as % of the reference's):"];
  const workloads = [...new Set(results.map((r) => r.workload))];
  for (const w of workloads) {
    const rows = results.filter((r) => r.workload === w);
    const ours = rows.filter((r) => r.impl.startsWith("gradlab"));
    const refs = rows.filter((r) => !r.impl.startsWith("gradlab"));
    for (const g of ours) {
      const parts = refs.map((ref) => {
        const time = `${(g.median_ms / ref.median_ms).toFixed(2)}× ${ref.impl} [min ${(g.min_ms / ref.min_ms).toFixed(2)}×]`;
        return g.gflops !== undefined && ref.gflops ? `${time} (${((100 * g.gflops) / ref.gflops).toFixed(0)}% of its GFLOP/s)` : time;
      });
      // Each backend also against gradlab-js, the reference it is tested against.
      const js = ours.find((r) => r.impl === "gradlab-js");
      if (js && js !== g) parts.push(`${(g.median_ms / js.median_ms).toFixed(2)}× gradlab-js`);
      lines.push(`${w.padEnd(18)} ${g.impl.padEnd(14)} ${parts.join(", ") || "no reference in this run"}`);
    }
  }
  return lines;
}
