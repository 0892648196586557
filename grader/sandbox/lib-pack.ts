/**
 * gradlab's compiled modules in one file (dist/lib/pack.json), for the sandboxed child's start: each
 * module's source and where each of its relative requires leads, resolved here as Node would. The
 * child (packed-require.ts) then loads `require("gradlab")`'s 54 modules without a file lookup, read
 * and permission check per module.
 *
 * Each module also carries V8's code cache, made under the child's V8 flags: compiling the 54 modules
 * was about half of what loading them from the pack cost. V8 checks that a cache fits before it uses
 * one (the same V8, the same flags, the same source length; the digest below covers the rest).
 * Together a child's start went from 97 to 70 ms of CPU (docs/grader.md).
 *
 * Written by `npm run build` (scripts/pack-lib.js). The pack carries a digest of the sources it was
 * made from; the launcher hands it to the child only while dist/lib still has exactly those sources,
 * so a lib rebuilt without a new pack runs from its files, never stale code.
 */
import { createHash } from "crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { dirname, join, relative, resolve, sep } from "path";
import { compileFunction } from "vm";
import { PARAMETERS } from "./packed-require";

export const PACK_FILE = "pack.json";

export interface PackedModule {
  source: string;
  /** Each relative require() in the source, as written, to the module it loads (a path relative to the lib folder). */
  requires: Record<string, string>;
  /** V8's code cache for the compiled source (base64): V8 takes it only from the same V8 with the same
   *  flags (the child's heap limit among them), and compiles the source itself otherwise. */
  codeCache: string;
}

export interface Pack {
  digest: string;
  /** By path relative to the lib folder, with "/" separators. */
  modules: Record<string, PackedModule>;
}

const RELATIVE_REQUIRE = /\brequire\("(\.{1,2}\/[^"]*)"\)/g;

function moduleFiles(libDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".js")) out.push(path);
    }
  };
  walk(libDir);
  return out.sort();
}

const key = (libDir: string, file: string) => relative(libDir, file).split(sep).join("/");

/** A digest of every module source in `libDir`: what a pack must have been made from to be used. */
export function sourcesDigest(libDir: string): string {
  const hash = createHash("sha256");
  for (const file of moduleFiles(libDir)) hash.update(`${key(libDir, file)}\0${readFileSync(file, "utf8")}\0`);
  return hash.digest("hex");
}

/** The pack of every module in `libDir`. Throws when a relative require leads nowhere. */
export function buildPack(libDir: string): Pack {
  const modules: Record<string, PackedModule> = {};
  for (const file of moduleFiles(libDir)) {
    const source = readFileSync(file, "utf8");
    const requires: Record<string, string> = {};
    for (const [, spec] of source.matchAll(RELATIVE_REQUIRE)) {
      const target = require.resolve(resolve(dirname(file), spec));
      if (target.endsWith(".js")) requires[spec] = key(libDir, target); // anything else (JSON) is Node's to load
    }
    const compiled = compileFunction(source, PARAMETERS, { filename: file, produceCachedData: true }) as { cachedData?: Buffer };
    modules[key(libDir, file)] = { source, requires, codeCache: compiled.cachedData?.toString("base64") ?? "" };
  }
  return { digest: sourcesDigest(libDir), modules };
}

export function writePack(libDir: string): string {
  const file = join(libDir, PACK_FILE);
  writeFileSync(file, JSON.stringify(buildPack(libDir)));
  return file;
}

const checked = new Map<string, string | null>();

/** `libDir`'s pack if it was made from the sources there now, else null (checked once per process). */
export function currentPack(libDir: string): string | null {
  if (!checked.has(libDir)) {
    const file = join(libDir, PACK_FILE);
    let fresh = false;
    if (existsSync(file)) {
      try {
        fresh = (JSON.parse(readFileSync(file, "utf8")) as Pack).digest === sourcesDigest(libDir);
      } catch {
        fresh = false; // unreadable: the child loads the files
      }
    }
    checked.set(libDir, fresh ? file : null);
  }
  return checked.get(libDir)!;
}
