/**
 * Loads tslab's converter (cross-cell type checking, top-level await) with adjustments made from
 * outside, without patching node_modules: tslab reads TypeScript through a module object we hand it (a
 * forwarding copy of @tslab/typescript-for-tslab, private-surface.ts: requireTslabWith) whose
 * createWatchCompilerHost adds our compiler options (kernelCompilerOptions), whose createWatchProgram
 * and transpileModule capture the source maps of both compile stages of each cell and local module
 * (cell-maps.ts, for tracebacks at the cell's own lines), and whose getPreEmitDiagnosticsOfFiles drops
 * TS2742.
 *
 * For speed (docs/kernel-performance.md), the patches of private-surface.ts: each cell's program is a
 * plain Program rather than tslab's builder program (plain-builder.ts), TypeScript itself is loaded by
 * ts-loader.ts (code cache; the text patch that lets the checker report modules it could not find),
 * @types/node is loaded lazily (lazy-node-types.ts) and declaration files get no watchers.
 * GRADLAB_KERNEL_PATCHES=0 turns them all off (docs/kernel-compiler-layer.md).
 */
import { readFileSync } from "fs";
import { dirname, join, resolve } from "path";
import { CellMaps, MapCapture, ModuleMaps } from "./cell-maps";
import { LazyNodeTypes, NodeTypesMode } from "./lazy-node-types";
import { enclosingPackage } from "./package-json";
import { CellPass, createPlainBuilder } from "./plain-builder";
import { enabledPatches, requireTslabWith, TSLAB_FILES, tslabPaths } from "./private-surface";
import { resolvesOwnGradlab, shippedGradlab } from "./shipped-gradlab";
import { cacheDir, LoadedScript, loadTypeScriptScript } from "./ts-loader";

/** tslab's converter interface (tslab/dist/converter.d.ts), restated so our build does not need its types. */
export interface Diagnostic {
  start: { offset: number; line: number; character: number };
  end: { offset: number; line: number; character: number };
  messageText: string;
  category: number;
  code: number;
  fileName?: string;
}

export interface ConvertResult {
  output?: string;
  declOutput?: string;
  diagnostics: Diagnostic[];
  lastExpressionVar?: string;
  hasToplevelAwait?: boolean;
  sideOutputs?: { path: string; data: string }[];
}

export interface Converter {
  convert(prevDecl: string, src: string): ConvertResult;
  inspect(prevDecl: string, src: string, position: number): any;
  complete(prevDecl: string, src: string, position: number): { start: number; end: number; candidates: string[] };
  close(): void;
}

export type { CellMaps, ModuleMaps } from "./cell-maps";

export interface LoadedTypeScript {
  ts: any;
  tsVersion: string;
  tslabVersion: string;
  createConverter(): Converter;
  isCompleteCode(code: string): { completed: boolean; indent?: string };
  printQuickInfo(info: any): string;
  /** How TypeScript was loaded (kernel/engine/ts-loader.ts); null when it was already loaded in this process. */
  loaderInfo: { patches: string[]; cache: string } | null;
  /** How the last converter created loads @types/node (lazy-node-types.ts); null before one was created. */
  nodeTypes(): { mode: NodeTypesMode | null; loaded: string[] } | null;
  /**
   * Writes what makes the next start faster, if a cell was converted and it is not written yet: the code
   * cache (ts-loader.ts) and the analysis of @types/node (lazy-node-types.ts). Done 200 ms after the first
   * cell, and by the kernel when it shuts down sooner. Never throws.
   */
  saveCaches(): void;
  /** Returns and forgets the cell's maps captured since the last call. */
  takeMaps(): CellMaps;
  /** Returns and forgets the maps of the local modules compiled since the last call. */
  takeModuleMaps(): ModuleMaps[];
}

/** The package the notebook sits in, when its package.json names it and its type declarations (for `paths`). */
export function selfReference(dir: string): { name: string; root: string; types: string } | null {
  const pkg = enclosingPackage(dir);
  const p = pkg?.json;
  const types = p?.types ?? p?.typings ?? p?.exports?.["."]?.types;
  return p?.name && typeof types === "string" ? { name: p.name, root: pkg!.root, types: resolve(pkg!.root, types) } : null;
}

/**
 * @param cwd the notebook's folder (tslab compiles relative to the process's working directory).
 * @param extraRootFiles declaration files every cell sees (the notebook globals).
 */
