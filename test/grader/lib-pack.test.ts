/**
 * gradlab's modules in one file for the sandboxed child (grader/sandbox/lib-pack.ts, packed-require.ts):
 * a pack is used only while it matches the sources, a module loaded from it is the same instance as
 * the file required by its path, and it behaves as Node's loader does (require circles, a module that
 * throws, built-ins, stack traces at the real file and line); V8 takes its code caches under the
 * child's flags. On a small lib of its own, and on dist/.
 */
import { spawnSync } from "child_process";
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { buildPack, currentPack, PACK_FILE, sourcesDigest, writePack } from "../../grader/sandbox/lib-pack";
import { compiledPaths, v8Flags } from "../../grader/sandbox/launcher";
import { tempDir } from "../support/temp";

const DIST = join(__dirname, "..", "..", "dist", "grader", "sandbox");

/** A small lib: an entry, a folder module, a require circle, a module that throws and one that reads a built-in. */
function writeLib(): string {
  const dir = tempDir("lib-pack");
  mkdirSync(join(dir, "shapes"));
  const files: Record<string, string> = {
    "index.js": `exports.shapes = require("./shapes"); exports.a = require("./a"); exports.here = () => __filename;`,
    "shapes/index.js": `exports.Square = require("./square").Square; exports.sep = require("path").sep;`,
    "shapes/square.js": `class Square { area() { throw new Error("no area"); } } exports.Square = Square;`,
    "a.js": `exports.name = "a"; exports.b = require("./b");`,
    "b.js": `exports.seenA = require("./a").name;`,
    "broken.js": `exports.half = 1; throw new Error("broken at load");`,
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

test("the pack holds each module's source and where its relative requires lead", () => {
  const dir = writeLib();
  const pack = buildPack(dir);
  expect(Object.keys(pack.modules).sort()).toEqual(["a.js", "b.js", "broken.js", "index.js", "shapes/index.js", "shapes/square.js"]);
  expect(pack.modules["index.js"].requires).toEqual({ "./shapes": "shapes/index.js", "./a": "a.js" });
  expect(pack.modules["shapes/index.js"].requires).toEqual({ "./square": "shapes/square.js" }); // "path" is Node's
  expect(pack.modules["b.js"].source).toBe(readFileSync(join(dir, "b.js"), "utf8"));
  expect(pack.digest).toBe(sourcesDigest(dir));
});

test("a pack is used only while the sources are the ones it was made from", () => {
  const dir = writeLib();
  expect(currentPack(dir)).toBeNull(); // none yet
  const fresh = writeLib();
  writePack(fresh);
  expect(currentPack(fresh)).toBe(join(fresh, PACK_FILE));
  const stale = writeLib();
  writePack(stale);
  writeFileSync(join(stale, "b.js"), `exports.seenA = "changed after the pack";`);
  expect(currentPack(stale)).toBeNull();
});

test("modules from the pack behave as Node's loader would, and are the instances Node's require finds", () => {
  // In a fresh Node process on dist/: jest gives tests a module registry (and a "module" built-in) of its own.
  const dir = writeLib();
  const script = `
    const { createRequire } = require("module");
    const { join } = require("path");
    const { writePack } = require(${JSON.stringify(join(DIST, "lib-pack.js"))});
    const { requirePacked } = require(${JSON.stringify(join(DIST, "packed-require.js"))});
    const dir = ${JSON.stringify(dir)};
    const lib = requirePacked(writePack(dir), dir, "index.js", module);
    const nodeRequire = createRequire(join(dir, "index.js"));
    let stack = "", broken = "";
    try { new lib.shapes.Square().area(); } catch (e) { stack = e.stack; }
    try { requirePacked(join(dir, "pack.json"), dir, "broken.js", module); } catch (e) { broken = e.message; }
    console.log(JSON.stringify({
      sameSquare: nodeRequire("./shapes/square").Square === lib.shapes.Square,
      sameEntry: nodeRequire("./index") === lib,
      filename: lib.here(),
      circle: lib.a.b.seenA,
      builtin: lib.shapes.sep === require("path").sep,
      stack,
      broken,
      brokenCached: join(dir, "broken.js") in require.cache,
    }));
  `;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  expect(r.stderr).toBe("");
  const result = JSON.parse(r.stdout);
  expect(result).toMatchObject({ sameSquare: true, sameEntry: true, filename: join(dir, "index.js"), builtin: true });
  expect(result.circle).toBe("a"); // the circle a -> b -> a saw a's exports so far
  expect(result.stack).toContain(`${join(dir, "shapes", "square.js")}:1:`); // the real file and line
  expect(result.broken).toBe("broken at load");
  expect(result.brokenCached).toBe(false); // as Node does: a module that threw is not cached
});

test("dist/lib has a current pack after the build, whose code caches V8 takes under the child's flags", () => {
  const { lib } = compiledPaths();
  expect(currentPack(lib)).toBe(join(lib, PACK_FILE));
  const script = `
    const vm = require("vm");
    const compile = vm.compileFunction;
    let compiled = 0, rejected = 0;
    vm.compileFunction = (...args) => { const f = compile(...args); compiled++; if (f.cachedDataRejected) rejected++; return f; };
    const { requirePacked } = require(${JSON.stringify(join(DIST, "packed-require.js"))});
    requirePacked(${JSON.stringify(join(lib, PACK_FILE))}, ${JSON.stringify(lib)}, "lazy-index.js", module);
    console.log(JSON.stringify({ compiled, rejected }));
  `;
  const run = (flags: string[]) => JSON.parse(spawnSync(process.execPath, [...flags, "-e", script], { encoding: "utf8" }).stdout);
  expect(run(v8Flags())).toEqual({ compiled: expect.any(Number), rejected: 0 });
  expect(run(v8Flags({ heapMB: 64, memoryMB: 1200, cpuSeconds: 30 })).rejected).toBeGreaterThan(0); // the check can fail
});
