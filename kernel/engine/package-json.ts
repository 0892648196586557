/**
 * The package a folder belongs to, as Node decides it: the nearest package.json at or above the folder
 * (Node stops there, whether or not it is usable). Its "types" let the kernel type-check a notebook's
 * import of its own package; its "exports" let Node load it (self-reference).
 */
import { existsSync, readFileSync } from "fs";
import { dirname, join, resolve } from "path";

export interface EnclosingPackage {
  root: string;
  /** The parsed package.json, or null when it is not valid JSON. */
  json: Record<string, any> | null;
}

export function enclosingPackage(dir: string): EnclosingPackage | null {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const file = join(d, "package.json");
    if (existsSync(file)) {
      try {
        return { root: d, json: JSON.parse(readFileSync(file, "utf8")) };
      } catch {
        return { root: d, json: null };
      }
    }
    if (dirname(d) === d) return null;
  }
}
