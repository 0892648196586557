/**
 * `require` for notebook cells: resolves from the notebook's folder, serves local .ts files that the
 * converter compiled beside the cell (tslab's "side outputs", whose maps it keeps for tracebacks), and serves ESM-only packages (vega is
 * one) that Node 20's require cannot load: before a cell runs, each package it requires is tried,
 * and one that is ES-module-only is loaded with a real import() and handed to the cell as a
 * CommonJS-looking namespace (`__esModule` set, so `import x from` gets the real default export).
 */
import { builtinModules, createRequire } from "module";
import Module = require("module");
import { dirname, extname, join, resolve } from "path";
import * as vm from "vm";
import type { CompiledModules } from "./frames";
import { TwoStageMap } from "./traceback";
import type { ModuleMaps } from "./typescript";
import { isGradlabSpecifier, resolves, shippedGradlab } from "./shipped-gradlab";

// What require() says about a package it cannot load synchronously (Node 20.19+ requires plain ES
// modules itself and refuses only those with top-level await, like vega).
const ESM_ONLY = new Set(["ERR_REQUIRE_ESM", "ERR_REQUIRE_ASYNC_MODULE", "ERR_PACKAGE_PATH_NOT_EXPORTED"]);
const BUILTIN = new Set(builtinModules);

function isBare(spec: string): boolean {
  return !spec.startsWith(".") && !spec.startsWith("/") && !spec.startsWith("node:") && !BUILTIN.has(spec);
}

/** Silences Node's one-time "USE_MAIN_CONTEXT_DEFAULT_LOADER is experimental" warning (it would land in a cell). */
function quietExperimentalLoaderWarning(): void {
  const emit = process.emitWarning.bind(process) as (...args: any[]) => void;
  (process as any).emitWarning = (warning: unknown, ...rest: unknown[]) => {
    if (String(warning).includes("USE_MAIN_CONTEXT_DEFAULT_LOADER")) return;
    emit(warning, ...rest);
  };
}

export class CellModules implements CompiledModules {
  private readonly base: NodeRequire;
  private readonly esm = new Map<string, object>();
  private readonly sideOutputs = new Map<string, string>();
  private readonly sideModules = new Map<string, Module>();
  private readonly sideMaps = new Map<string, TwoStageMap>();
  private readonly importer: (spec: string) => Promise<Record<string, unknown>>;
  readonly require: NodeRequire;
  /** The kernel's own gradlab, for notebooks without one (shipped-gradlab.ts). */
  private readonly shipped = shippedGradlab();

  constructor(private readonly dir: string) {
    this.base = createRequire(join(dir, "__notebook__.js"));
    quietExperimentalLoaderWarning();
    // import() that resolves from the notebook's folder through Node's own ESM loader.
    this.importer = new vm.Script("(spec) => import(spec)", {
      filename: join(dir, "__notebook_import__.js"),
      importModuleDynamically: (vm as any).constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    }).runInThisContext();
    this.require = this.wrap(this.base, dir);
  }

  /** The filename cell scripts get: in the notebook's folder so that their import() resolves from there. */
  cellFilename(count: number | string): string {
    return join(this.dir, `__cell_${count}__.js`);
  }

  /** Cells compile with dynamic import() left to Node's ESM loader, relative to the notebook's folder. */
  static scriptOptions(filename: string): vm.ScriptOptions {
    return { filename, importModuleDynamically: (vm as any).constants.USE_MAIN_CONTEXT_DEFAULT_LOADER };
  }

  /**
   * The local modules the converter compiled (again) for a cell, with the source maps it emitted for them
   * (typescript.ts, takeModuleMaps). The next require() of one runs the new code.
   */
  updateSideOutputs(outs: { path: string; data: string }[], maps: ModuleMaps[] = []): void {
    const mapsOf = new Map(maps.map((m) => [m.path, m.maps]));
    for (const out of outs) {
      this.sideModules.delete(out.path);
      this.sideOutputs.set(out.path, out.data);
      const m = mapsOf.get(out.path);
      if (m) this.sideMaps.set(out.path, new TwoStageMap(m));
      else this.sideMaps.delete(out.path);
    }
  }

  /** True for a local module the converter compiled beside a cell (its code is not the file's text). */
  has(path: string): boolean {
    return this.sideOutputs.has(path);
  }

  /**
   * The 1-based line and column in the module's own file (geometry.ts, or a local .js as written) of a
   * position in the CommonJS that runs, or null when the maps do not say. Node's CommonJS wrapper adds
   * no lines, so a frame's position is a position in that code.
   */
  originalPosition(path: string, line: number, column: number): { line: number; column: number } | null {
    const at = this.sideMaps.get(path)?.original(line - 1, column - 1);
    return at ? { line: at.line + 1, column: at.column + 1 } : null;
  }

  /** Loads the ES-module-only packages among the bare specifiers that the compiled cell requires. */
  async preload(js: string): Promise<void> {
    const specs = new Set<string>();
    for (const m of js.matchAll(/\brequire\("((?:[^"\\]|\\.)+)"\)/g)) if (isBare(m[1])) specs.add(m[1]);
    for (const spec of specs) {
      if (this.esm.has(spec)) continue;
      try {
        this.base(spec);
      } catch (e) {
        if (!ESM_ONLY.has((e as NodeJS.ErrnoException).code ?? "")) continue; // the cell reports it where it happens
        this.esm.set(spec, asCommonJs(await this.importer(spec)));
      }
    }
  }

  private wrap(req: NodeRequire, dir: string): NodeRequire {
    const self = this;
    const wrapped = function require(id: string) {
      const esm = self.esm.get(id);
      if (esm) return esm;
      const side = self.fromSideOutputs(id, dir);
      if (side) return side;
      if (isGradlabSpecifier(id) && self.shipped && !resolves(req, id)) return self.shipped.require(id);
      return req(id);
    } as NodeRequire;
    wrapped.resolve = req.resolve;
    wrapped.cache = req.cache;
    wrapped.main = req.main;
    wrapped.extensions = req.extensions;
    return wrapped;
  }

  /** A local .ts file compiled by the converter, loaded as a CommonJS module (as tslab's executor does). */
  private fromSideOutputs(id: string, dir: string): unknown {
    if (isBare(id)) return null;
    let filename = resolve(dir, id);
    if (extname(filename) === "") filename += ".js";
    const cached = this.sideModules.get(filename);
    if (cached) return cached.exports;
    const code = this.sideOutputs.get(filename);
    if (code === undefined) return null;
    const mod = new Module(filename, module);
    mod.filename = filename;
    mod.paths = (Module as any)._nodeModulePaths(dirname(filename));
    (mod as any).require = this.wrap(createRequire(filename), dirname(filename));
    this.sideModules.set(filename, mod);
    (mod as any)._compile(code, filename);
    return mod.exports;
  }
}

/** An ES module namespace seen through CommonJS interop: __esModule plus live getters. */
export function asCommonJs(ns: Record<string, unknown>): object {
  const out: Record<string, unknown> = {};
  Object.defineProperty(out, "__esModule", { value: true });
  for (const key of Object.keys(ns)) Object.defineProperty(out, key, { enumerable: true, get: () => ns[key] });
  return out;
}
