/**
 * @types/node loaded lazily (kernel/engine/lazy-node-types.ts) gives exactly what loading all of it
 * gives: the same cells are converted by a lazy converter and by one with
 * GRADLAB_KERNEL_LAZY_NODE_TYPES=0, and their outputs, declarations, diagnostics, side outputs,
 * completions and inspections must be identical, for cells that use Node's globals, import Node
 * modules every way a notebook can (static, `node:`, dynamic, `require`, through a local module, a
 * package's declarations) and get a type error involving a Node type. The lazy run must also really be
 * lazy (modules absent at start, added when imported). Two notebook folders: one outside the
 * repository (tslab's bundled @types/node 18, what a student's folder gets) and one inside it (the
 * repository's @types/node 20, vega and gradlab itself).
 * Runs the compiled kernel code (dist/): `npm run build` first.
 */
import { execFile } from "child_process";
import { copyFileSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { promisify } from "util";

const run = promisify(execFile);
const dist = join(__dirname, "..", "..", "dist", "kernel", "engine");
const fixtureDir = join(__dirname, "fixtures", "node-types");

const NODE_CELLS = [
  "process.stdout.write(\"hi\\n\");\nconst b = Buffer.from(\"hi\");\nb.length",
  "const t = setTimeout(() => {}, 0);\nclearTimeout(t);\nqueueMicrotask(() => {});\nconst copy = structuredClone({ a: 1 });\nconst u = new URL(\"https://example.org/a\");\nt",
  "import * as fs from \"fs\";\nconst st = fs.statSync(\".\");\nst.isDirectory()",
  "import { readFileSync } from \"node:fs\";\nconst text: number = readFileSync(\"x\", \"utf8\");",
  "const path = await import(\"node:path\");\npath.join(\"a\", \"b\")",
  "import { cores } from \"./cores\";\ncores()",
  "const os = require(\"os\");\nos.platform()",
  "const w: NodeJS.WritableStream = process.stdout;\nconst n: number = process.stdout;",
  "type Sock = import(\"dgram\").Socket;\nlet sock: Sock | undefined;\nsock",
];
const PACKAGE_CELLS = [
  "const vega = await import(\"vega\");\ntypeof vega.parse",
  "import { Tensor } from \"gradlab\";\nconst z = Tensor.zeros([2, 3]);\nz.shape",
];
/** [code, cursor position] for complete: members of an imported module, of a module imported here, of a global. */
const COMPLETIONS: [string, number][] = [
  ["fs.", 3],
  ["import * as zl from \"zlib\";\nzl.", 31],
  ["process.std", 11],
];
/** inspect: the first restores the built-ins' documentation; child_process is loaded only after it. */
const INSPECTIONS: [string, number][] = [
  ["Math.max", 8],
  ["import { spawn } from \"child_process\";\nspawn", 44],
  ["fs.readFileSync", 15],
];

/**
 * Converts `cells` with a lazy and with an eager converter (cwd = the notebook folder), each in a
 * fresh process: the loader's JSDoc state is per process (deprecation marks in completions depend on it).
 */
async function lazyAndEager(cwd: string, cells: string[]): Promise<any> {
  const script = `
    const path = require("path");
    const { loadTypeScript } = require(${JSON.stringify(dist)} + "/typescript.js");
    const lt = loadTypeScript(process.cwd(), []);
    const cells = ${JSON.stringify(cells)};
    const loaded = () => lt.nodeTypes().loaded.map((f) => path.basename(f)).sort();
    function runAll(lazy) {
      process.env.GRADLAB_KERNEL_LAZY_NODE_TYPES = lazy ? "1" : "0";
      const converter = lt.createConverter();
      const states = { mode: lt.nodeTypes().mode, atStart: loaded() };
      let decl = "";
      const converted = cells.map((cell) => {
        const r = converter.convert(decl, cell);
        lt.takeMaps();
        if (r.diagnostics.length === 0) decl = r.declOutput ?? "";
        return {
          output: r.output ?? null, declOutput: r.declOutput ?? null, last: r.lastExpressionVar ?? null,
          hasToplevelAwait: r.hasToplevelAwait ?? null,
          diagnostics: r.diagnostics.map((d) => d.start.line + ":" + d.start.character + " " + d.messageText),
          sideOutputs: (r.sideOutputs ?? []).map((s) => path.basename(s.path) + "\\n" + s.data),
        };
      });
      states.afterCells = loaded();
      const completions = ${JSON.stringify(COMPLETIONS)}.map(([code, pos]) => {
        const c = converter.complete(decl, code, pos);
        return { start: c.start, end: c.end, candidates: c.candidates };
      });
      states.afterCompletions = loaded();
      const inspections = ${JSON.stringify(INSPECTIONS)}.map(([code, pos]) => lt.printQuickInfo(converter.inspect(decl, code, pos)));
      converter.close();
      return { states, converted, completions, inspections };
    }
    if (process.argv[1] === "eager") {
      console.log(JSON.stringify(runAll(false)));
      process.exit(0);
    }
    // The first converter with this @types/node loads all of it and writes the analysis after its first
    // cell (the first kernel start); the next one loads lazily. Its first cell leaves the JSDoc state as it was.
    process.env.GRADLAB_KERNEL_LAZY_NODE_TYPES = "1";
    const first = lt.createConverter();
    const firstMode = lt.nodeTypes().mode;
    first.convert("", "1 + 1");
    setTimeout(() => {
      first.close();
      console.log(JSON.stringify({ firstMode, ...runAll(true) }));
      process.exit(0);
    }, 400);`;
  const env = { ...process.env, GRADLAB_CACHE_DIR: join(cwd, ".gradlab-cache") };
  const inChild = async (mode: string) => {
    const { stdout } = await run(process.execPath, ["-e", script, mode], { cwd, env, timeout: 120_000, maxBuffer: 1 << 26 });
    return JSON.parse(stdout.trim().split("\n").pop()!);
  };
  const { firstMode, ...lazy } = await inChild("lazy");
  return { firstMode, lazy, eager: await inChild("eager") };
}

/**
 * What both runs must agree on, and what the lazy one must have loaded when: with `lazyStart`, Node
 * modules nobody imports are absent at start; without (@types/node 20's process.d.ts types
 * `process.getBuiltinModule` with every module, so all of it is needed for the globals) all are there.
 */
function checkParity(r: any, cells: string[], lazyStart: boolean) {
  expect(r.firstMode).toBe("eager (analysing)");
  expect(r.eager.states.mode).toBe("off");
  expect(r.lazy.states.mode).toBe("lazy");
  expect(r.lazy.converted).toEqual(r.eager.converted);
  expect(r.lazy.completions).toEqual(r.eager.completions);
  expect(r.lazy.inspections).toEqual(r.eager.inspections);

  const { atStart, afterCells, afterCompletions } = r.lazy.states;
  expect(atStart).toEqual(expect.arrayContaining(["globals.d.ts", "process.d.ts", "buffer.d.ts", "tty.d.ts", "timers.d.ts", "console.d.ts"]));
  const late = ["path.d.ts", "os.d.ts", "zlib.d.ts", "child_process.d.ts"];
  if (lazyStart) {
    for (const file of late) expect(atStart).not.toContain(file);
    expect(afterCells).toEqual(expect.arrayContaining(["path.d.ts", "os.d.ts"]));
    expect(afterCells).not.toContain("zlib.d.ts");
    expect(afterCompletions).toContain("zlib.d.ts");
  } else {
    expect(atStart).toEqual(expect.arrayContaining(late));
  }

  // And what they agree on is right, so the comparison cannot pass with both broken.
  const lazy = r.lazy.converted;
  const errorCells = lazy.map((c: any, i: number) => (c.diagnostics.length ? i : -1)).filter((i: number) => i >= 0);
  expect(errorCells).toEqual([3, 7]);
  expect(lazy[0].output).toContain("process.stdout.write");
  expect(lazy[3].diagnostics).toEqual(["1:6 Type 'string' is not assignable to type 'number'."]);
  expect(lazy[7].diagnostics).toEqual([expect.stringMatching(/^1:6 Type 'WriteStream & \{ fd: 1; \}' is not assignable to type 'number'\./)]);
  expect(lazy[1].declOutput).toContain("NodeJS.Timeout");
  expect(lazy[2].declOutput).toMatch(/fs\.Stats/);
  expect(lazy[4].hasToplevelAwait).toBe(true);
  expect(lazy[5].sideOutputs).toEqual([expect.stringMatching(/^cores\.js\n[\s\S]*require\("os"\)/)]);
  expect(lazy[8].declOutput).toContain("import(\"dgram\").Socket");
  if (lazyStart) expect(afterCells).toContain("dgram.d.ts");
  if (cells.length > NODE_CELLS.length) {
    const [vega, gradlab] = lazy.slice(NODE_CELLS.length);
    expect(vega.diagnostics).toEqual([]);
    expect(gradlab.diagnostics).toEqual([]);
    expect(gradlab.declOutput).toContain("Tensor");
  }
  const [fsMembers, zlibMembers, processMembers] = r.lazy.completions.map((c: any) => c.candidates);
  expect(fsMembers).toEqual(expect.arrayContaining(["readFileSync", "statSync", "promises"]));
  expect(zlibMembers).toEqual(expect.arrayContaining(["gzipSync", "createGzip"]));
  expect(processMembers.slice(0, 3).sort()).toEqual(["stderr", "stdin", "stdout"]);
  const [max, spawn, readFile] = r.lazy.inspections;
  expect(max).toContain("Returns the larger of a set of supplied numeric expressions.");
  expect(spawn).toMatch(/^\(alias\) function spawn\(command: string[\s\S]*\nThe `child_process.spawn\(\)` method spawns a new process/);
  expect(readFile).toMatch(/^function readFileSync\(path: fs\.PathOrFileDescriptor[\s\S]*\nReturns the contents of the `path`\./);
}

describe("@types/node loaded lazily gives what loading all of it gives", () => {
  test("in a student's folder (tslab's @types/node): globals, fs, node:fs, import(), require, a local module, type errors, complete, inspect", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradlab-lazy-node-"));
    try {
      copyFileSync(join(fixtureDir, "cores.ts"), join(dir, "cores.ts"));
      checkParity(await lazyAndEager(dir, NODE_CELLS), NODE_CELLS, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("inside the repository (its own @types/node 20, which needs all its files at start; vega's and gradlab's declarations)", async () => {
    const cells = [...NODE_CELLS, ...PACKAGE_CELLS];
    try {
      checkParity(await lazyAndEager(fixtureDir, cells), cells, false);
    } finally {
      rmSync(join(fixtureDir, ".gradlab-cache"), { recursive: true, force: true });
    }
  });
});
