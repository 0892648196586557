import { readdirSync } from "fs";
import { join } from "path";
import { Workload } from "./types";

/**
 * Every workload, from the files in bench/workloads/ (each exports `workload` or `workloads`).
 * Discovered at run time, so a new workload (say kernel-startup.ts) needs no edit here. Sorted by name.
 */
export function loadWorkloads(dir = join(__dirname, "workloads")): Workload[] {
  const files = readdirSync(dir).filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith(".d.ts")).sort();
  const found: Workload[] = [];
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require(join(dir, file)) as { workload?: Workload; workloads?: Workload[] };
    const list = mod.workloads ?? (mod.workload ? [mod.workload] : []);
    if (list.length === 0) throw new Error(`bench/workloads/${file} exports neither 'workload' nor 'workloads'`);
    found.push(...list);
  }
  const names = new Set<string>();
  for (const w of found) {
    if (names.has(w.name)) throw new Error(`bench: two workloads are named '${w.name}'`);
    names.add(w.name);
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