export function loadTypeScript(cwd = process.cwd(), extraRootFiles: string[] = []): LoadedTypeScript {
  const { tslabDir, tsPath } = tslabPaths();
  const { real, script, loadedNow } = loadTslabTypeScript(tsPath);
  const session: Session = {
    real, script, maps: new MapCapture(), cellPass: { converting: false, firstRebuild: false },
    lazy: null, latestBuilder: null, converted: false,
  };
  const ts = forwardingCopy(real, tslabOverrides(session, cwd, extraRootFiles, dirname(tsPath)));
  const tslab = requireTslabWith(ts, tsPath, tslabDir);
  return {
    ts: real,
    tsVersion: real.version,
    tslabVersion: JSON.parse(readFileSync(join(tslabDir, "package.json"), "utf8")).version,
    createConverter: () => wrapConverter(tslab.converter.createConverter(), session, loadedNow),
    loaderInfo: loadedNow ? { patches: loadedNow.patches, cache: loadedNow.cache } : null,
    isCompleteCode: (code) => tslab.converter.isCompleteCode(code),
    printQuickInfo: (info) => tslab.inspect.printQuickInfo(info),
    nodeTypes: () => (session.lazy ? { mode: session.lazy.state, loaded: session.lazy.loadedFiles() } : null),
    saveCaches: () => saveCaches(session, loadedNow),
    takeMaps: () => session.maps.takeMaps(),
    takeModuleMaps: () => session.maps.takeModuleMaps(),
  };
}

/** What the overrides of tslab's TypeScript share with the converters created. */
interface Session {
  real: any;
  /** TypeScript as loaded by ts-loader in this process (by the first loadTypeScript). */
  script: LoadedScript | null;
  maps: MapCapture;
  cellPass: CellPass;
  /** How the latest converter loads @types/node (tslab creates its watch host inside createConverter). */
  lazy: LazyNodeTypes | null;
  latestBuilder: any;
  /** A cell was converted: caches written now hold the checker and emitter too. */
  converted: boolean;
}

/** TypeScript as loaded by ts-loader in this process, by path (later loadTypeScript calls share it). */
const scripts = new Map<string, LoadedScript>();

/** tslab's TypeScript: loaded once per process (patched, through the code cache); later calls share it. */
function loadTslabTypeScript(tsPath: string): { real: any; script: LoadedScript | null; loadedNow: LoadedScript | null } {
  const loadedNow = require.cache[tsPath] ? null : loadTypeScriptScript(tsPath);
  if (loadedNow) scripts.set(tsPath, loadedNow);
  return { real: loadedNow ? loadedNow.exports : require(tsPath), script: scripts.get(tsPath) ?? null, loadedNow };
}

/**
 * A copy of `real` for tslab: tslab's `__importStar` copies own enumerable keys, so getters forward
 * to the real module and `overrides` replace its entries for tslab only.
 */
function forwardingCopy(real: any, overrides: Record<string, unknown>): object {
  const ts: any = {};
  for (const key of Object.keys(real)) {
    Object.defineProperty(ts, key, { enumerable: true, configurable: true, get: () => real[key] });
  }
  for (const [key, value] of Object.entries(overrides)) {
    Object.defineProperty(ts, key, { enumerable: true, configurable: true, value });
  }
  return ts;
}

/** The four TypeScript functions tslab gets from the kernel instead (the adapters and patches of private-surface.ts). */
function tslabOverrides(session: Session, cwd: string, extraRootFiles: string[], libDir: string): Record<string, unknown> {
  const { real, maps, cellPass } = session;
  return {
    createWatchCompilerHost: (rootFiles: string[], options: any, system: any, createProgram: unknown, ...more: unknown[]) => {
      const on = enabledPatches();
      maps.layout = { outDir: options.outDir, rootDir: options.rootDir };
      if (on.has("static-watchers")) skipStaticWatchers(system, libDir);
      const plain = on.has("plain-builder");
      const checkerReports = !!session.script?.patches.includes("module-not-found-hook") && on.has("module-not-found-hook");
      const lazy = (session.lazy = new LazyNodeTypes(real, cacheDir(), plain && on.has("lazy-node-types"), checkerReports));
      return real.createWatchCompilerHost([...rootFiles, ...extraRootFiles], { ...options, ...kernelCompilerOptions(real, cwd) }, system,
        plain ? createPlainBuilder(real, cellPass, lazy) : createProgram, ...more);
    },
    createWatchProgram: (host: any) => {
      const afterCreate = host.afterProgramCreate;
      host.afterProgramCreate = (builder: any) => {
        session.latestBuilder = builder;
        maps.captureEmit(builder);
        afterCreate?.(builder);
      };
      return real.createWatchProgram(host);
    },
    transpileModule: (input: string, options: any) =>
      options?.fileName === TSLAB_FILES.stage2Input ? maps.transpile(real, input, options) : real.transpileModule(input, options),
    // TS2742 ("the inferred type of x cannot be named without a reference to ...") comes from the
    // declarations tslab emits to carry types to the next cell, not from the user's code; e.g.
    // `const vega = await import("vega")` hits it. The emitted reference still resolves, so drop it.
    getPreEmitDiagnosticsOfFiles: (...args: unknown[]) =>
      real.getPreEmitDiagnosticsOfFiles(...args).filter((d: { code: number }) => d.code !== 2742),
  };
}

