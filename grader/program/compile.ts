/**
 * Compiles an assembled submission in the trusted parent with the compiler options the kernel uses
 * (tslab's: ES2022, not strict), so code that ran in the student's notebook compiles here too. Type
 * errors become feedback at the student's cell and line; the forbidden-name scan asks the type checker
 * what each identifier really refers to, so `import { MultiplyGate as Mine } from "gradlab"` is caught.
 * Library declarations are parsed once per process and shared by every submission of a class.
 */
import { createHash } from "crypto";
import { existsSync } from "fs";
import { join, sep } from "path";
import * as ts from "typescript";
import { packageRoot } from "../../lib/data/package-root";
import { AssembledProgram, LineOrigin } from "./assemble";

export interface Diagnostic {
  origin?: LineOrigin;
  /** 1-based line and column in the assembled program. */
  line: number;
  column: number;
  message: string;
  /** A syntax error: nothing of the program can run. */
  syntax: boolean;
}

export interface ForbiddenUse {
  /** As written in assignment.json: "MultiplyGate" or "nn.Linear". */
  name: string;
  origin?: LineOrigin;
}

export interface CompiledProgram {
  /** CommonJS JavaScript with the graded names gathered in `__gradlab_exports`. No source map in it: the
   *  child would parse one in every process; the grader maps a stack's frames (program/stack.ts). */
  js: string;
  /** The source map from `js` (file JS_FILE) back to the assembled program (PROGRAM_FILE), as JSON. */
  sourceMap: string;
  diagnostics: Diagnostic[];
  /** Only syntax errors make the whole program unusable; type errors affect the questions of their cells. */
  runnable: boolean;
  /** Which cell (1-based) declares each top-level name. */
  declaredIn: Map<string, number>;
  forbiddenUses: ForbiddenUse[];
}

/** What compiling needs of an assembled program: its text and where each line came from. */
export type ProgramText = Pick<AssembledProgram, "source" | "origins">;

export const PROGRAM_FILE = "submission.ts";
/** The compiled program's file name, as the child's stack frames show it. */
export const JS_FILE = "submission.js";

/** Declarations every notebook has (the kernel's display globals); unused ones cost nothing. */
const NOTEBOOK_GLOBALS = `
declare const display: any;
declare function clearOutput(wait?: boolean): void;
`;

/** The compiler options of tslab's converter (kernel/), for CommonJS output the child can require. */
const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  lib: ["lib.es2022.d.ts"],
  types: ["node"],
  esModuleInterop: true,
  skipLibCheck: true,
  experimentalDecorators: true,
  sourceMap: true,
  noEmitOnError: false,
  strict: false,
};

const GLOBALS_FILE = "/__gradlab_notebook_globals.d.ts";

/** Parsed library files, shared by every compile in this process (they never change under a run). */
const sharedFiles = new Map<string, ts.SourceFile>([
  [GLOBALS_FILE, ts.createSourceFile(GLOBALS_FILE, NOTEBOOK_GLOBALS, ts.ScriptTarget.ES2022, true)],
]);

function gradlabTypes(): string {
  const path = join(packageRoot(), "dist", "lib", "index.d.ts");
  if (!existsSync(path)) throw new Error(`gradlab's type declarations are missing (${path}): run \`npm run build\``);
  return path;
}

/**
 * What the compiler asks the file system while resolving modules (does this file or folder exist, where
 * does this link lead), and the resolutions themselves: gradlab's declarations and @types/node never
 * change under a run, so every compile after the first answers from memory instead of ~1,000 stat calls.
 */
const fileExistsCache = new Map<string, boolean>();
const directoryExistsCache = new Map<string, boolean>();
const realpathCache = new Map<string, string>();
let resolutionCache: ts.ModuleResolutionCache | undefined;
let lastProgram: ts.Program | undefined;

function remembered<T>(cache: Map<string, T>, ask: (path: string) => T): (path: string) => T {
  return (path) => {
    if (!cache.has(path)) cache.set(path, ask(path));
    return cache.get(path)!;
  };
}

