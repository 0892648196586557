/**
 * Loads tslab's converter (cross-cell type checking, top-level await) with three adjustments made
 * from outside, without patching node_modules: tslab reads TypeScript through a module object we
 * hand it (a forwarding copy of @tslab/typescript-for-tslab) whose createWatchCompilerHost adds our
 * compiler options, whose createWatchProgram captures the first-stage source map of each cell and of
 * each local module compiled beside it, and whose transpileModule captures the second stage (ES module
 * -> CommonJS) of both. The two maps let the executor report runtime errors at the cell's own lines,
 * and at a local module's (takeModuleMaps).
 *
 * Options added: `types: ["node"]` (only @types/node is loaded globally: a notebook inside a
 * repository would otherwise parse every @types package there, jest and babel included, which
 * costs ~0.6 s at start and ~5 ms per cell), `sourceMap`, and `baseUrl`/`paths` that map the
 * enclosing package's own name to its type declarations so that `import ... from "gradlab"`
 * type-checks inside this repository (Node resolves it at run time through package self-reference).
 *
 * For speed (docs/kernel-performance.md): each cell's program is a plain Program rather than tslab's
 * builder program (createPlainBuilder; GRADLAB_KERNEL_BUILDER=tslab restores tslab's), and TypeScript
 * itself is loaded by ts-loader.ts (code cache, no JSDoc in lib declarations until inspect needs it),
 * and @types/node is loaded lazily by lazy-node-types.ts (GRADLAB_KERNEL_LAZY_NODE_TYPES=0 loads it all).
 */
import { readFileSync } from "fs";
import { dirname, join, relative, resolve } from "path";
import { LazyNodeTypes, NodeTypesMode } from "./lazy-node-types";
import { enclosingPackage } from "./package-json";
import { resolvesOwnGradlab, shippedGradlab } from "./shipped-gradlab";
import { cacheDir, LoadedScript, loadTypeScriptScript } from "./ts-loader";

/** TypeScript as loaded by ts-loader in this process, by path (later converters share it). */
const scripts = new Map<string, LoadedScript>();

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

/** The source maps of the last conversion: TS -> ES module JS (stage 1), ES module -> CommonJS (stage 2). */
export interface CellMaps {
  stage1: string | null;
  stage2: string | null;
}

