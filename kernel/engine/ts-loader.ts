/**
 * Loads tslab's TypeScript (@tslab/typescript-for-tslab, a 10 MB script) faster than `require` does,
 * and with the text patches of private-surface.ts (TEXT_PATCHES: the checker reporting modules it could
 * not find), edits of the script's text in memory (node_modules is not touched); each one is applied only when its anchor is found exactly once, so another TypeScript build
 * simply loads without it, and GRADLAB_KERNEL_PATCHES turns them off (all with "0", one with "-name").
 *
 * The compiled code is kept in a V8 code cache under the user's cache folder (Node 20 has no
 * module.enableCompileCache), written once after the first cell so that the functions the kernel
 * actually ran are in it, beside the prepared (patched) text it was compiled from, so that a start reads
 * one file instead of patching the original again. The script is registered in require.cache, so that
 * tslab's `require` of it gets this instance.
 */
import { createHash } from "crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "fs";
import Module from "module";
import { homedir } from "os";
import { dirname, join } from "path";
import * as vm from "vm";
import { enabledPatches, findAnchor, TEXT_PATCHES, TextPatch, TextPatchHooks } from "./private-surface";
import { v8FlagsInEffect } from "./v8-flags";

export interface LoadedScript {
  /** The module's exports (what `require(path)` would have returned). */
  exports: any;
  /** The patches applied, by name (empty when disabled or no anchor matched). */
  patches: string[];
  /**
   * Calls `listener` with each module name the type checker looks up and finds no ambient declaration
   * of (the "module-not-found-hook" patch; never called when that patch is not applied). Returns a
   * function that removes the listener.
   */
  onModuleNotFound(listener: (name: string) => void): () => void;
  /** "hit", "miss" (no cache yet), "rejected" (stale) or "off" (no writable cache folder). */
  cache: "hit" | "miss" | "rejected" | "off";
  /** Writes the code cache if it was missing or stale; a no-op otherwise. Never throws. */
  saveCompileCache(): void;
}

/** Applies each enabled patch whose anchor occurs exactly once; searched as bytes (a string search of 10 MB is slow). */
function applyPatches(file: Buffer, patches: TextPatch[]): { source: string; ascii: boolean; applied: string[] } {
  const applied: { name: string; at: number; anchor: Buffer; replacement: Buffer }[] = [];
  for (const p of patches) {
    const at = findAnchor(file, p.anchor);
    if (typeof at === "number") applied.push({ name: p.name, at, anchor: Buffer.from(p.anchor), replacement: Buffer.from(p.replacement) });
  }
  applied.sort((a, b) => a.at - b.at);
  const parts: Buffer[] = [];
  let from = 0;
  for (const p of applied) {
    parts.push(file.subarray(from, p.at), p.replacement);
    from = p.at + p.anchor.length;
  }
  parts.push(file.subarray(from));
  return { ...decode(Buffer.concat(parts)), applied: applied.map((p) => p.name) };
}

/**
 * The script as a string. TypeScript 5.0's has four non-ASCII characters, all in `//` comments; as
 * UTF-8 they would make V8 hold (and scan, and hash) all 8 MB as a two-byte string, and decoding
 * them costs ~60 ms. When every non-ASCII byte is in a line comment, they become "?" in a one-byte
 * string (`ascii`: it reads back unchanged as one-byte); otherwise the script is decoded as UTF-8.
 */
function decode(file: Buffer): { source: string; ascii: boolean } {
  const text = file.toString("latin1");
  let safe = true;
  const ascii = text.replace(/[^\x00-\x7f]/g, (_ch, at: number) => {
    const lineStart = text.lastIndexOf("\n", at) + 1;
    if (!/^\s*\/\/|\s\/\/\s/.test(text.slice(lineStart, at))) safe = false;
    return "?";
  });
  return safe ? { source: ascii, ascii: true } : { source: file.toString("utf8"), ascii: false };
}

/** Where the kernel keeps its caches (the code cache here, the @types/node analysis of lazy-node-types.ts). */
export function cacheDir(): string {
  return process.env.GRADLAB_CACHE_DIR ?? join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "gradlab");
}

/** Bump when the prepared source's layout changes, so old prepared files are not read. */
const PREPARED_FORMAT = 1;
const PATCH_HEADER = /^\/\* gradlab patches: ([^*]*) \*\//;

