/**
 * Every use the kernel makes of what TypeScript (tslab's build, @tslab/typescript-for-tslab) or tslab
 * 1.0.22 do not promise to keep: internal functions and fields, anchors in TypeScript's source text,
 * names and call shapes inside tslab's dist/ files. Listed in PRIVATE_USES with a `verify` that says what
 * no longer matches in the installed versions (test/kernel/private-surface.test.ts runs them all and
 * names the use that broke); what each one saves, measured, is in docs/kernel-compiler-layer.md.
 *
 * Two kinds:
 * - patches, for speed only. Each one can be turned off by name, and all of them at once:
 *   GRADLAB_KERNEL_PATCHES=0 runs tslab's own builder program on an unchanged TypeScript, with all of
 *   @types/node and a watcher on every file, as tslab does (`npm test` runs the conformance suite and
 *   the lecture notebooks that way: test/kernel/patches-off.test.ts).
 * - adapters, which the kernel's behaviour needs (source maps for tracebacks at the cell's lines,
 *   compiler options for `import ... from "gradlab"` and package exports, TS2742 dropped). They have no
 *   switch; the guard test covers them like the patches.
 *
 * The code that reads TypeScript's internal fields is here too (the accessors below), so the guard test
 * checks the same code the kernel runs.
 */
import { readFileSync } from "fs";
import { dirname, join, resolve } from "path";

/** The patches, by the names GRADLAB_KERNEL_PATCHES, the guard test and the docs use. */
export const PATCH_NAMES = [
  "module-not-found-hook",
  "plain-builder",
  "lazy-node-types",
  "static-watchers",
] as const;
export type PatchName = (typeof PATCH_NAMES)[number];

/**
 * The patches turned on by GRADLAB_KERNEL_PATCHES: unset or empty, all; "0", none; "-a,-b", all but a
 * and b. Anything else is refused by name (a typo must not quietly measure the default).
 */
export function enabledPatches(env: NodeJS.ProcessEnv = process.env): Set<PatchName> {
  const setting = (env.GRADLAB_KERNEL_PATCHES ?? "").trim();
  if (setting === "0") return new Set();
  const on = new Set<PatchName>(PATCH_NAMES);
  if (setting === "") return on;
  for (const item of setting.split(",").map((s) => s.trim())) {
    const name = item.slice(1) as PatchName;
    if (!item.startsWith("-") || !PATCH_NAMES.includes(name)) {
      throw new Error(`GRADLAB_KERNEL_PATCHES=${setting}: "${item}" is not -name for a patch among ${PATCH_NAMES.join(", ")} (or "0" for none)`);
    }
    on.delete(name);
  }
  return on;
}

/** An edit of TypeScript's script text, applied in memory by ts-loader.ts where `anchor` occurs exactly once. */
export interface TextPatch {
  name: PatchName;
  anchor: string;
  replacement: string;
}

/** The hooks the text patches call, passed to the script as `__gradlab`. */
export interface TextPatchHooks {
  moduleNotFound(name: string): void;
}

export const TEXT_PATCHES: TextPatch[] = [
  {
    // Tells lazy-node-types.ts which module the checker looked for and found no declaration of, so
    // that the @types/node file declaring it can join the program before the cell is used.
    name: "module-not-found-hook",
    anchor: "      if (ambientModule) {\n        return ambientModule;\n      }\n      const currentSourceFile = getSourceFileOfNode(location);",
    replacement: "      if (ambientModule) {\n        return ambientModule;\n      }\n      __gradlab.moduleNotFound(moduleReference);\n      const currentSourceFile = getSourceFileOfNode(location);",
  },
];

/** Where `anchor` occurs in `script`, or why it cannot be used: not found, or found more than once. */
export function findAnchor(script: Buffer, anchor: string): number | string {
  const bytes = Buffer.from(anchor);
  const at = script.indexOf(bytes);
  if (at < 0) return `anchor not found: ${JSON.stringify(anchor.split("\n")[0].trim())}`;
  if (script.indexOf(bytes, at + 1) >= 0) return `anchor found more than once: ${JSON.stringify(anchor.split("\n")[0].trim())}`;
  return at;
}

// ---- tslab's conventions (tslab/dist/converter.js) ----