/** A local module the converter compiled beside a cell ("side output"): its path (as tslab names it) and maps. */
export interface ModuleMaps {
  path: string;
  maps: CellMaps;
}

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
  const tslabDir = dirname(require.resolve("tslab/package.json"));
  const tsPath = require.resolve("@tslab/typescript-for-tslab", { paths: [tslabDir] });
  // Loaded once per process (patched, through the code cache); later calls share it.
  const loaded = require.cache[tsPath] ? null : loadTypeScriptScript(tsPath);
  if (loaded) scripts.set(tsPath, loaded);
  const script = scripts.get(tsPath) ?? null;
  const real = loaded ? loaded.exports : require(tsPath);
  const maps: CellMaps = { stage1: null, stage2: null };
  // Side outputs by their emitted name (in tslab's outDir); `emitting` is the one whose second stage runs now.
  const moduleMaps = new Map<string, CellMaps>();
  let emitting: string | null = null;
  let layout: { outDir: string; rootDir: string } | null = null;
  const cellPass: CellPass = { converting: false, firstRebuild: false };
  const self = selfReference(cwd);
  const stage2Options = process.env.GRADLAB_KERNEL_CHECK_STAGE2 === "1" ? {} : { gradlabEmitWithoutCheck: true };
  // Per converter (tslab creates its watch host inside createConverter); only the plain builder loads lazily.
  let lazy: LazyNodeTypes | null = null;

  // A forwarding copy: tslab's `__importStar` copies own enumerable keys, so getters forward to the
  // real module and the three entries below replace it for tslab only.
  const ts: any = {};
  for (const key of Object.keys(real)) {
    Object.defineProperty(ts, key, { enumerable: true, configurable: true, get: () => real[key] });
  }
  const define = (key: string, value: unknown) => Object.defineProperty(ts, key, { enumerable: true, configurable: true, value });

  define("createWatchCompilerHost", (rootFiles: string[], options: any, ...rest: unknown[]) => {
    // Bundler resolution reads package.json "exports" (vega-lite's types live only there); tslab's Node10 does not.
    const extra: any = { types: ["node"], sourceMap: true, moduleResolution: real.ModuleResolutionKind.Bundler };
    if (self) {
      extra.baseUrl = self.root;
      extra.paths = { [self.name]: [self.types] };
    }
    // A notebook that has no gradlab of its own type-checks against the kernel's (shipped-gradlab.ts).
    const shipped = resolvesOwnGradlab(cwd) ? null : shippedGradlab();
    if (shipped) extra.paths = { ...extra.paths, gradlab: [shipped.types] };
    layout = { outDir: options.outDir, rootDir: options.rootDir };
    const [system, createProgram, ...more] = rest;
    if (process.env.GRADLAB_KERNEL_WATCH_ALL !== "1") skipStaticWatchers(system as any, dirname(tsPath));
    const plain = process.env.GRADLAB_KERNEL_BUILDER !== "tslab";
    const checkerReports = !!script?.patches.includes("module-not-found-hook") && process.env.GRADLAB_KERNEL_DEFER_NODE_IMPORTS !== "0";
    lazy = new LazyNodeTypes(real, cacheDir(), plain && process.env.GRADLAB_KERNEL_LAZY_NODE_TYPES !== "0", checkerReports);
    return real.createWatchCompilerHost([...rootFiles, ...extraRootFiles], { ...options, ...extra }, system,
      plain ? createPlainBuilder(real, cellPass, lazy) : createProgram, ...more);
  });

  let latestBuilder: any = null;
  let converted = false;
  const saveCaches = () => {
    if (!converted) return; // the checker and emitter have not run: a cache now would miss them
    loaded?.saveCompileCache();
    lazy?.saveAnalysis(latestBuilder?.getProgram());
  };
  define("createWatchProgram", (host: any) => {
    const afterCreate = host.afterProgramCreate;
    host.afterProgramCreate = (builder: any) => {
      latestBuilder = builder;
      const emit = builder.emit.bind(builder);
      builder.emit = (sf: any, writeFile: any, ...rest: unknown[]) =>
        emit(sf, (name: string, data: string, ...more: unknown[]) => {
          if (name.endsWith("__tslab__.js.map")) maps.stage1 = data;
          else if (name.endsWith(".js.map")) sideMaps(name.slice(0, -".map".length)).stage1 = data;
          else if (name.endsWith(".map")) return;
          else if (!name.endsWith(".js") || name.endsWith("__tslab__.js")) writeFile(name, stripMapComment(data), ...more);
          else {
            // A local module: tslab turns it into CommonJS (transpileModule below) inside this writeFile.
            emitting = name;
            try {
              writeFile(name, stripMapComment(data), ...more);
            } finally {
              emitting = null;
            }
          }
        }, ...rest);
      afterCreate?.(builder);
    };
    return real.createWatchProgram(host);
  });

  define("transpileModule", (input: string, options: any) => {
    if (options?.fileName !== "custom.js") return real.transpileModule(input, options);
    // gradlabEmitWithoutCheck: the JavaScript was checked as TypeScript a moment ago (ts-loader.ts).
    const out = real.transpileModule(input, { ...options, compilerOptions: { ...options.compilerOptions, sourceMap: true, ...stage2Options } });
    if (emitting) sideMaps(emitting).stage2 = out.sourceMapText ?? null;
    else maps.stage2 = out.sourceMapText ?? null;
    return { ...out, outputText: stripMapComment(out.outputText) };
  });

  const sideMaps = (emitted: string): CellMaps => {
    let entry = moduleMaps.get(emitted);
    if (!entry) moduleMaps.set(emitted, (entry = { stage1: null, stage2: null }));
    return entry;
  };

  // TS2742 ("the inferred type of x cannot be named without a reference to ...") comes from the
  // declarations tslab emits to carry types to the next cell, not from the user's code; e.g.
  // `const vega = await import("vega")` hits it. The emitted reference still resolves, so drop it.
  define("getPreEmitDiagnosticsOfFiles", (...args: unknown[]) =>
    real.getPreEmitDiagnosticsOfFiles(...args).filter((d: { code: number }) => d.code !== 2742));

  const cache = require.cache[tsPath]!;
  const saved = cache.exports;
  cache.exports = ts;
  let converterModule: any;
  let inspectModule: any;
  try {
    converterModule = require(join(tslabDir, "dist", "converter.js"));
    inspectModule = require(join(tslabDir, "dist", "inspect.js"));
  } finally {
    cache.exports = saved;
  }
  return {
    ts: real,
    tsVersion: real.version,
    tslabVersion: JSON.parse(readFileSync(join(tslabDir, "package.json"), "utf8")).version,
    createConverter: () => {
      const converter: Converter = converterModule.createConverter();
      const nodeTypes = lazy!;
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
        cellPass.converting = cellPass.firstRebuild = true;
        try {
          return convert(prevDecl, src);
        } finally {
          cellPass.converting = cellPass.firstRebuild = false;
          // The code cache is written once, after the first cell, so it holds the checker and emitter too.
          // So is the analysis of @types/node that lets the next start load it lazily (first start only).
          if (!converted) setTimeout(saveCaches, 200).unref();
          converted = true;
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
      let documented = !script;
      converter.inspect = (prevDecl, src, position) => {
        if (!documented) {
          // Documentation of built-ins (inspect) needs the JSDoc the loader skipped: parsed on first need.
          documented = true;
          const program = latestBuilder?.getProgram();
          if (program) restoreJSDoc(real, program, script!);
          // @types/node files loaded from now on (lazy-node-types.ts) are parsed with their JSDoc.
          script!.keepAllJSDoc();
        }
        const result = inspectOnce(prevDecl, src, position);
        return nodeTypes.missedModules ? inspectOnce(prevDecl, src, position) : result;
      };
      return converter;
    },
    loaderInfo: loaded ? { patches: loaded.patches, cache: loaded.cache } : null,
    isCompleteCode: (code) => converterModule.isCompleteCode(code),
    printQuickInfo: (info) => inspectModule.printQuickInfo(info),
    nodeTypes: () => (lazy ? { mode: lazy.state, loaded: lazy.loadedFiles() } : null),
    saveCaches,
    takeMaps() {
      const taken = { ...maps };
      maps.stage1 = maps.stage2 = null;
      return taken;
    },
    takeModuleMaps() {
      // tslab names a side output by its place under outDir moved to the notebook's folder (rootDir).
      const taken = [...moduleMaps].map(([emitted, m]) => ({
        path: layout ? join(layout.rootDir, relative(layout.outDir, emitted)) : emitted,
        maps: m,
      }));
      moduleMaps.clear();
      return taken;
    },
  };
}