function makeHost(source: string): ts.CompilerHost {
  const host = ts.createCompilerHost(OPTIONS, true);
  const read = host.getSourceFile.bind(host);
  const gradlab = gradlabTypes();
  host.getSourceFile = (fileName, languageVersion, onError) => {
    if (fileName === PROGRAM_FILE) return ts.createSourceFile(fileName, source, languageVersion, true);
    const cached = sharedFiles.get(fileName);
    if (cached) return cached;
    const sf = read(fileName, languageVersion, onError);
    if (sf) sharedFiles.set(fileName, sf);
    return sf;
  };
  const fileExists = remembered(fileExistsCache, host.fileExists.bind(host));
  host.fileExists = (f: string) => f === PROGRAM_FILE || f === GLOBALS_FILE || fileExists(f);
  host.directoryExists = remembered(directoryExistsCache, host.directoryExists!.bind(host));
  host.realpath = remembered(realpathCache, host.realpath!.bind(host));
  host.getCurrentDirectory = () => packageRoot();
  resolutionCache ??= ts.createModuleResolutionCache(packageRoot(), host.getCanonicalFileName, OPTIONS);
  const cache = resolutionCache;
  host.resolveModuleNameLiterals = (literals, containingFile, redirected, options) =>
    literals.map((lit) => {
      if (lit.text === "gradlab") {
        return { resolvedModule: { resolvedFileName: gradlab, extension: ts.Extension.Dts, isExternalLibraryImport: true } };
      }
      return ts.resolveModuleName(lit.text, containingFile, options, host, cache, redirected);
    });
  return host;
}

/** The names a source file declares at its top level (classes, functions, variables), with their positions. */
export function topLevelNames(sf: ts.SourceFile): Array<{ name: string; pos: number }> {
  const out: Array<{ name: string; pos: number }> = [];
  for (const st of sf.statements) {
    if ((ts.isClassDeclaration(st) || ts.isFunctionDeclaration(st)) && st.name) out.push({ name: st.name.text, pos: st.getStart(sf) });
    if (ts.isVariableStatement(st)) {
      for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) out.push({ name: d.name.text, pos: d.getStart(sf) });
    }
  }
  return out;
}

/** "MultiplyGate" for a top-level export, "nn.Linear" for one inside gradlab's nn namespace. */
function gradlabName(symbol: ts.Symbol, libDir: string): string | null {
  const decl = symbol.declarations?.[0];
  const file = decl?.getSourceFile().fileName;
  if (!file || !file.startsWith(libDir)) return null;
  const rel = file.slice(libDir.length).split(/[\\/]/);
  const ns = ["nn", "optim", "data", "plot"].includes(rel[0]) ? `${rel[0]}.` : "";
  return ns + symbol.getName();
}

/**
 * Compiled programs by content (source, cell origins, graded and forbidden names): a class hands in the
 * same code many times (untouched stubs, shared starter code, resubmissions), and compiling is the
 * grader's largest cost per submission after the tests. Only the compiler's output is reused, never a
 * result: every submission still runs every test in its own sandboxed child.
 */
const compiledCache = new Map<string, CompiledProgram>();
const COMPILED_CACHE_SIZE = 64;
export const compileStats = { compiled: 0, reused: 0 };

/** The compiled-program cache's key: everything the compiler's output depends on. */
export function compileKey(program: ProgramText, exported: string[], forbidden: string[]): string {
  return createHash("sha256").update(JSON.stringify([program.source, program.origins, exported, forbidden])).digest("hex");
}

/** A program compiled before (most recently used last), or undefined. */
export function cachedProgram(key: string): CompiledProgram | undefined {
  const hit = compiledCache.get(key);
  if (hit) {
    compiledCache.delete(key);
    compiledCache.set(key, hit);
  }
  return hit;
}