/**
 * Options added to tslab's: `types: ["node"]` (only @types/node is loaded globally: a notebook inside a
 * repository would otherwise parse every @types package there), `sourceMap`, Bundler resolution (reads
 * package.json "exports": vega-lite's types live only there; tslab's Node10 does not), and `paths` for
 * the enclosing package's own name and, when the notebook has none of its own, gradlab.
 */
function kernelCompilerOptions(ts: any, cwd: string): Record<string, unknown> {
  const extra: any = { types: ["node"], sourceMap: true, moduleResolution: ts.ModuleResolutionKind.Bundler };
  const self = selfReference(cwd);
  if (self) {
    extra.baseUrl = self.root;
    extra.paths = { [self.name]: [self.types] };
  }
  // A notebook that has no gradlab of its own type-checks against the kernel's (shipped-gradlab.ts).
  const shipped = resolvesOwnGradlab(cwd) ? null : shippedGradlab();
  if (shipped) extra.paths = { ...extra.paths, gradlab: [shipped.types] };
  return extra;
}

/** Writes the code cache and the analysis of @types/node, once a cell was converted (see LoadedTypeScript). */
function saveCaches(session: Session, loadedNow: LoadedScript | null): void {
  if (!session.converted) return; // the checker and emitter have not run: a cache now would miss them
  loadedNow?.saveCompileCache();
  session.lazy?.saveAnalysis(session.latestBuilder?.getProgram());
}

/** tslab's converter, with the kernel's work around convert, complete and inspect. */
function wrapConverter(converter: Converter, session: Session, loadedNow: LoadedScript | null): Converter {
  const nodeTypes = session.lazy!;
  const script = session.script;
  const stopListening = nodeTypes.checkerReports && script
    ? script.onModuleNotFound((name) => nodeTypes.noteModuleNotFound(name))
    : () => undefined;
  const close = converter.close.bind(converter);
  converter.close = () => {
    stopListening();
    close();
  };
  const convert = converter.convert.bind(converter);
  converter.convert = (prevDecl, src) => {
    session.cellPass.converting = session.cellPass.firstRebuild = true;
    try {
      return convert(prevDecl, src);
    } finally {
      session.cellPass.converting = session.cellPass.firstRebuild = false;
      // The code cache is written once, after the first cell, so it holds the checker and emitter too.
      // So is the analysis of @types/node that lets the next start load it lazily (first start only).
      if (!session.converted) setTimeout(() => saveCaches(session, loadedNow), 200).unref();
      session.converted = true;
    }
  };
  // Completion and inspection ask the checker too: when it missed a Node module we hold back,
  // ask again (the next program loads it).
  const completeOnce = converter.complete.bind(converter);
  converter.complete = (prevDecl, src, position) => {
    const result = completeOnce(prevDecl, src, position);
    return nodeTypes.missedModules ? completeOnce(prevDecl, src, position) : result;
  };
  const inspectOnce = converter.inspect.bind(converter);
  converter.inspect = (prevDecl, src, position) => {
    const result = inspectOnce(prevDecl, src, position);
    return nodeTypes.missedModules ? inspectOnce(prevDecl, src, position) : result;
  };
  return converter;
}

/**
 * tslab's watch host puts a file watcher on every file of the program, TypeScript's lib files and
 * @types/node's included (~120 at start, each a stat and an fs.watch). Declaration files inside
 * node_modules and TypeScript's lib folder do not change while a notebook runs (a reinstall wants a
 * kernel restart anyway), so they get none; the notebook's own files keep theirs, so an edited local
 * module is picked up (the "static-watchers" patch; GRADLAB_KERNEL_PATCHES=-static-watchers watches
 * everything, as tslab does).
 */
export function skipStaticWatchers(system: { watchFile?: (path: string, ...rest: unknown[]) => { close(): void } }, libDir: string): void {
  const watchFile = system.watchFile;
  if (!watchFile) return;
  const isStatic = (path: string) => path.endsWith(".d.ts") && (path.includes("/node_modules/") || path.startsWith(libDir + "/"));
  system.watchFile = (path: string, ...rest: unknown[]) => (isStatic(path) ? { close: () => undefined } : watchFile.call(system, path, ...rest));
}