/**
 * Gives the declaration files parsed without JSDoc their comments back: each is parsed again with
 * JSDoc (same text, so the same tree) and the comments are moved onto the nodes in use. Done once, on
 * the first inspect (a few hundred ms then, instead of at every kernel start).
 */
function restoreJSDoc(ts: any, program: any, loader: LoadedScript): void {
  const graft = (node: any, full: any) => {
    if (full.jsDoc && !node.jsDoc) {
      node.jsDoc = full.jsDoc;
      for (const doc of full.jsDoc) doc.parent = node;
    }
    const mine: any[] = [], theirs: any[] = [];
    ts.forEachChild(node, (n: any) => void mine.push(n));
    ts.forEachChild(full, (n: any) => void theirs.push(n));
    if (mine.length !== theirs.length) return; // not the same tree after all: leave this part as it is
    for (let i = 0; i < mine.length; i++) {
      if (mine[i].kind === theirs[i].kind && mine[i].pos === theirs[i].pos) graft(mine[i], theirs[i]);
    }
  };
  for (const sf of program.getSourceFiles()) {
    if (!loader.skipsJSDoc(sf.fileName)) continue;
    const full = loader.withAllJSDoc(() => ts.createSourceFile(sf.fileName, sf.text, sf.languageVersion, true, ts.ScriptKind.TS));
    graft(sf, full);
  }
}

/** Set while tslab converts a cell: its programs are checked early, and the first rebuild may be names-only. */
interface CellPass {
  converting: boolean;
  firstRebuild: boolean;
}

