/**
 * @types/node loaded lazily (kernel/engine/lazy-node-types.ts) gives exactly what loading all of it
 * gives: the same cells are converted by a lazy converter and by one with
 * GRADLAB_KERNEL_PATCHES=-lazy-node-types, and their outputs, declarations, diagnostics, side outputs,
 * completions and inspections must be identical, for cells that use Node's globals, import Node
 * modules every way a notebook can (static, `node:`, dynamic, `require`, through a local module, a
 * package's declarations) and get a type error involving a Node type. The lazy run must also really be
 * lazy: modules absent at start, added when imported, and added when the type checker needs one that
 * nothing imports (`process.stdin.isRaw` needs tty, `setTimeout.__promisify__` timers/promises,
 * `structuredClone`'s transfer list fs/promises), in an inspection, a completion and a local module
 * a cell imports alike (each before anything else loaded that module). Two notebook folders: one outside
 * the repository (tslab's bundled @types/node 18, what a student's folder gets) and one inside it (the
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
  "import { cloneIt } from \"./clone\";\ncloneIt(1)",
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
/** Inspected before anything else: isRaw is declared in tty. */
const EARLY_INSPECTION: [string, number] = ["process.stdin.isRaw", 16];
/** Completed next: what __promisify__ returns is declared in timers/promises. */
const EARLY_COMPLETION: [string, number] = ["setTimeout.__promisify__(1).", 28];
/** [code, cursor position] for complete: members of an imported module, of a module imported here, of a global. */
const COMPLETIONS: [string, number][] = [
  ["fs.", 3],
  ["import * as zl from \"zlib\";\nzl.", 31],
  ["process.std", 11],
];
/** inspect after the cells: child_process is loaded only here, with its documentation. */
const INSPECTIONS: [string, number][] = [
  ["Math.max", 8],
  ["import { spawn } from \"child_process\";\nspawn", 44],
  ["fs.readFileSync", 15],
];

/**
 * Converts `cells` with a lazy and with an eager converter (cwd = the notebook folder), and with
 * `withoutHook` a lazy one without the module-not-found-hook patch (what a TypeScript without its anchor
 * gets: the global files load with everything their declarations import), each in a
 * fresh process.
 */
async function lazyAndEager(cwd: string, cells: string[], withoutHook = false): Promise<any> {
  const script = `
    const path = require("path");
    const { loadTypeScript } = require(${JSON.stringify(dist)} + "/typescript.js");
    const lt = loadTypeScript(process.cwd(), []);
    const cells = ${JSON.stringify(cells)};
    const loaded = () => lt.nodeTypes().loaded.slice().sort();
    function runAll(lazy) {
      process.env.GRADLAB_KERNEL_PATCHES = lazy ? (process.env.LAZY_TEST_PATCHES ?? "") : "-lazy-node-types";
      const converter = lt.createConverter();
      const states = { mode: lt.nodeTypes().mode, atStart: loaded(), perCell: [] };
      const earlyInspection = lt.printQuickInfo(converter.inspect("", ...${JSON.stringify(EARLY_INSPECTION)}));
      states.afterEarlyInspection = loaded();
      const early = converter.complete("", ...${JSON.stringify(EARLY_COMPLETION)});
      const earlyCompletion = { start: early.start, end: early.end, candidates: early.candidates };
      states.afterEarlyCompletion = loaded();
      let decl = "";
      const converted = cells.map((cell) => {
        const r = converter.convert(decl, cell);
        states.perCell.push(loaded());
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
      states.afterInspections = loaded();
      converter.close();
      return { states, earlyInspection, earlyCompletion, converted, completions, inspections };
    }
    if (process.argv[1] === "eager") {
      console.log(JSON.stringify(runAll(false)));
      process.exit(0);
    }
    if (process.argv[1] === "without the hook") {
      // GRADLAB_KERNEL_PATCHES=-module-not-found-hook (set for this process): lazy, but without the checker's reports.
      console.log(JSON.stringify(runAll(true)));
      process.exit(0);
    }
    // The first converter with this @types/node loads all of it and writes the analysis after its first
    // cell (the first kernel start); the next one loads lazily.
    process.env.GRADLAB_KERNEL_PATCHES = "";
    const first = lt.createConverter();
    const firstMode = lt.nodeTypes().mode;
    first.convert("", "1 + 1");
    setTimeout(() => {
      first.close();
      console.log(JSON.stringify({ firstMode, ...runAll(true) }));
      process.exit(0);
    }, 400);`;
  const env = { ...process.env, GRADLAB_CACHE_DIR: join(cwd, ".gradlab-cache") };
  const inChild = async (mode: string, patches = "") => {
    const { stdout } = await run(process.execPath, ["-e", script, mode],
      { cwd, env: { ...env, GRADLAB_KERNEL_PATCHES: patches, LAZY_TEST_PATCHES: patches }, timeout: 120_000, maxBuffer: 1 << 26 });
    return JSON.parse(stdout.trim().split("\n").pop()!);
  };
  const { firstMode, ...lazy } = await inChild("lazy");
  const eager = await inChild("eager");
  return { firstMode, lazy, eager, withoutHook: withoutHook ? await inChild("without the hook", "-module-not-found-hook") : null };
}

