/**
 * The kernel's TypeScript layer (kernel/engine/typescript.ts, ts-loader.ts) in a child Node process
 * (it loads TypeScript through require.cache, which jest's module registry does not share):
 *
 * - the plain Program used for each cell gives exactly what tslab's own builder program gives, cell by
 *   cell, for declarations carried across cells, shadowing, type errors, local imports and top-level await;
 * - the loader's patches apply to the shipped TypeScript, and inspect shows the documentation of built-ins;
 * - the code cache is written once and then used; patches apply only where their anchor is unique.
 * Runs the compiled kernel code (dist/): `npm run build` first.
 */
import { execFile } from "child_process";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { promisify } from "util";
import { tempDir } from "../support/temp";

const run = promisify(execFile);
const dist = join(__dirname, "..", "..", "dist", "kernel", "engine");
const fixture = join(__dirname, "fixtures", "notebook", "geometry.ts");

/** Runs `script` (CommonJS, with DIST bound to dist/kernel/engine) in `cwd`; parses the JSON it prints last. */
async function inChild(script: string, cwd: string, env: NodeJS.ProcessEnv = {}): Promise<any> {
  const code = `const DIST = ${JSON.stringify(dist)};\n${script}`;
  const { stdout } = await run(process.execPath, ["-e", code], { cwd, env: { ...process.env, ...env }, timeout: 60_000, maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

const CELLS = [
  "const x: number = 41;",
  "interface Point { x: number; y: number }\ntype Id = string;\nfunction norm(p: Point): number { return Math.hypot(p.x, p.y); }\nlet count = 0;",
  "const p: Point = { x: 3, y: 4 };\nnorm(p) + x",
  "const bad: string = x;",
  "count += 1;\nconst id: Id = `a${count}`;\nid",
  "const x: string = \"shadow\";\nx.length",
  "x.toUpperCase()",
  "norm({ x: 1 })",
  "import { area } from \"./geometry\";\narea({ width: 3, height: 4 })",
  "const n = await Promise.resolve(x.length);\nn",
  "undefinedName + 1",
];

/** A temporary folder (removed after this file's tests) holding the geometry fixture a cell imports. */
function withFixture(prefix: string): string {
  const dir = tempDir(prefix);
  copyFileSync(fixture, join(dir, "geometry.ts"));
  return dir;
}

describe("the plain Program per cell (instead of tslab's builder program)", () => {
  let dir: string;
  beforeAll(() => (dir = withFixture("ts-engine")));

  test("gives tslab's results cell by cell: declarations across cells, errors, local imports, top-level await", async () => {
    const results = await inChild(`
      const path = require("path");
      const { loadTypeScript } = require(DIST + "/typescript.js");
      const lt = loadTypeScript(process.cwd(), []);
      const cells = ${JSON.stringify(CELLS)};
      function runAll(builder) {
        process.env.GRADLAB_KERNEL_PATCHES = builder === "tslab" ? "-plain-builder" : "";
        const converter = lt.createConverter();
        let decl = "";
        const out = cells.map((cell) => {
          const r = converter.convert(decl, cell);
          lt.takeMaps();
          if (r.diagnostics.length === 0) decl = r.declOutput ?? "";
          return {
            output: r.output ?? null, declOutput: r.declOutput ?? null, last: r.lastExpressionVar ?? null,
            diagnostics: r.diagnostics.map((d) => d.start.line + ":" + d.start.character + " " + d.messageText),
            sideOutputs: (r.sideOutputs ?? []).map((s) => path.basename(s.path)),
          };
        });
        converter.close();
        return out;
      }
      console.log(JSON.stringify({ plain: runAll("plain"), tslab: runAll("tslab") }));
      process.exit(0);`, dir);
    const plain = results.plain as { diagnostics: string[]; last: string | null; sideOutputs: string[]; output: string | null }[];
    expect(plain).toEqual(results.tslab);
    // And what they agree on is right, so the comparison cannot pass with both broken.
    const errorCells = plain.map((r, i) => (r.diagnostics.length ? i : -1)).filter((i) => i >= 0);
    expect(errorCells).toEqual([3, 7, 10]);
    expect(plain[3].diagnostics).toEqual(["0:6 Type 'number' is not assignable to type 'string'."]);
    expect(plain[7].diagnostics).toEqual(["0:5 Argument of type '{ x: number; }' is not assignable to parameter of type 'Point'.",
      "0:5 Property 'y' is missing in type '{ x: number; }' but required in type 'Point'."]);
    expect(plain[10].diagnostics).toEqual([expect.stringMatching(/^0:0 Cannot find name 'undefinedName'\./)]);
    expect(plain[2].last).not.toBeNull();
    expect(plain[6].output).toContain("toUpperCase");
    expect(plain[8].sideOutputs).toEqual(["geometry.js"]);
    expect(plain[9].output).toContain("await");
  });

  test("the loader's patches apply to the shipped TypeScript, and inspect shows built-ins' documentation", async () => {
    const r = await inChild(`
      const { loadTypeScript } = require(DIST + "/typescript.js");
      const lt = loadTypeScript(process.cwd(), []);
      const converter = lt.createConverter();
      const info = converter.inspect("", "Math.max", 8);
      console.log(JSON.stringify({ loader: lt.loaderInfo, text: lt.printQuickInfo(info) }));
      process.exit(0);`, dir, { GRADLAB_CACHE_DIR: join(dir, "cache") });
    expect([...r.loader.patches].sort()).toEqual(["module-not-found-hook"]);
    expect(r.text).toBe("(method) Math.max(...values: number[]): number\n\nReturns the larger of a set of supplied numeric expressions.\n@param values Numeric expressions to be evaluated.");
  });
});

describe("the static-watchers patch", () => {
  let dir: string;
  beforeAll(() => (dir = withFixture("ts-watchers")));

  test("no watcher on declarations under node_modules or TypeScript's lib; all of them with GRADLAB_KERNEL_PATCHES=-static-watchers", async () => {
    const r = await inChild(`
      const { loadTypeScript } = require(DIST + "/typescript.js");
      const lt = loadTypeScript(process.cwd(), []);
      // tslab's System hands every watcher it keeps to TypeScript's own sys.watchFile.
      const watched = [];
      const watchFile = lt.ts.sys.watchFile;
      lt.ts.sys.watchFile = (path, ...rest) => (watched.push(path), watchFile.call(lt.ts.sys, path, ...rest));
      const watchedFiles = (patches) => {
        process.env.GRADLAB_KERNEL_PATCHES = patches;
        watched.length = 0;
        const converter = lt.createConverter();
        converter.convert("", 'import { area } from "./geometry";\\narea({ width: 3, height: 4 })');
        converter.close();
        return [...watched];
      };
      console.log(JSON.stringify({ patched: watchedFiles(""), all: watchedFiles("-static-watchers") }));
      process.exit(0);`, dir);
    const declarations = (files: string[]) => files.filter((f) => f.endsWith(".d.ts") && (f.includes("/node_modules/") || f.includes("/lib/lib.")));
    expect(r.patched).toContain(join(dir, "geometry.ts"));
    expect(declarations(r.patched)).toEqual([]);
    expect(r.all).toContain(join(dir, "geometry.ts"));
    expect(declarations(r.all).length).toBeGreaterThan(20);
    expect(declarations(r.all)).toEqual(expect.arrayContaining([expect.stringMatching(/\/@types\/node\/globals\.d\.ts$/), expect.stringMatching(/\/lib\.es5\.d\.ts$/)]));
  });
});

describe("ts-loader on a small script", () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "gradlab-ts-loader-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const load = (file: string) => inChild(`
    const { loadTypeScriptScript } = require(DIST + "/ts-loader.js");
    const loaded = loadTypeScriptScript(${JSON.stringify(file)});
    const before = loaded.cache;
    loaded.saveCompileCache();
    console.log(JSON.stringify({ before, after: loaded.cache, patches: loaded.patches, value: loaded.exports.value(),
      shared: require(${JSON.stringify(file)}) === loaded.exports }));`, dir, { GRADLAB_CACHE_DIR: join(dir, "cache") });

  test("the code cache is written on the first load and used on the next; the module is require's too", async () => {
    const file = join(dir, "mod.js");
    writeFileSync(file, "exports.value = () => [1, 2, 3].map((v) => v * 2).join(',');\n");
    expect(await load(file)).toEqual({ before: "miss", after: "hit", patches: [], value: "2,4,6", shared: true });
    expect(readdirSync(join(dir, "cache")).filter((f) => f.endsWith(".v8cache"))).toHaveLength(1);
    // Beside it, the exact text V8 compiled, so that the next start need not prepare it again.
    const prepared = readdirSync(join(dir, "cache")).filter((f) => f.endsWith(".js"));
    expect(prepared).toHaveLength(1);
    expect(readFileSync(join(dir, "cache", prepared[0]), "latin1")).toContain("exports.value = () => [1, 2, 3]");
    expect(await load(file)).toEqual({ before: "hit", after: "hit", patches: [], value: "2,4,6", shared: true });
    // The script changes (a new version): its new cache and prepared text replace the old ones.
    writeFileSync(file, "exports.value = () => 'v2';\n");
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(await load(file)).toEqual({ before: "miss", after: "hit", patches: [], value: "v2", shared: true });
    expect(readdirSync(join(dir, "cache")).filter((f) => f.endsWith(".v8cache"))).toHaveLength(1);
    expect(readdirSync(join(dir, "cache")).filter((f) => f.endsWith(".js"))).toHaveLength(1);
    expect(await load(file)).toEqual({ before: "hit", after: "hit", patches: [], value: "v2", shared: true });
  });

  /** A script with the module-not-found-hook patch's anchor `times` times: value() asks for module "fs". */
  const hookScript = (times: number) => "function getSourceFileOfNode(location) { return location; }\n" +
    Array.from({ length: times }, (_, i) => `function resolve${i}(moduleReference, ambientModule, location) {\n` +
      "      if (ambientModule) {\n        return ambientModule;\n      }\n      const currentSourceFile = getSourceFileOfNode(location);\n" +
      "      return currentSourceFile;\n}\n").join("") +
    "exports.value = () => resolve0(\"fs\", undefined, \"here\");\n";
  /** Loads `file`, calls value() and reports the module names the hook heard. */
  const heard = (file: string, patches = "") => inChild(`
    const { loadTypeScriptScript } = require(DIST + "/ts-loader.js");
    const loaded = loadTypeScriptScript(${JSON.stringify(file)});
    const names = [];
    loaded.onModuleNotFound((name) => names.push(name));
    console.log(JSON.stringify({ patches: loaded.patches, value: loaded.exports.value(), heard: names }));`,
  dir, { GRADLAB_CACHE_DIR: join(dir, "cache"), GRADLAB_KERNEL_PATCHES: patches });

  test("a patch applies where its anchor occurs once, and not where it occurs twice", async () => {
    const once = join(dir, "once.js");
    writeFileSync(once, hookScript(1));
    expect(await heard(once)).toEqual({ patches: ["module-not-found-hook"], value: "here", heard: ["fs"] });
    const twice = join(dir, "twice.js");
    writeFileSync(twice, hookScript(2));
    expect(await heard(twice)).toEqual({ patches: [], value: "here", heard: [] });
  });

  test("non-ASCII text survives: in strings as it is, in line comments as the loader likes", async () => {
    const comments = join(dir, "comments.js");
    writeFileSync(comments, "// it’s a comment\nexports.value = () => 'plain'; // doesn’t matter\n");
    expect((await load(comments)).value).toBe("plain");
    const strings = join(dir, "strings.js");
    writeFileSync(strings, "// it’s a comment\nexports.value = () => 'café ’';\n");
    expect((await load(strings)).value).toBe("café ’");
    // Text that is not ASCII would not read back unchanged as one-byte: it is prepared on each start.
    expect(await load(strings)).toMatchObject({ before: "hit", value: "café ’" });
    expect(readdirSync(join(dir, "cache")).filter((f) => f.endsWith(".js"))).toHaveLength(1); // comments.js only
  });

  test("GRADLAB_KERNEL_PATCHES=0, or -name, loads the script without the patches turned off", async () => {
    const file = join(dir, "off.js");
    writeFileSync(file, hookScript(1));
    expect(await heard(file, "")).toMatchObject({ patches: ["module-not-found-hook"], heard: ["fs"] });
    expect(await heard(file, "0")).toEqual({ patches: [], value: "here", heard: [] });
    expect(await heard(file, "-module-not-found-hook")).toEqual({ patches: [], value: "here", heard: [] });
    expect(await heard(file, "-static-watchers")).toMatchObject({ patches: ["module-not-found-hook"], heard: ["fs"] });
  });
});