/** Keeps a compiled program for the next submission with the same code (the oldest go past the size). */
export function rememberProgram(key: string, compiled: CompiledProgram): void {
  compiledCache.set(key, compiled);
  if (compiledCache.size > COMPILED_CACHE_SIZE) compiledCache.delete(compiledCache.keys().next().value as string);
}

export function compileProgram(program: ProgramText, exported: string[], forbidden: string[]): CompiledProgram {
  const key = compileKey(program, exported, forbidden);
  const hit = cachedProgram(key);
  if (hit) {
    compileStats.reused++;
    return hit;
  }
  const compiled = compileUncached(program, exported, forbidden);
  compileStats.compiled++;
  rememberProgram(key, compiled);
  return compiled;
}

/** Compiles without looking in the cache or filling it: for a caller that keeps the cache itself (compile-thread.ts). */
export function compileUncached(program: ProgramText, exported: string[], forbidden: string[]): CompiledProgram {
  const host = makeHost(program.source);
  // The previous program lends its unchanged files and resolutions (only the submission differs).
  const tsProgram = ts.createProgram({ rootNames: [PROGRAM_FILE, GLOBALS_FILE], options: OPTIONS, host, oldProgram: lastProgram });
  lastProgram = tsProgram;
  const sf = tsProgram.getSourceFile(PROGRAM_FILE)!;
  const origin = (line0: number) => program.origins[line0];
  const toDiagnostic = (d: ts.Diagnostic, syntax: boolean): Diagnostic => {
    const start = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
    return {
      origin: d.file === sf ? origin(start.line) : undefined,
      line: start.line + 1,
      column: start.character + 1,
      message: ts.flattenDiagnosticMessageText(d.messageText, "\n"),
      syntax,
    };
  };
  const syntactic = tsProgram.getSyntacticDiagnostics(sf).map((d) => toDiagnostic(d, true));
  const semantic = syntactic.length ? [] : tsProgram.getSemanticDiagnostics(sf).map((d) => toDiagnostic(d, false));
  const diagnostics = [...syntactic, ...semantic];

  const declaredIn = new Map<string, number>();
  for (const { name, pos } of topLevelNames(sf)) {
    const o = origin(sf.getLineAndCharacterOfPosition(pos).line);
    if (o && !declaredIn.has(name)) declaredIn.set(name, o.cell);
  }

  const forbiddenUses: ForbiddenUse[] = [];
  if (forbidden.length && !syntactic.length) {
    const checker = tsProgram.getTypeChecker();
    const libDir = join(packageRoot(), "dist", "lib") + sep;
    const wanted = new Set(forbidden);
    const seen = new Set<string>();
    const visit = (node: ts.Node) => {
      if (ts.isIdentifier(node)) {
        let symbol = checker.getSymbolAtLocation(node);
        if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
        const name = symbol && gradlabName(symbol, libDir);
        if (name && wanted.has(name)) {
          const o = origin(sf.getLineAndCharacterOfPosition(node.getStart(sf)).line);
          const key = `${name}@${o?.cell}`;
          // Import lines are hoisted (no origin): a use is where the name is used in a cell.
          if (o && !seen.has(key)) {
            seen.add(key);
            forbiddenUses.push({ name, origin: o });
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }

  let js = "", sourceMap = "";
  tsProgram.emit(sf, (fileName, text) => {
    if (fileName.endsWith(".js")) js = text;
    else if (fileName.endsWith(".js.map")) sourceMap = text;
  });
  // Top-level declarations are locals of the CommonJS wrapper; gather the graded ones by name.
  // `typeof` keeps a name the student never declared from throwing.
  const gather = exported.map((n) => `${JSON.stringify(n)}: typeof ${n} === "undefined" ? undefined : ${n}`).join(", ");
  const footer = `\n;module.exports.__gradlab_exports = { ${gather} };\n`;
  const mapAt = js.lastIndexOf("\n//# sourceMappingURL=");
  js = (mapAt >= 0 ? js.slice(0, mapAt) : js) + footer;
  return { js, sourceMap, diagnostics, runnable: syntactic.length === 0, declaredIn, forbiddenUses };
}
