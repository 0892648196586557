/**
 * Namespaces that load on first access (lazy-index.ts): `gradlab.nn` is a getter that requires ./nn
 * once and is a plain property from then on. Importing gradlab then runs about half as many modules;
 * the grader starts one child per submission, and most programs never touch nn, optim, data or plot.
 *
 * The export object also answers, under LAZY_NAMESPACES, which of them are loaded: the grader's inspect
 * (grader/sandbox/harness.ts) asks it to tell whether a graded name is, or extends, a gradlab export,
 * and a program cannot hold anything of a namespace none of whose modules has run.
 */
import { sep } from "path";

/** A symbol, so the answer is neither an export nor a type: `() => [name, namespace or undefined][]`. */
export const LAZY_NAMESPACES = Symbol.for("gradlab.lazyNamespaces");

export type LazyNamespaces = () => Array<[string, object | undefined]>;

// Captured now: the grader asks after a submission has run, and it may have patched these.
const $defineProperty = Object.defineProperty;
const $ownKeys = Reflect.ownKeys;
const $startsWith = Function.prototype.call.bind(String.prototype.startsWith) as (s: string, prefix: string) => boolean;
const moduleCache: Record<string, unknown> = require.cache ?? {}; // jest's require may have none

/**
 * Defines each of `loaders` on `target` as a namespace loaded on first access. `folder` holds one
 * folder per namespace, named like it: a module of that folder that runs later, loaded by its path
 * and not through the getter, counts as the namespace being loaded. Call it after the eager exports:
 * what they load of those folders (graph drawings use plot/graph-svg) is not a use of the namespace.
 */
export function defineLazyNamespaces(target: object, folder: string, loaders: Record<string, () => object>): void {
  const names = Object.keys(loaders);
  const loaded: Record<string, object | undefined> = Object.create(null);
  const load = (name: string): object => {
    let ns = loaded[name];
    if (ns === undefined) {
      ns = loaded[name] = loaders[name]();
      $defineProperty(target, name, { value: ns, enumerable: true, writable: true, configurable: true });
    }
    return ns;
  };
  const modulesRun = (name: string): number => {
    const prefix = folder + sep + name + sep;
    const files = $ownKeys(moduleCache);
    let n = 0;
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      if (typeof f === "string" && $startsWith(f, prefix)) n++;
    }
    return n;
  };
  const atStart: Record<string, number> = Object.create(null);
  for (const name of names) atStart[name] = modulesRun(name);
  // Node only adds to its module cache. (A program that deletes from it can get fresh copies of any
  // class, lazy or not: no identity check stands up to that.)
  const ranByPath = (name: string): boolean => modulesRun(name) > atStart[name];
  for (const name of names) {
    $defineProperty(target, name, { get: () => load(name), enumerable: true, configurable: true });
  }
  const answer: LazyNamespaces = () => {
    const out: Array<[string, object | undefined]> = [];
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const entry: [string, object | undefined] = [name, loaded[name] ?? (ranByPath(name) ? load(name) : undefined)];
      $defineProperty(out, i, { value: entry, writable: true, enumerable: true, configurable: true }); // no setter on Array.prototype runs
    }
    return out;
  };
  $defineProperty(target, LAZY_NAMESPACES, { value: answer });
}