/**
 * tslab's watch program wraps each Program in an EmitAndSemanticDiagnosticsBuilderProgram, whose state
 * (signatures and a reference map of every file, @types/node's included, plus a type checker to build
 * it) is recomputed on each of the one or two rebuilds per cell: about half of a typed cell's time.
 * tslab uses only getProgram, getSourceFile, emit and getAllDependencies of it, so a plain Program
 * with those four is enough; getAllDependencies walks the resolved imports of the cell.
 *
 * A cell that declares names is rebuilt twice by tslab's convert: first as written, only to read the
 * names it declares (the cell file's `locals`), then with `export {those names}` appended, and only
 * the second program is checked and emitted. For the first, the cell alone is parsed and bound and the
 * previous program stands in for the watch program's bookkeeping; a cell that declares nothing (whose
 * first program is the one used) gets a real program as before.
 */
function createPlainBuilder(ts: any, cellPass: CellPass, lazy: LazyNodeTypes) {
  return (rootNames: string[], options: any, host: any, old: any, configFileParsingDiagnostics: any, projectReferences: any) => {
    const previous = old?.getProgramOrUndefined?.();
    if (cellPass.firstRebuild && previous) {
      cellPass.firstRebuild = false; // only the first rebuild of a conversion can be the names-only one
      const namesOnly = cellNamesOnly(ts, rootNames, options, host, previous);
      if (namesOnly) return namesOnly;
    }
    const build = (oldProgram: any) => ts.createProgram({
      rootNames, options, host: lazy.wrapHost(host), oldProgram, configFileParsingDiagnostics, projectReferences,
    });
    lazy.loadMissed(); // modules a completion or inspection missed (createConverter asks again)
    let program = build(previous);
    // A file imports a Node module whose declarations are not loaded yet, or checking the cell met
    // one: build again with them (reusing this program's files) before tslab checks or emits anything.
    // The early check is what tslab's would be; the program keeps its results, so tslab's costs nothing.
    // Each round adds at least one file, so it ends; the bound only guards against a mistake in that.
    for (let round = 0; round < 20; round++) {
      if (lazy.addNeededModules(program)) {
        program = build(program);
        continue;
      }
      if (!cellPass.converting || !lazy.checkerReports) break;
      checkCell(ts, program, rootNames);
      if (!lazy.missedModules) break; // else the next round's addNeededModules loads what the check missed
    }
    return {
      getProgram: () => program,
      getProgramOrUndefined: () => program,
      releaseProgram: () => undefined,
      getCompilerOptions: () => program.getCompilerOptions(),
      // tslab reads the cell's `locals` right after a rebuild; the builder's eager type checker used to
      // bind every file by then. Bind just the file asked for (the checker skips files already bound).
      getSourceFile: (name: string) => {
        const sf = program.getSourceFile(name);
        if (sf && !sf.locals) ts.bindSourceFile(sf, program.getCompilerOptions());
        return sf;
      },
      getSourceFiles: () => program.getSourceFiles(),
      getCurrentDirectory: () => program.getCurrentDirectory(),
      getConfigFileParsingDiagnostics: () => program.getConfigFileParsingDiagnostics(),
      getOptionsDiagnostics: (ct?: unknown) => program.getOptionsDiagnostics(ct),
      getGlobalDiagnostics: (ct?: unknown) => program.getGlobalDiagnostics(ct),
      getSyntacticDiagnostics: (sf?: unknown, ct?: unknown) => program.getSyntacticDiagnostics(sf, ct),
      getSemanticDiagnostics: (sf?: unknown, ct?: unknown) => program.getSemanticDiagnostics(sf, ct),
      getDeclarationDiagnostics: (sf?: unknown, ct?: unknown) => program.getDeclarationDiagnostics(sf, ct),
      emit: (sf: unknown, writeFile: unknown, ct: unknown, dtsOnly: unknown, transformers: unknown) =>
        program.emit(sf, writeFile, ct, dtsOnly, transformers),
      getAllDependencies: (sf: any) => localDependencies(program, sf),
    };
  };
}