/**
 * The wrapped, patched script, ready for vm.Script. Preparing it from the 8 MB file (patch search,
 * copy, one-byte decode) costs ~100 ms of each start, so it is kept beside the code cache as the exact
 * text V8 compiled (ASCII, read back as one-byte) with the applied patches named in a leading comment.
 * `storable`: the text was prepared now and may be kept (only ASCII reads back unchanged as one-byte;
 * other text is prepared on each start).
 */
function preparedSource(path: string, preparedFile: string, patches: TextPatch[]): { wrapped: string; applied: string[]; storable: boolean } {
  try {
    const wrapped = readFileSync(preparedFile, "latin1");
    const header = PATCH_HEADER.exec(wrapped);
    if (header) return { wrapped, applied: header[1] ? header[1].split(",") : [], storable: false };
  } catch {
    /* not prepared yet */
  }
  const { source, ascii, applied } = applyPatches(readFileSync(path), patches);
  const wrapped = `/* gradlab patches: ${applied.join(",")} */(function (exports, require, module, __filename, __dirname, __gradlab) {${source}\n})`;
  return { wrapped, applied, storable: ascii };
}

/**
 * Evaluates the CommonJS script at `path` (patched, through the code cache) and registers it in
 * require.cache, so that later `require`s of it (tslab's) get this instance.
 */
export function loadTypeScriptScript(path: string, log: (text: string) => void = () => undefined): LoadedScript {
  const enabled = enabledPatches();
  const patches = TEXT_PATCHES.filter((p) => enabled.has(p.name));
  // Keyed by what the prepared text and V8's cache depend on: the script (its file's size and time),
  // the patches we would apply, the loader's format and Node.
  const st = statSync(path);
  const patchSet = JSON.stringify(patches);
  const key = createHash("sha256").update([path, st.size, st.mtimeMs, patchSet, PREPARED_FORMAT, process.version, process.arch].join("\0")).digest("hex").slice(0, 16);
  // One prepared text per installed script: a new key (TypeScript or Node upgraded) replaces the old
  // files. V8 rejects a code cache made under other V8 flags (the kernel sets its own, v8-flags.ts;
  // a test loading TypeScript in its own process does not), so each set of flags keeps its own.
  const prefix = `typescript-${createHash("sha256").update(path).digest("hex").slice(0, 8)}-`;
  const flags = createHash("sha256").update(v8FlagsInEffect()).digest("hex").slice(0, 8);
  const cacheFile = join(cacheDir(), `${prefix}${key}-${flags}.v8cache`);
  const preparedFile = join(cacheDir(), `${prefix}${key}.js`);
  const { wrapped, applied, storable: preparable } = preparedSource(path, preparedFile, patches);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    /* no cache yet */
  }
  const script = new vm.Script(wrapped, { filename: path, cachedData });
  let cache: LoadedScript["cache"] = cachedData ? (script.cachedDataRejected ? "rejected" : "hit") : "miss";
  if (cache === "hit" && preparable) cache = "miss"; // write the prepared text too

  const mod = new Module(path, module);
  mod.filename = path;
  mod.paths = (Module as any)._nodeModulePaths(dirname(path));
  const notFoundListeners = new Set<(name: string) => void>();
  const hooks: TextPatchHooks = {
    moduleNotFound: (name: string) => {
      for (const listener of notFoundListeners) listener(name);
    },
  };
  script.runInThisContext()(mod.exports, Module.createRequire(path), mod, path, dirname(path), hooks);
  mod.loaded = true;
  require.cache[path] = mod;

  return {
    exports: mod.exports,
    patches: applied,
    onModuleNotFound(listener) {
      notFoundListeners.add(listener);
      return () => void notFoundListeners.delete(listener);
    },
    get cache() {
      return cache;
    },
    saveCompileCache() {
      if (cache === "hit" || cache === "off") return;
      try {
        mkdirSync(dirname(cacheFile), { recursive: true });
        const tmp = `${cacheFile}.${process.pid}`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
        if (preparable) {
          writeFileSync(`${preparedFile}.${process.pid}`, wrapped, "latin1");
          renameSync(`${preparedFile}.${process.pid}`, preparedFile);
        }
        cache = "hit";
        // Older keys go; code caches of this key under other V8 flags stay.
        for (const f of readdirSync(dirname(cacheFile))) {
          if (!f.startsWith(prefix) || f.startsWith(`${prefix}${key}`)) continue;
          if (f.endsWith(".v8cache") || f.endsWith(".js")) rmSync(join(dirname(cacheFile), f), { force: true });
        }
      } catch (e) {
        cache = "off";
        log(`cannot write the TypeScript code cache ${cacheFile}: ${(e as Error).message}`);
      }
    },
  };
}
