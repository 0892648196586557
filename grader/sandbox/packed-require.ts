/**
 * The child's side of lib-pack.ts: requires gradlab from its pack. Each module is compiled when it is
 * first required, under its real filename (stack traces read as before) and into Node's own module
 * cache, so a module also reached by Node's require (a lazily loaded namespace, or a program that
 * requires a file of gradlab by its path) is the same instance either way.
 */
import { readFileSync } from "fs";
import Module = require("module");
import { dirname, join } from "path";
import { compileFunction } from "vm";
import type { Pack } from "./lib-pack";

type ModuleInternals = typeof Module & {
  _cache: Record<string, NodeModule>;
  _nodeModulePaths(dir: string): string[];
  _resolveFilename(request: string, parent: NodeModule, isMain: boolean, options?: object): string;
};
// Captured now: namespaces load from the pack after the program has run, and it may have patched these.
const M = Module as ModuleInternals;
const cache = M._cache;
const nodeModulePaths = M._nodeModulePaths.bind(M);
const $compileFunction = compileFunction;
const $join = join;
const $dirname = dirname;
const $apply = Reflect.apply;
const $hasOwn = Object.hasOwn;
const $Buffer = Buffer;

/** A module's wrapper parameters, as Node's; lib-pack.ts makes the code caches for this same wrapper. */
export const PARAMETERS = ["exports", "require", "module", "__filename", "__dirname"];

/** Requires `entry` (a path relative to `libDir`) and what it requires of `libDir` from `packFile`. */
export function requirePacked(packFile: string, libDir: string, entry: string, parent: NodeModule): unknown {
  const { modules } = JSON.parse(readFileSync(packFile, "utf8")) as Pack;

  const load = (name: string, from: NodeModule): unknown => {
    const filename = $join(libDir, name);
    const cached = cache[filename];
    if (cached) return cached.exports;
    const packed = modules[name];
    const mod = new Module(filename, from);
    mod.filename = filename;
    mod.paths = nodeModulePaths($dirname(filename));
    const localRequire = ((spec: string) =>
      $hasOwn(packed.requires, spec) ? load(packed.requires[spec], mod) : mod.require(spec)) as NodeJS.Require;
    localRequire.cache = cache;
    localRequire.main = require.main;
    localRequire.resolve = ((spec: string, options?: object) =>
      $hasOwn(packed.requires, spec) ? $join(libDir, packed.requires[spec]) : M._resolveFilename(spec, mod, false, options)) as NodeJS.RequireResolve;
    cache[filename] = mod; // before it runs, as Node does: a require circle gets the exports so far
    try {
      const cachedData = packed.codeCache ? $Buffer.from(packed.codeCache, "base64") : undefined;
      const body = $compileFunction(packed.source, PARAMETERS, { filename, cachedData });
      $apply(body, mod.exports, [mod.exports, localRequire, mod, filename, $dirname(filename)]);
    } catch (e) {
      delete cache[filename];
      throw e;
    }
    mod.loaded = true;
    return mod.exports;
  };
  return load(entry, parent);
}
