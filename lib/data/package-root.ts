import { existsSync, readFileSync } from "fs";
import { dirname, join } from "path";

let cached: string | undefined;

/**
 * The folder of gradlab's own package.json, found by walking up from this file. The same code runs as
 * lib/data/*.ts under jest and as dist/lib/data/*.js in Node, at different depths, so a fixed "../.."
 * would be wrong in one of them.
 */
export function packageRoot(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, "utf8")).name === "gradlab") return (cached = dir);
      } catch {
        // An unreadable package.json on the way up is not ours; keep climbing.
      }
    }
    if (dirname(dir) === dir) throw new Error(`cannot find gradlab's package.json above ${__dirname}`);
  }
}

/** A file shipped in the package's data/ folder. */
export function dataFile(name: string): string {
  const path = join(packageRoot(), "data", name);
  if (!existsSync(path)) throw new Error(`data file ${name} is missing: expected ${path} (it ships with gradlab in data/)`);
  return path;
}