/** Runs tslab's pre-emit check of the cell and the local modules it imports (tslab's getPreEmitDiagnosticsWithDependencies). */
function checkCell(ts: any, program: any, rootNames: string[]): void {
  const cellName = rootNames.find((n) => /\/__tslab__\.[jt]s$/.test(n));
  const declName = rootNames.find((n) => n.endsWith("/__prev__.d.ts"));
  const cell = cellName && program.getSourceFile(cellName);
  if (!cell) return;
  // As tslab does before checking: the cell's parent is the previous cells' declarations.
  if (declName) cell.parent = program.getSourceFile(declName);
  ts.getPreEmitDiagnosticsOfFiles(program, localDependencies(program, cell).map((name) => program.getSourceFile(name)));
}

/**
 * The stand-in builder for tslab's first rebuild of a cell that declares names, or null when this is
 * not that rebuild (the cell declares nothing, or already ends with tslab's `export {names}`).
 */
function cellNamesOnly(ts: any, rootNames: string[], options: any, host: any, previous: any): object | null {
  const cellName = rootNames.find((n) => n.endsWith("/__tslab__.ts"));
  const text: string | undefined = cellName ? host.readFile(cellName) : undefined;
  if (!cellName || text === undefined) return null;
  const cell = ts.createSourceFile(cellName, text, options.target ?? ts.ScriptTarget.Latest);
  ts.bindSourceFile(cell, options);
  const names: string[] = [];
  cell.locals?.forEach((_: unknown, name: string) => void names.push(name));
  if (names.length === 0 || text.endsWith(`\nexport {${names.join(", ")}}`)) return null;
  return {
    getProgram: () => previous,
    getProgramOrUndefined: () => previous,
    releaseProgram: () => undefined,
    getCompilerOptions: () => options,
    getSourceFile: (name: string) => (name === cellName ? cell : previous.getSourceFile(name)),
    getSourceFiles: () => previous.getSourceFiles(),
    getCurrentDirectory: () => previous.getCurrentDirectory(),
    emit: () => {
      throw new Error("gradlab kernel: the names-only program of a cell cannot emit");
    },
    getAllDependencies: (sf: any) => localDependencies(previous, sf),
  };
}

/** The file and every non-declaration file it imports, transitively (what tslab compiles beside a cell). */
function localDependencies(program: any, root: any): string[] {
  const seen = new Set<string>([root.fileName]);
  const queue = [root];
  while (queue.length) {
    const sf = queue.pop();
    const targets: string[] = [];
    // TypeScript 5.0 keeps { resolvedModule, failedLookupLocations } per import, not the module itself.
    sf.resolvedModules?.forEach((entry: { resolvedModule?: { resolvedFileName: string; isExternalLibraryImport?: boolean } } | undefined) => {
      const r = entry?.resolvedModule;
      if (r && !r.isExternalLibraryImport) targets.push(r.resolvedFileName);
    });
    for (const ref of sf.referencedFiles ?? []) targets.push(resolve(dirname(sf.fileName), ref.fileName));
    for (const t of targets) {
      if (seen.has(t) || t.endsWith(".d.ts")) continue;
      const dep = program.getSourceFile(t);
      if (!dep) continue;
      seen.add(dep.fileName);
      queue.push(dep);
    }
  }
  return [...seen];
}

/**
 * tslab's watch host puts a file watcher on every file of the program, TypeScript's lib files and
 * @types/node's included (~120 at start, each a stat and an fs.watch). Declaration files inside
 * node_modules and TypeScript's lib folder do not change while a notebook runs (a reinstall wants a
 * kernel restart anyway), so they get none; the notebook's own files keep theirs, so an edited local
 * module is picked up. GRADLAB_KERNEL_WATCH_ALL=1 watches everything, as tslab does.
 */
export function skipStaticWatchers(system: { watchFile?: (path: string, ...rest: unknown[]) => { close(): void } }, libDir: string): void {
  const watchFile = system.watchFile;
  if (!watchFile) return;
  const isStatic = (path: string) => path.endsWith(".d.ts") && (path.includes("/node_modules/") || path.startsWith(libDir + "/"));
  system.watchFile = (path: string, ...rest: unknown[]) => (isStatic(path) ? { close: () => undefined } : watchFile.call(system, path, ...rest));
}

function stripMapComment(js: string): string {
  return js.replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, "\n");
}
