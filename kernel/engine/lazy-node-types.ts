/**
 * Loads @types/node lazily (docs/kernel-performance.md): at start, only the declaration files that
 * declare globals (process, console, Buffer, timers, fetch, ...); the declaration file of any other
 * Node module (`fs`, `path`, `tty`, `child_process`, ...) joins the program, with the modules its
 * declarations import, when a cell or a local module imports it (before the program is checked), or
 * when the type checker looks the module up and finds no declaration (a global's type that uses it,
 * `process.stdout` needing tty's WriteStream, say): the kernel checks each cell once before tslab
 * does, and builds and checks again with the file added when that happened (typescript.ts). Without
 * the checker's report (the module-not-found-hook patch, off with GRADLAB_KERNEL_PATCHES=-module-not-found-hook),
 * the start loads the global files and, transitively, every module they import, as before.
 * @types/node's index.d.ts is what `types: ["node"]` loads; the compiler host
 * gets a copy of it whose `/// <reference path>` lines name only the files loaded so far, in their
 * original order, so the program sees the same files in the same order as with all of them, minus
 * those nothing uses yet.
 *
 * Which file declares globals and which modules it declares and imports is read from the parsed files
 * of a program that loaded them all, so the first kernel start with a given @types/node loads
 * everything and writes that analysis to the cache folder (after its first cell, like the code
 * cache); later starts read it (a few KB of JSON) and load lazily. A changed @types/node (another
 * index.d.ts, package.json or version) is analysed again. GRADLAB_KERNEL_PATCHES=-lazy-node-types loads
 * all of @types/node as before. The fields of TypeScript's source files read here are private surface
 * (private-surface.ts: moduleNames, markChanged).
 *
 * Completing a module name (`import ... from "f|`) would list only the loaded modules, but tslab's
 * completion throws there with or without this (its host has no getCurrentDirectory), so nothing
 * is done about it here.
 */
import { createHash } from "crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "fs";
import { dirname, join, relative, resolve } from "path";
import { markChanged, moduleNames } from "./private-surface";

/** What the kernel needs to know about one declaration file of @types/node. */
interface FileFacts {
  /** Declares something global (top-level declarations or a `global {}` augmentation): always loaded. */
  global: boolean;
  /** The ambient modules it declares (`declare module "fs"`, `declare module "node:fs"`). */
  modules: string[];
  /** The modules its declarations import. */
  imports: string[];
  /** Files it references (`/// <reference path>`), relative to the @types/node folder. */
  references: string[];
}

interface Analysis {
  key: string;
  /** By path relative to the @types/node folder. */
  files: Record<string, FileFacts>;
}

/** @types/node's entry point, plain or under a typesVersions folder (ts5.6/index.d.ts for TypeScript 5.0). */
const INDEX = /^(.*\/node_modules\/@types\/node\/)(?:ts[^/]*\/)?index\.d\.ts$/;
const REFERENCE = /^\s*\/\/\/\s*<reference\s+path\s*=\s*["']([^"']+)["']\s*\/>\s*$/;

/** Part of the analysis cache's key: bump when FileFacts or how it is computed changes. */
const ANALYSIS_FORMAT = "gradlab-node-types-1";

export type NodeTypesMode = "lazy" | "eager (analysing)" | "off";

export class LazyNodeTypes {
  private mode: NodeTypesMode | null;
  private indexName: string | null = null;
  private nodeDir = "";
  private analysis: Analysis | null = null;
  /** Files (relative to nodeDir) in the program; only grows. */
  private readonly loaded = new Set<string>();
  /** Module name -> the files that declare it (buffer.d.ts and buffer.buffer.d.ts both declare "buffer"). */
  private readonly declaredBy = new Map<string, string[]>();
  private indexFile: { size: number; sf: any } | null = null;
  /** Source files already looked at for imports (a program reuses most of them from the previous one). */
  private readonly scanned = new WeakSet<object>();
  private analysisKey = "";
  private analysed = false;
  /** Modules the checker looked for whose declaration files are not loaded yet. */
  private readonly missing = new Set<string>();

  /**
   * @param checkerReports the checker tells noteModuleNotFound which modules it missed, so modules
   * imported only by @types/node's own declarations can wait until a cell needs them.
   */
  constructor(private readonly ts: any, private readonly cacheDir: string, enabled: boolean, readonly checkerReports = false) {
    this.mode = enabled ? null : "off";
  }

