/**
 * Names the file of a stack frame the way a student needs it: files in the notebook's folder relative
 * to it (`geometry.js:3:9`; a local module the kernel compiled by its source, `geometry.ts:8:9`), files of a package by the package's name and, when the package ships
 * source maps, at the line of its TypeScript source (`gradlab/lib/gates/gate.ts:87:13` rather than
 * `/home/.../dist/lib/gates/gate.js:101:19`), and the kernel's own files (its dist/kernel folder, tslab,
 * Node's internals) not at all: a traceback should point at code the student can open.
 */
import { existsSync, readFileSync } from "fs";
import { SourceMap } from "module";
import { dirname, isAbsolute, join, relative, resolve, sep } from "path";
import { fileURLToPath } from "url";

/** Node's own frames (vm, the module loader, promise and timer plumbing). */
const NODE_INTERNAL = /^node:(internal|vm|async_hooks|worker_threads)\b/;

/** The local modules the kernel compiled itself (modules.ts): their code is not the file's text. */
export interface CompiledModules {
  has(path: string): boolean;
  /** 1-based line and column in the module's own file, or null when unknown. */
  originalPosition(path: string, line: number, column: number): { line: number; column: number } | null;
}

const NONE_COMPILED: CompiledModules = { has: () => false, originalPosition: () => null };

interface PackageInfo {
  name: string;
  root: string;
}

export class FrameNamer {
  private readonly packages = new Map<string, PackageInfo | null>();
  private readonly sourceMaps = new Map<string, SourceMap | null>();
  private readonly internalDirs: string[];

  /**
   * @param notebookDir the folder the notebook runs in (user files are named relative to it)
   * @param internalDirs folders whose frames are the kernel's own (dropped from tracebacks)
   */
  /**
   * @param compiled the files the kernel compiled itself (a local .ts or .js module that tslab converts
   *   beside the cell): named by their source file at the line their source maps give (none when unknown).
   */
  constructor(readonly notebookDir: string, internalDirs: string[], private readonly compiled: CompiledModules = NONE_COMPILED) {
    this.internalDirs = internalDirs.map((d) => resolve(d) + sep);
  }

  /** True for frames of the kernel itself or of Node's internals. */
  isInternal(file: string): boolean {
    if (NODE_INTERNAL.test(file)) return true;
    const path = toPath(file);
    return path !== null && this.internalDirs.some((d) => path.startsWith(d));
  }

  /** "where:line:column" for a frame in `file` (1-based line and column, as in V8's stack lines). */
  describe(file: string, line: number, column: number): string {
    const path = toPath(file);
    if (path === null) return `${file}:${line}:${column}`;
    if (this.compiled.has(path)) {
      const source = sourceOf(path);
      const name = this.inNotebookDir(source) ?? source;
      const at = this.compiled.originalPosition(path, line, column);
      return at ? `${name}:${at.line}:${at.column}` : name;
    }
    const local = this.inNotebookDir(path);
    if (local !== null) return `${local}:${line}:${column}`;
    const pkg = this.packageOf(path);
    if (!pkg) return `${path}:${line}:${column}`;
    const original = this.originalPosition(path, line, column);
    if (original && original.source.startsWith(pkg.root + sep)) {
      return `${pkg.name}/${toPosix(relative(pkg.root, original.source))}:${original.line}:${original.column}`;
    }
    return `${pkg.name}/${toPosix(relative(pkg.root, path))}:${line}:${column}`;
  }

  /** A path for type-checker diagnostics: relative to the notebook's folder when inside it. */
  describePath(path: string): string {
    return this.inNotebookDir(resolve(this.notebookDir, path)) ?? path;
  }

  /** The path relative to the notebook's folder, or null when outside it or inside an installed package. */
  private inNotebookDir(path: string): string | null {
    const rel = relative(this.notebookDir, path);
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return null;
    if (rel.split(sep).includes("node_modules")) return null;
    return toPosix(rel);
  }

  /** The nearest enclosing package.json that names a package. */
  private packageOf(path: string): PackageInfo | null {
    const found: string[] = [];
    let info: PackageInfo | null = null;
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      if (this.packages.has(dir)) {
        info = this.packages.get(dir)!;
        break;
      }
      found.push(dir);
      const pj = join(dir, "package.json");
      if (existsSync(pj)) {
        try {
          const name = JSON.parse(readFileSync(pj, "utf8")).name;
          if (typeof name === "string" && name) {
            info = { name, root: dir };
            break;
          }
        } catch {
          /* unreadable package.json: keep looking */
        }
      }
      if (dirname(dir) === dir) break;
    }
    for (const dir of found) this.packages.set(dir, info);
    return info;
  }

  /** The TypeScript (or other original) position of a compiled file's line, from the map beside it. */
  private originalPosition(path: string, line: number, column: number): { source: string; line: number; column: number } | null {
    if (!this.sourceMaps.has(path)) {
      let map: SourceMap | null = null;
      try {
        const mapFile = `${path}.map`;
        if (existsSync(mapFile)) map = new SourceMap(JSON.parse(readFileSync(mapFile, "utf8")));
      } catch {
        map = null;
      }
      this.sourceMaps.set(path, map);
    }
    const map = this.sourceMaps.get(path);
    if (!map) return null;
    const entry = map.findEntry(line - 1, column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (!entry.originalSource || entry.originalLine === undefined) return null;
    const source = entry.originalSource.startsWith("file://") ? fileURLToPath(entry.originalSource) : resolve(dirname(path), entry.originalSource);
    return { source, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
  }
}

/** The file a converted module came from: geometry.js runs what geometry.ts says (or .tsx, .mts, .cts). */
function sourceOf(compiled: string): string {
  const base = compiled.replace(/\.[cm]?js$/, "");
  for (const ext of [".ts", ".tsx", ".mts", ".cts"]) if (existsSync(base + ext)) return base + ext;
  return compiled;
}

/** An absolute file path for a frame's file (file: URLs included), or null for node:, <anonymous> and the like. */
function toPath(file: string): string | null {
  if (file.startsWith("file://")) {
    try {
      return fileURLToPath(file);
    } catch {
      return null;
    }
  }
  return isAbsolute(file) ? file : null;
}

function toPosix(path: string): string {
  return sep === "/" ? path : path.split(sep).join("/");
}
