import { backendInfo } from "../lib/tensor/backend";
import { compareLines } from "./compare";
import { summarise } from "./harness";
import { numpyBlas } from "./python";
import { parseCommandLine, usageFailure, UsageError } from "../bin/args";
import { loadWorkloads } from "./registry";
import { BenchResult } from "./types";

const HELP = `usage: gradlab bench [--json] [--compare] [--only NAME] [--impl NAME] [--runs N] [--list]

Runs the fixed benchmark workloads and reports median/min/max wall-clock time per implementation.
  --json        print one JSON array of results on stdout (progress goes to stderr)
  --only NAME   run one workload (repeatable; see --list)
  --impl NAME   run one implementation, e.g. gradlab-native or numpy; gradlab means every gradlab-* (repeatable)
  --compare     after the rows, print each gradlab row's ratio to the references of its workload
  --runs N      timed runs per implementation (default: the workload's own)
  --list        list the workloads and their implementations`;

/** `gradlab bench`: exit code 0 on success, 2 on bad usage, 1 when a workload fails. */
export async function main(args: string[]): Promise<number> {
  let only: string[], impls: string[], json: boolean, list: boolean, compare: boolean, runs: number | undefined;
  try {
    const line = parseCommandLine(args, {
      json: { type: "boolean" }, list: { type: "boolean" }, compare: { type: "boolean" },
      only: { type: "string", multiple: true }, impl: { type: "string", multiple: true }, runs: { type: "string" },
    });
    if (line.help) {
      console.log(HELP);
      return 0;
    }
    const v = line.values;
    only = (v.only as string[] | undefined) ?? [];
    impls = (v.impl as string[] | undefined) ?? [];
    json = v.json === true;
    list = v.list === true;
    compare = v.compare === true;
    if (v.runs !== undefined) {
      runs = Number(v.runs);
      if (!Number.isInteger(runs) || runs < 1) throw new UsageError(`--runs needs a whole number >= 1, got ${v.runs}`);
    }
  } catch (e) {
    return usageFailure("gradlab bench", e, HELP);
  }

  const all = loadWorkloads();
  if (list) {
    for (const w of all) console.log(`${w.name.padEnd(16)} ${w.description}  [${w.impls.map((i) => i.name).join(", ")}]`);
    return 0;
  }
  const unknown = only.filter((n) => !all.some((w) => w.name === n));
  if (unknown.length) {
    console.error(`gradlab bench: no workload named ${unknown.map((n) => `'${n}'`).join(", ")}; there are: ${all.map((w) => w.name).join(", ")}`);
    return 2;
  }
  const chosen = only.length ? all.filter((w) => only.includes(w.name)) : all;
  const log = (s: string) => (json ? process.stderr : process.stdout).write(s + "\n");
  const wanted = (name: string) => impls.length === 0 || impls.some((i) => name === i || name.startsWith(i + "-"));
  const info = backendInfo();
  log(`gradlab backend: ${info.active} (${info.detail})${Object.entries(info.unavailable).map(([n, why]) => `; ${n} unavailable: ${why}`).join("")}`);
  if (chosen.some((w) => w.impls.some((i) => i.name === "numpy" && wanted(i.name)))) log(`numpy BLAS: ${numpyBlas()}`);

  const results: BenchResult[] = [];
  let failed = false;
  for (const w of chosen) {
    for (const impl of w.impls.filter((i) => wanted(i.name))) {
      const why = impl.unavailable?.();
      if (why) {
        log(`skip ${w.name}/${impl.name}: ${why}`);
        continue;
      }
      try {
        const r = summarise(w, impl, await impl.measure(runs ?? w.defaultRuns));
        results.push(r);
        if (!json) log(formatRow(r));
      } catch (e) {
        failed = true;
        log(`FAIL ${w.name}/${impl.name}: ${(e as Error).message}`);
      }
    }
  }
  if (json) process.stdout.write(JSON.stringify(results, null, 2) + "\n");
  if (compare) for (const line of compareLines(results)) log(line);
  return failed ? 1 : 0;
}


function formatRow(r: BenchResult): string {
  const extra = [r.gflops !== undefined ? `${r.gflops} GFLOP/s` : "", r.accuracy !== undefined ? `accuracy ${r.accuracy}` : ""].filter(Boolean).join(", ");
  return `${r.workload.padEnd(18)} ${r.impl.padEnd(14)} median ${r.median_ms.toFixed(1).padStart(9)} ms  (min ${r.min_ms.toFixed(1)}, max ${r.max_ms.toFixed(1)}, ${r.runs} runs)${extra ? "  " + extra : ""}`;
}