  /** "lazy", "eager (analysing)" (first start with this @types/node), "off", or null before @types/node was seen. */
  get state(): NodeTypesMode | null {
    return this.mode;
  }

  /** The files of @types/node loaded so far (relative to its folder), for tests and the log. */
  loadedFiles(): string[] {
    return [...this.loaded];
  }

  /** A compiler host whose @types/node index names only the loaded files. */
  wrapHost(host: any): any {
    if (this.mode === "off") return host;
    const wrapped = Object.create(host);
    wrapped.getSourceFile = (fileName: string, languageVersion: unknown, ...rest: unknown[]) =>
      this.indexSourceFile(fileName, languageVersion) ?? host.getSourceFile(fileName, languageVersion, ...rest);
    if (host.getSourceFileByPath) {
      wrapped.getSourceFileByPath = (fileName: string, path: string, languageVersion: unknown, ...rest: unknown[]) =>
        this.indexSourceFile(fileName, languageVersion) ?? host.getSourceFileByPath(fileName, path, languageVersion, ...rest);
    }
    return wrapped;
  }

  /**
   * Adds the @types/node files of modules that files of `program` import (or augment), or that the
   * checker missed since the last call, and that are not loaded yet; true when any was added, so the
   * program must be built again before it is used. With the checker's reports, only the notebook's
   * own files (cells, local modules, the previous cells' declarations) are scanned for imports: what
   * a package's declarations import matters only once the checker follows it.
   */
  addNeededModules(program: any): boolean {
    if (this.mode !== "lazy") return false;
    const before = this.loaded.size;
    this.loadMissed();
    const needed: string[] = [];
    for (const sf of program.getSourceFiles()) {
      if (this.scanned.has(sf)) continue;
      this.scanned.add(sf);
      if (this.checkerReports && sf.isDeclarationFile && sf.fileName.includes("/node_modules/")) continue;
      needed.push(...moduleNames(sf));
    }
    for (const name of needed) for (const file of this.declaredBy.get(name) ?? []) this.load(file, true);
    return this.loaded.size > before;
  }

  /** Loads the modules the checker missed since the last build; true when any file was added. */
  loadMissed(): boolean {
    if (this.mode !== "lazy" || this.missing.size === 0) return false;
    const before = this.loaded.size;
    for (const name of this.missing) for (const file of this.declaredBy.get(name) ?? []) this.load(file, true);
    this.missing.clear();
    return this.loaded.size > before;
  }

  /** The checker looked for module `name` and found no declaration: remember it if we hold it back. */
  noteModuleNotFound(name: string): void {
    if (this.mode !== "lazy" || !this.declaredBy.get(name)?.some((file) => !this.loaded.has(file))) return;
    this.missing.add(name);
    // The watch program rebuilds only when a file's version changed (an unchanged cell reuses its
    // program, as tslab does). The index it has never had a version; giving it one makes the next
    // update rebuild, also an update asked for again unchanged (a completion retried, typescript.ts).
    if (this.indexFile) markChanged(this.indexFile.sf, "gradlab: modules missed");
  }

  /** Whether the checker missed a module that is not loaded yet (the next build loads it). */
  get missedModules(): boolean {
    return this.missing.size > 0;
  }