/** The file names tslab gives a cell and the previous cells' declarations, and its second stage's input. */
export const TSLAB_FILES = { cell: /\/__tslab__\.[jt]s$/, cellTs: "/__tslab__.ts", cellJsMap: "__tslab__.js.map", cellJs: "__tslab__.js", prevDecl: "/__prev__.d.ts", stage2Input: "custom.js" };

/** The builder-program methods tslab's converter calls (the plain builder must have them all). */
export const TSLAB_BUILDER_METHODS = ["emit", "getAllDependencies", "getProgram", "getSourceFile"];

/** What tslab appends to a cell that declares names before it compiles it again (its convert()). */
export function tslabExportSuffix(names: string[]): string {
  return `\nexport {${names.join(", ")}}`;
}

/**
 * Requires tslab's converter (and its inspect module) with `ts` in place of its TypeScript: tslab's
 * `__importStar(require("@tslab/typescript-for-tslab"))` copies the module's own enumerable keys once,
 * so the require.cache entry is swapped for the time of these requires only.
 */
export function requireTslabWith(ts: object, tsPath: string, tslabDir: string): { converter: any; inspect: any } {
  const cache = require.cache[tsPath]!;
  const saved = cache.exports;
  cache.exports = ts;
  try {
    return { converter: require(join(tslabDir, "dist", "converter.js")), inspect: require(join(tslabDir, "dist", "inspect.js")) };
  } finally {
    cache.exports = saved;
  }
}

// ---- TypeScript's internals ----

/** Binds `sf` if it is not yet (tslab reads a cell's `locals`, which only the binder fills in). */
export function bindIfUnbound(ts: any, sf: any, options: object): void {
  if (sf && !sf.locals) ts.bindSourceFile(sf, options);
}

/** The names a source file declares at its top level, as tslab reads them (the binder's `locals`). */
export function declaredNames(ts: any, sf: any, options: object): string[] {
  bindIfUnbound(ts, sf, options);
  const names: string[] = [];
  sf.locals?.forEach((_: unknown, name: string) => void names.push(name));
  return names;
}

/** The files a source file's imports resolved to, outside packages (TypeScript 5.0: `resolvedModules` of `{ resolvedModule }`). */
export function importedLocalFiles(sf: any): string[] {
  const files: string[] = [];
  sf.resolvedModules?.forEach((entry: { resolvedModule?: { resolvedFileName: string; isExternalLibraryImport?: boolean } } | undefined) => {
    const r = entry?.resolvedModule;
    if (r && !r.isExternalLibraryImport) files.push(r.resolvedFileName);
  });
  return files;
}

/** The module names a parsed, processed source file imports, augments or declares. */
export function moduleNames(sf: any): string[] {
  const names = new Set<string>();
  for (const i of sf.imports ?? []) names.add(i.text);
  for (const a of sf.moduleAugmentations ?? []) if (a.text !== undefined) names.add(a.text);
  for (const a of sf.ambientModuleNames ?? []) names.add(a);
  return [...names];
}

/** Makes the watch program build again on its next update although no file changed (it compares `version`). */
export function markChanged(sf: any, why: string): void {
  sf.version = why;
}

// ---- the list, and how each use is checked against the installed versions ----

/** What the checks read: tslab's TypeScript (loaded) and its script text, and tslab's converter. */
export interface Surface {
  ts: any;
  tsScript: Buffer;
  tslabConverter: string;
  tslabInspect: string;
}

export interface PrivateUse {
  name: PatchName | string;
  kind: "patch" | "adapter";
  /** The private surface it relies on, in words. */
  relies: string;
  /** Null when the installed versions still have it, else what no longer matches. */
  verify(s: Surface): string | null;
}