/**
 * What both runs must agree on, and what the lazy one must have loaded when: at start only the files
 * that declare globals (process.d.ts, but not the tty.d.ts its types import: with @types/node 20,
 * whose process.d.ts names every module in `process.getBuiltinModule`'s type, that is most of the gain).
 */
function checkParity(r: any, cells: string[]) {
  expect(r.firstMode).toBe("eager (analysing)");
  expect(r.eager.states.mode).toBe("off");
  expect(r.lazy.states.mode).toBe("lazy");
  expect(r.lazy.earlyInspection).toEqual(r.eager.earlyInspection);
  expect(r.lazy.earlyCompletion).toEqual(r.eager.earlyCompletion);
  expect(r.lazy.converted).toEqual(r.eager.converted);
  expect(r.lazy.completions).toEqual(r.eager.completions);
  expect(r.lazy.inspections).toEqual(r.eager.inspections);

  const { atStart, afterEarlyInspection, afterEarlyCompletion, perCell, afterCells, afterCompletions } = r.lazy.states;
  expect(atStart).toEqual(expect.arrayContaining(["globals.d.ts", "process.d.ts", "buffer.d.ts", "timers.d.ts", "console.d.ts"]));
  const late = ["tty.d.ts", "timers/promises.d.ts", "fs/promises.d.ts", "path.d.ts", "os.d.ts", "zlib.d.ts", "child_process.d.ts"];
  for (const file of late) expect(atStart).not.toContain(file);
  // What only the checker asked for: tty (inspection), timers/promises (completion), fs/promises (the first cell's module).
  expect(afterEarlyInspection).toContain("tty.d.ts");
  expect(afterEarlyInspection).not.toContain("timers/promises.d.ts");
  expect(afterEarlyCompletion).toContain("timers/promises.d.ts");
  expect(afterEarlyCompletion).not.toContain("fs/promises.d.ts");
  expect(perCell[0]).toContain("fs/promises.d.ts");
  expect(afterCells).toEqual(expect.arrayContaining(["path.d.ts", "os.d.ts"]));
  expect(afterCells).not.toContain("zlib.d.ts");
  expect(afterCompletions).toContain("zlib.d.ts");

  // And what they agree on is right, so the comparison cannot pass with both broken.
  const lazy = r.lazy.converted;
  const errorCells = lazy.map((c: any, i: number) => (c.diagnostics.length ? i : -1)).filter((i: number) => i >= 0);
  expect(errorCells).toEqual([4, 8]);
  expect(r.lazy.earlyInspection).toMatch(/^\(property\) ReadStream\.isRaw: boolean/);
  expect(r.lazy.earlyCompletion.candidates).toEqual(["catch", "finally", "then"]);
  expect(lazy[0].diagnostics).toEqual([]);
  expect(lazy[0].sideOutputs).toEqual([expect.stringMatching(/^clone\.js\n[\s\S]*structuredClone/)]);
  expect(lazy[1].output).toContain("process.stdout.write");
  expect(lazy[4].diagnostics).toEqual(["1:6 Type 'string' is not assignable to type 'number'."]);
  expect(lazy[8].diagnostics).toEqual([expect.stringMatching(/^1:6 Type 'WriteStream & \{ fd: 1; \}' is not assignable to type 'number'\./)]);
  expect(lazy[2].declOutput).toContain("NodeJS.Timeout");
  expect(lazy[3].declOutput).toMatch(/fs\.Stats/);
  expect(lazy[5].hasToplevelAwait).toBe(true);
  expect(lazy[6].sideOutputs).toEqual([expect.stringMatching(/^cores\.js\n[\s\S]*require\("os"\)/)]);
  expect(lazy[9].declOutput).toContain("import(\"dgram\").Socket");
  expect(afterCells).toContain("dgram.d.ts");
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
      for (const file of ["cores.ts", "clone.ts"]) copyFileSync(join(fixtureDir, file), join(dir, file));
      const r = await lazyAndEager(dir, NODE_CELLS, true);
      checkParity(r, NODE_CELLS);
      // Without the checker's reports: the same answers; tty (which process.d.ts imports) at start, os and path still later.
      const { withoutHook, eager } = r;
      expect(withoutHook.states.mode).toBe("lazy");
      expect(withoutHook.earlyInspection).toEqual(eager.earlyInspection);
      expect(withoutHook.earlyCompletion).toEqual(eager.earlyCompletion);
      expect(withoutHook.converted).toEqual(eager.converted);
      expect(withoutHook.completions).toEqual(eager.completions);
      expect(withoutHook.inspections).toEqual(eager.inspections);
      expect(withoutHook.states.atStart).toEqual(expect.arrayContaining(["process.d.ts", "tty.d.ts", "fs/promises.d.ts"]));
      for (const file of ["path.d.ts", "os.d.ts", "child_process.d.ts"]) expect(withoutHook.states.atStart).not.toContain(file);
      expect(withoutHook.states.afterCells).toEqual(expect.arrayContaining(["path.d.ts", "os.d.ts"]));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);

  test("inside the repository (its own @types/node 20; vega's and gradlab's declarations)", async () => {
    const cells = [...NODE_CELLS, ...PACKAGE_CELLS];
    try {
      checkParity(await lazyAndEager(fixtureDir, cells), cells);
    } finally {
      rmSync(join(fixtureDir, ".gradlab-cache"), { recursive: true, force: true });
    }
  }, 150_000);
});