  /**
   * Writes the analysis of @types/node from a program that loaded all of it (the first start with
   * this @types/node), so the next start can load lazily. Never throws: an unwritable cache folder
   * only means loading all of @types/node again next time.
   */
  saveAnalysis(program: any): void {
    if (this.mode !== "eager (analysing)" || this.analysed || !program) return;
    this.analysed = true;
    const files: Record<string, FileFacts> = {};
    for (const sf of program.getSourceFiles()) {
      if (!sf.fileName.startsWith(this.nodeDir) || sf.fileName === this.indexName) continue;
      files[relative(this.nodeDir, sf.fileName)] = this.facts(sf);
    }
    const file = this.analysisFile();
    try {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}`;
      writeFileSync(tmp, JSON.stringify({ key: this.analysisKey, files } satisfies Analysis));
      renameSync(tmp, file);
    } catch {
      /* see above */
    }
  }

  private facts(sf: any): FileFacts {
    const ts = this.ts;
    const modules: string[] = [];
    let global = false;
    for (const st of sf.statements) {
      if (ts.isModuleDeclaration(st) && ts.isStringLiteral(st.name)) {
        modules.push(st.name.text);
        if (st.body && ts.isModuleBlock(st.body) && st.body.statements.some((s: any) => ts.isModuleDeclaration(s) && s.name.text === "global")) global = true;
      } else {
        global = true; // a global declaration (or an import/export, which we do not analyse further)
      }
    }
    // Kept too, never guessed about: a file that is a module itself, declares nothing (only references),
    // or brings in a lib or a types package (those have global effects from the moment they load).
    if (ts.isExternalModule(sf) || modules.length === 0) global = true;
    if (sf.libReferenceDirectives?.length || sf.typeReferenceDirectives?.length) global = true;
    return {
      global,
      modules,
      imports: moduleNames(sf),
      references: (sf.referencedFiles ?? []).map((r: any) => relative(this.nodeDir, resolve(dirname(sf.fileName), r.fileName))),
    };
  }

  /** The filtered index, or undefined when `fileName` is not @types/node's index (or we are off). */
  private indexSourceFile(fileName: string, languageVersion: unknown): any {
    if (this.mode === "off") return undefined;
    if (this.indexName === null) {
      const m = INDEX.exec(fileName);
      if (!m) return undefined;
      this.start(fileName, m[1]);
    }
    if (fileName !== this.indexName || this.mode !== "lazy") return undefined;
    if (this.indexFile?.size !== this.loaded.size) {
      const text = readFileSync(fileName, "utf8").split("\n").map((line) => {
        const m = REFERENCE.exec(line);
        if (!m) return line;
        const file = relative(this.nodeDir, resolve(dirname(fileName), m[1]));
        // Keep files the analysis does not know (never hide what we cannot load later).
        return this.analysis!.files[file] && !this.loaded.has(file) ? "" : line;
      }).join("\n");
      this.indexFile = { size: this.loaded.size, sf: this.ts.createSourceFile(fileName, text, languageVersion) };
    }
    return this.indexFile.sf;
  }

  /** First sight of @types/node's index: lazy when a valid analysis is cached, else all and analyse. */
  private start(indexName: string, nodeDir: string): void {
    this.indexName = indexName;
    this.nodeDir = nodeDir;
    try {
      const pkg = join(nodeDir, "package.json");
      const version = JSON.parse(readFileSync(pkg, "utf8")).version;
      const stamp = (f: string) => { const st = statSync(f); return `${st.size}:${st.mtimeMs}`; };
      this.analysisKey = [ANALYSIS_FORMAT, indexName, version, stamp(indexName), stamp(pkg), this.ts.version].join("\0");
    } catch {
      this.mode = "off";
      return;
    }
    try {
      const cached: Analysis = JSON.parse(readFileSync(this.analysisFile(), "utf8"));
      if (cached.key === this.analysisKey) this.analysis = cached;
    } catch {
      /* none yet, or unreadable: analyse this time */
    }
    if (!this.analysis) {
      this.mode = "eager (analysing)";
      return;
    }
    this.mode = "lazy";
    for (const [file, facts] of Object.entries(this.analysis.files)) {
      for (const name of facts.modules) this.declaredBy.set(name, [...(this.declaredBy.get(name) ?? []), file]);
    }
    // A file importing a package outside @types/node (undici-types) is kept as well: that package's
    // files could declare globals.
    const outside = (facts: FileFacts) => facts.imports.some((name) => !this.declaredBy.has(name));
    for (const [file, facts] of Object.entries(this.analysis.files)) {
      if (facts.global || outside(facts)) this.load(file, !this.checkerReports);
    }
  }

  /**
   * Adds `file`, the files it references, and the other files declaring a module it declares (a
   * module found half-declared would not be reported missing), transitively; with `withImports`, the
   * modules its declarations import too (one rebuild for a module and what its types use, rather
   * than one for each module the checker meets on the way).
   */
  private load(file: string, withImports: boolean): void {
    const queue = [file];
    while (queue.length) {
      const f = queue.pop()!;
      const facts = this.analysis!.files[f];
      if (this.loaded.has(f) || !facts) continue;
      this.loaded.add(f);
      queue.push(...facts.references);
      for (const name of facts.modules) queue.push(...(this.declaredBy.get(name) ?? []));
      if (withImports) for (const name of facts.imports) queue.push(...(this.declaredBy.get(name) ?? []));
    }
  }

  private analysisFile(): string {
    return join(this.cacheDir, `node-types-${createHash("sha256").update(this.indexName ?? "").digest("hex").slice(0, 8)}.json`);
  }
}