type Check = (s: Surface) => string | null;
/** A check's problem, or what it threw (a changed internal API often throws rather than answering differently). */
const run = (check: Check, s: Surface): string | null => {
  try {
    return check(s);
  } catch (e) {
    return `a check threw: ${String((e as Error)?.message ?? e).split("\n")[0]}`;
  }
};
/** A check that reports every problem among `checks` (an upgrade then needs one run to see them all). */
const all = (...checks: Check[]): Check => (s) => {
  const problems = checks.map((check) => run(check, s)).filter((p): p is string => p !== null);
  return problems.length ? problems.join("; ") : null;
};
const anchorOf = (name: PatchName): Check => (s) => {
  const at = findAnchor(s.tsScript, TEXT_PATCHES.find((p) => p.name === name)!.anchor);
  return typeof at === "string" ? `TypeScript's script: ${at}` : null;
};
const tsFunction = (name: string): Check => (s) => (typeof s.ts[name] === "function" ? null : `TypeScript has no function ${name}`);
const inConverter = (text: string | RegExp, what: string): Check => (s) =>
  (typeof text === "string" ? s.tslabConverter.includes(text) : text.test(s.tslabConverter)) ? null : `tslab's converter.js no longer ${what}`;

/** A program of in-memory files (no lib), for looking at what TypeScript fills in. */
function tinyProgram(ts: any, files: Record<string, string>): any {
  const options = { noLib: true, types: [], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Node10 };
  const host = ts.createCompilerHost(options);
  host.getSourceFile = (name: string, version: unknown) => (name in files ? ts.createSourceFile(name, files[name], version) : undefined);
  host.fileExists = (name: string) => name in files;
  host.readFile = (name: string) => files[name];
  host.directoryExists = () => true;
  host.getCurrentDirectory = () => "/surface";
  return ts.createProgram(Object.keys(files), options, host);
}

