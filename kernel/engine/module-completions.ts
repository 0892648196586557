/**
 * Completion inside a module specifier: `from "gr|`, `import("./ge|`, `require("no|`. tslab's
 * language service throws there (TypeScript 5.0's string-literal completions expect a host method tslab
 * does not provide), so the kernel answers itself with what the notebook could import: files next to
 * the notebook (modules by their import name, folders with a trailing "/"), packages in the
 * node_modules folders above it, the package the notebook sits in (Node's self-reference, e.g. "gradlab"
 * in this repository's notebooks/), and Node's built-in modules.
 */
import { readdirSync, statSync } from "fs";
import { builtinModules } from "module";
import { dirname, join, resolve } from "path";
import { enclosingPackage } from "./package-json";

export interface SpecifierCompletion {
  matches: string[];
  /** Where the typed part of the specifier starts and ends (the text the front end replaces). */
  start: number;
  end: number;
}

/** An import, export-from, import() or require() string the cursor is in, up to the cursor. */
const SPECIFIER_BEFORE_CURSOR = /(?:[}\w*$]\s+from\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(["'])([^"'\n]*)$/;

const MODULE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", ".cjs"];

/** Completions when the cursor is inside a module specifier, else null (the language service's turn). */
export function completeModuleSpecifier(code: string, cursorPos: number, notebookDir: string): SpecifierCompletion | null {
  const line = code.slice(code.lastIndexOf("\n", cursorPos - 1) + 1, cursorPos);
  const m = SPECIFIER_BEFORE_CURSOR.exec(line);
  if (!m) return null;
  const typed = m[2];
  const end = cursorPos;
  if (typed.startsWith(".") || typed.startsWith("/")) {
    // Complete the last path segment only: "./lib/st" replaces "st".
    const slash = typed.lastIndexOf("/");
    const folderPart = slash >= 0 ? typed.slice(0, slash + 1) : "";
    const prefix = typed.slice(slash + 1);
    const folder = resolve(notebookDir, folderPart || ".");
    return { matches: localEntries(folder, prefix), start: end - prefix.length, end };
  }
  const matches = [...packageNames(notebookDir), ...selfReference(notebookDir), ...builtinNames()]
    .filter((name) => name.startsWith(typed))
    .sort((a, b) => a.localeCompare(b));
  return { matches: [...new Set(matches)], start: end - typed.length, end };
}

/** Importable entries of a folder: modules without their extension (TypeScript's style), folders with "/". */
function localEntries(folder: string, prefix: string): string[] {
  const out = new Set<string>();
  for (const entry of safeReaddir(folder)) {
    if (!entry.startsWith(prefix) || entry === "node_modules" || (entry.startsWith(".") && !prefix.startsWith("."))) continue;
    if (isDirectory(join(folder, entry))) {
      out.add(`${entry}/`);
      continue;
    }
    if (entry.endsWith(".d.ts")) continue;
    const ext = MODULE_EXTENSIONS.find((e) => entry.endsWith(e));
    if (ext) out.add(entry.slice(0, -ext.length));
    else if (entry.endsWith(".json")) out.add(entry);
  }
  return [...out].sort((a, b) => a.localeCompare(b));
}

/** Package names in every node_modules folder from the notebook's folder up to the root (scoped ones as @scope/name). */
function packageNames(fromDir: string): string[] {
  const names: string[] = [];
  for (let dir = resolve(fromDir); ; dir = dirname(dir)) {
    const nodeModules = join(dir, "node_modules");
    for (const entry of safeReaddir(nodeModules)) {
      if (entry.startsWith(".")) continue;
      if (entry.startsWith("@")) {
        if (entry === "@types") continue; // types packages are not imported by that name
        for (const scoped of safeReaddir(join(nodeModules, entry))) names.push(`${entry}/${scoped}`);
      } else {
        names.push(entry);
      }
    }
    if (dirname(dir) === dir) return names;
  }
}

/** The name of the package the notebook sits in, when it has "exports" (Node's self-reference). */
function selfReference(fromDir: string): string[] {
  const pkg = enclosingPackage(fromDir)?.json;
  return typeof pkg?.name === "string" && pkg.exports ? [pkg.name] : [];
}

/** Node's built-in modules, plain and with the node: prefix (internal _underscore ones left out). */
function builtinNames(): string[] {
  const plain = builtinModules.filter((name) => !name.startsWith("_"));
  return [...plain, ...plain.map((name) => `node:${name}`)];
}

function safeReaddir(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
