/**
 * The --out folder of release, grade and merge, checked before any work: a path that is (or runs through)
 * a file would otherwise fail deep inside a run as an EEXIST or ENOTDIR stack trace.
 */
import { existsSync, statSync } from "fs";
import { dirname, resolve } from "path";

/** Why `out` cannot be an output folder, or null when it is one or can be made. */
export function outFolderProblem(out: string): string | null {
  for (let p = resolve(out); ; p = dirname(p)) {
    if (existsSync(p)) {
      if (statSync(p).isDirectory()) return null;
      return p === resolve(out) ? `--out ${out} is a file, not a folder` : `--out ${out} cannot be made: ${p} is a file`;
    }
    if (dirname(p) === p) return null;
  }
}