const same = (got: unknown, want: unknown, what: string) => (JSON.stringify(got) === JSON.stringify(want) ? null : `${what}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);

export const PRIVATE_USES: PrivateUse[] = [
  {
    name: "module-not-found-hook", kind: "patch",
    relies: "the checker's resolveExternalModule, after its ambient-module lookup (text anchor)",
    verify: anchorOf("module-not-found-hook"),
  },
  {
    name: "plain-builder", kind: "patch",
    relies: "the builder-program methods tslab calls; ts.bindSourceFile and SourceFile.locals; SourceFile.resolvedModules; " +
      "tslab's `export {names}` suffix and its cell and declaration file names; tslab's TypeScript's getPreEmitDiagnosticsOfFiles",
    verify: all(
      tsFunction("bindSourceFile"),
      tsFunction("getPreEmitDiagnosticsOfFiles"),
      (s) => {
        const called = [...new Set([...s.tslabConverter.matchAll(/\bbuilder\s*\.\s*([A-Za-z]+)/g)].map((m) => m[1]))].sort();
        const extra = called.filter((m) => !TSLAB_BUILDER_METHODS.includes(m));
        return extra.length ? `tslab calls builder methods the plain builder lacks: ${extra.join(", ")}` : null;
      },
      inConverter('"\\nexport {" + Array.from(keys).join(", ") + "}"', "appends `export {names}` to a declaring cell"),
      inConverter('"__tslab__.ts"', "names a cell __tslab__.ts"),
      inConverter('"__prev__.d.ts"', "names the previous cells' declarations __prev__.d.ts"),
      (s) => {
        const cell = s.ts.createSourceFile("/surface/cell.ts", "const a = 1;\nfunction f() {}\nclass C {}\nlet [b, c] = [1, 2];", s.ts.ScriptTarget.ES2022);
        return same(declaredNames(s.ts, cell, {}).sort(), ["C", "a", "b", "c", "f"], "a cell's names from bindSourceFile and locals");
      },
      (s) => {
        const program = tinyProgram(s.ts, { "/surface/a.ts": 'import { x } from "./b";\nx;', "/surface/b.ts": "export const x = 1;" });
        return same(importedLocalFiles(program.getSourceFile("/surface/a.ts")), ["/surface/b.ts"], "a cell's local imports from resolvedModules");
      },
    ),
  },
  {
    name: "lazy-node-types", kind: "patch",
    relies: "SourceFile.imports, moduleAugmentations and ambientModuleNames; the watch program's SourceFile.version; " +
      "@types/node's index.d.ts made of `/// <reference path>` lines",
    verify: all((s) => {
      const program = tinyProgram(s.ts, {
        "/surface/a.ts": 'import "fs";\nconst p = import("path");\ndeclare module "m" {}\nexport {};',
        "/surface/b.ts": 'export {};\ndeclare module "./a" { interface X {} }',
      });
      const names = [...moduleNames(program.getSourceFile("/surface/a.ts")), ...moduleNames(program.getSourceFile("/surface/b.ts"))];
      return same(names.sort(), ["./a", "fs", "m", "path"], "module names from imports, moduleAugmentations, ambientModuleNames");
    }, (s) => (s.tsScript.includes("return sourceFile.version === getSourceVersion(")
      ? null : "TypeScript's watch program no longer compares SourceFile.version to decide whether to build again")),
  },
  {
    name: "static-watchers", kind: "patch",
    relies: "tslab passing its own System (whose watchFile the kernel wraps) to createWatchCompilerHost",
    verify: inConverter(/\},\s*sys,\s*null,\s*function/, "passes its System to createWatchCompilerHost"),
  },
  {
    name: "tslab-typescript-module", kind: "adapter",
    relies: "tslab's converter.js requiring @tslab/typescript-for-tslab through __importStar; the exports of converter.js and inspect.js",
    verify: all(
      inConverter('__importStar(require("@tslab/typescript-for-tslab"))', "requires @tslab/typescript-for-tslab through __importStar"),
      inConverter(/exports\.createConverter\b/, "exports createConverter"),
      inConverter(/exports\.isCompleteCode\b/, "exports isCompleteCode"),
      (s) => (/exports\.printQuickInfo\b/.test(s.tslabInspect) ? null : "tslab's inspect.js no longer exports printQuickInfo"),
    ),
  },
  {
    name: "watch-host", kind: "adapter",
    relies: "tslab's createWatchCompilerHost call (root files, options with rootDir and outDir, system, createProgram), " +
      "its afterProgramCreate and builder.emit, and the name of a cell's output (__tslab__.js) and its source map",
    verify: all(
      inConverter("ts.createWatchCompilerHost(Array.from(rootFiles), {", "calls createWatchCompilerHost with its root files"),
      inConverter(/rootDir: cwd,\s*outDir,/, "sets rootDir and outDir"),
      inConverter("host.afterProgramCreate = function", "sets afterProgramCreate"),
      inConverter('"__tslab__.js"', "names a cell's output __tslab__.js"),
      tsFunction("createWatchProgram"),
    ),
  },
  {
    name: "stage2-transpile", kind: "adapter",
    relies: "tslab's second stage: transpileModule of the ES module output with fileName \"custom.js\"",
    verify: inConverter(/ts\.transpileModule\(js, \{\s*fileName: "custom\.js"/, "calls transpileModule with fileName custom.js"),
  },
  {
    name: "pre-emit-diagnostics", kind: "adapter",
    relies: "tslab's TypeScript's getPreEmitDiagnosticsOfFiles, which tslab calls for a cell's errors (the kernel drops TS2742 there)",
    verify: all(tsFunction("getPreEmitDiagnosticsOfFiles"),
      inConverter("ts.getPreEmitDiagnosticsOfFiles(builder.getProgram(), files)", "asks getPreEmitDiagnosticsOfFiles for a cell's errors")),
  },
];

/** tslab's folder and its TypeScript's script path, as the kernel resolves them. */
export function tslabPaths(): { tslabDir: string; tsPath: string } {
  const tslabDir = dirname(require.resolve("tslab/package.json"));
  return { tslabDir, tsPath: require.resolve("@tslab/typescript-for-tslab", { paths: [tslabDir] }) };
}

/** The installed surface, with `ts` as loaded in this process (or required now). */
export function installedSurface(ts?: any): Surface {
  const { tslabDir, tsPath } = tslabPaths();
  return {
    ts: ts ?? require(tsPath),
    tsScript: readFileSync(tsPath),
    tslabConverter: readFileSync(resolve(tslabDir, "dist", "converter.js"), "utf8"),
    tslabInspect: readFileSync(resolve(tslabDir, "dist", "inspect.js"), "utf8"),
  };
}

/** Each use whose surface no longer matches, with what: `[name, problem]`. */
export function mismatches(s: Surface): [string, string][] {
  return PRIVATE_USES.map((u) => [u.name, run(u.verify, s)] as [string, string | null]).filter((e): e is [string, string] => e[1] !== null);
}
