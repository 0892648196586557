/**
 * The "plain-builder" patch (private-surface.ts): a plain Program for each cell instead of tslab's
 * builder program.
 *
 * tslab's watch program wraps each Program in an EmitAndSemanticDiagnosticsBuilderProgram, whose state
 * (signatures and a reference map of every file, @types/node's included, plus a type checker to build
 * it) is recomputed on each of the one or two rebuilds per cell: about half of a typed cell's time.
 * tslab uses only getProgram, getSourceFile, emit and getAllDependencies of it (TSLAB_BUILDER_METHODS),
 * so a plain Program with those four is enough; getAllDependencies walks the resolved imports of the cell.
 *
 * A cell that declares names is rebuilt twice by tslab's convert: first as written, only to read the
 * names it declares (the cell file's `locals`), then with `export {those names}` appended, and only
 * the second program is checked and emitted. For the first, the cell alone is parsed and bound and the
 * previous program stands in for the watch program's bookkeeping; a cell that declares nothing (whose
 * first program is the one used) gets a real program as before.
 */
import { dirname, resolve } from "path";
import { LazyNodeTypes } from "./lazy-node-types";
import { bindIfUnbound, declaredNames, importedLocalFiles, TSLAB_FILES, tslabExportSuffix } from "./private-surface";

/** Set while tslab converts a cell: its programs are checked early, and the first rebuild may be names-only. */
export interface CellPass {
  converting: boolean;
  firstRebuild: boolean;
}

/** A createProgram for ts.createWatchCompilerHost that builds plain Programs (see above). */
export function createPlainBuilder(ts: any, cellPass: CellPass, lazy: LazyNodeTypes) {
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
    return builderOf(ts, program);
  };
}

/** The builder-program methods tslab and the watch program call, answered by a plain Program. */
function builderOf(ts: any, program: any) {
  return {
    getProgram: () => program,
    getProgramOrUndefined: () => program,
    releaseProgram: () => undefined,
    getCompilerOptions: () => program.getCompilerOptions(),
    // tslab reads the cell's `locals` right after a rebuild; the builder's eager type checker used to
    // bind every file by then. Bind just the file asked for (the checker skips files already bound).
    getSourceFile: (name: string) => {
      const sf = program.getSourceFile(name);
      bindIfUnbound(ts, sf, program.getCompilerOptions());
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
}

/** Runs tslab's pre-emit check of the cell and the local modules it imports (tslab's getPreEmitDiagnosticsWithDependencies). */
function checkCell(ts: any, program: any, rootNames: string[]): void {
  const cellName = rootNames.find((n) => TSLAB_FILES.cell.test(n));
  const declName = rootNames.find((n) => n.endsWith(TSLAB_FILES.prevDecl));
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
  const cellName = rootNames.find((n) => n.endsWith(TSLAB_FILES.cellTs));
  const text: string | undefined = cellName ? host.readFile(cellName) : undefined;
  if (!cellName || text === undefined) return null;
  const cell = ts.createSourceFile(cellName, text, options.target ?? ts.ScriptTarget.Latest);
  const names = declaredNames(ts, cell, options);
  if (names.length === 0 || text.endsWith(tslabExportSuffix(names))) return null;
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
    const targets = importedLocalFiles(sf);
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
