/**
 * tslab compiles each cell twice: TypeScript to an ES module (checked), then that JavaScript to
 * CommonJS with transpileModule. The "emit-without-check" patch (kernel/engine/private-surface.ts)
 * lets the second stage skip type-checking the JavaScript it is given. This test converts every code
 * cell of the ten lecture notebooks, and a set of cells that use every kind of statement and module
 * syntax tslab rewrites, once with the patch and once with GRADLAB_KERNEL_PATCHES=-emit-without-check (the check kept),
 * each in a fresh process, and requires byte-identical JavaScript, side outputs (a local module) and
 * source maps of both stages. Runs the compiled kernel code (dist/): `npm run build` first.
 */
import { execFile } from "child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { promisify } from "util";

const run = promisify(execFile);
const root = join(__dirname, "..", "..");
const engine = join(root, "dist", "kernel", "engine", "typescript.js");

/** Cells using what the second stage turns into CommonJS: imports and exports of every form, await, classes, enums... */
const FEATURE_CELLS = [
  "const x: number = 41;",
  "let y = x + 1, z = [1, 2];\nfunction f(a: number) { return a * x; }\nclass C { static n = 1; #p = 2; static { C.n++; } get p() { return this.#p; } m() { return y; } }\nf(2)",
  "import * as fs from \"fs\";\nimport { join, sep as separator } from \"path\";\nimport assertDefault from \"assert\";\nimport \"util\";\nconst p = join(\"a\", \"b\") + separator;\nconst { a, b: [c, ...rest] } = { a: 1, b: [2, 3, 4] };\nenum E { A, B = \"b\" }\nconst enum K { One = 1 }\nnamespace N { export const q = K.One; }\ntypeof fs.readFileSync === typeof assertDefault ? p : N.q",
  "const m = await import(\"os\");\nawait Promise.resolve(y);\nfor await (const v of (async function* () { yield 1; })()) y += v;\nm.platform()",
  "y = 5;\nz.push(x);\nlabel: for (let i = 0; i < 3; i++) { if (i === 1) continue label; y += i; }\nfunction* gen() { yield* z; }\nconst spread = [...gen()];\nconst obj = { y, [`k${x}`]: 1, async *m() {}, get g() { return 1; } };\nspread.length + Object.keys(obj).length",
  "import Circle, { area } from \"./shapes\";\nconst e1 = new Circle(1).r;\nlet later: number;\nlater = area(2) ?? 0;\nlater ||= 3;\nconst o = { later } as const;\ntype T = typeof o;\nconst t: T = o;\nt.later",
  "class Base { constructor(public readonly v: number) {} }\nclass Derived extends Base { override toString() { return `d${super.toString()}`; } }\nnew Derived(3).v",
];
const SHAPES = "export function area(r: number): number {\n  return Math.PI * r * r;\n}\nexport default class Circle { constructor(readonly r: number) {} }\n";

function notebookCells(): string[][] {
  const dir = join(root, "notebooks");
  return readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort().map((f) => {
    const nb = JSON.parse(readFileSync(join(dir, f), "utf8"));
    return nb.cells.filter((c: any) => c.cell_type === "code").map((c: any) => (Array.isArray(c.source) ? c.source.join("") : c.source));
  });
}

/** Converts each notebook's cells in order with one converter per notebook; returns everything stage 2 produced. */
async function convertAll(cwd: string, cacheDir: string, notebooks: string[][], keepCheck: boolean): Promise<any> {
  const script = `
    const { loadTypeScript } = require(${JSON.stringify(engine)});
    // The globals the kernel declares for every cell (display, clearOutput, ...), as the engine does.
    const { NOTEBOOK_GLOBALS_DTS } = require(${JSON.stringify(join(root, "dist", "kernel", "engine", "display.js"))});
    const globals = require("path").join(process.env.GRADLAB_CACHE_DIR, "notebook-globals-" + process.pid + ".d.ts");
    require("fs").mkdirSync(process.env.GRADLAB_CACHE_DIR, { recursive: true });
    require("fs").writeFileSync(globals, NOTEBOOK_GLOBALS_DTS);
    const lt = loadTypeScript(process.cwd(), [globals]);
    const notebooks = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const out = notebooks.map((cells) => {
      const converter = lt.createConverter();
      let decl = "";
      const converted = cells.map((cell) => {
        const r = converter.convert(decl, cell);
        if (r.diagnostics.length === 0) decl = r.declOutput ?? "";
        return { output: r.output ?? null, diagnostics: r.diagnostics.length, sideOutputs: r.sideOutputs ?? [],
                 maps: lt.takeMaps(), moduleMaps: lt.takeModuleMaps() };
      });
      converter.close();
      return converted;
    });
    console.log(JSON.stringify({ patches: lt.loaderInfo && lt.loaderInfo.patches, out }));`;
  const env = { ...process.env, GRADLAB_CACHE_DIR: cacheDir, GRADLAB_KERNEL_PATCHES: keepCheck ? "-emit-without-check" : "" };
  const child = run(process.execPath, ["-e", script], { cwd, env, timeout: 180_000, maxBuffer: 1 << 28 });
  child.child.stdin!.end(JSON.stringify(notebooks));
  const { stdout } = await child;
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

describe("the second compile stage without its type check", () => {
  test("gives byte-identical CommonJS, side outputs and source maps for the lecture notebooks and every module form", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradlab-stage2-"));
    try {
      writeFileSync(join(dir, "shapes.ts"), SHAPES);
      const cache = join(dir, ".cache");
      // The notebooks import gradlab by name: they run in their own folder; the feature cells beside shapes.ts.
      const notebooksDir = join(root, "notebooks");
      const [fast, checked, fastFeatures, checkedFeatures] = await Promise.all([
        convertAll(notebooksDir, cache, notebookCells(), false), convertAll(notebooksDir, cache, notebookCells(), true),
        convertAll(dir, cache, [FEATURE_CELLS], false), convertAll(dir, cache, [FEATURE_CELLS], true),
      ]);
      expect(fast.patches).toContain("emit-without-check");
      expect(fast.out).toEqual(checked.out);
      expect(fastFeatures.out).toEqual(checkedFeatures.out);
      // What was compared is real: every feature cell converted, with a stage-2 map, and the local module beside one.
      const features = fastFeatures.out[0];
      expect(features.map((c: any) => c.diagnostics)).toEqual(FEATURE_CELLS.map(() => 0));
      expect(features.every((c: any) => c.output && c.maps.stage2)).toBe(true);
      expect(features[5].sideOutputs.map((s: any) => s.path.split("/").pop())).toEqual(["shapes.js"]);
      expect(features[2].output).toContain("__importStar(require(\"fs\"))");
      const cells = fast.out.flat();
      expect(cells.every((c: any) => c.diagnostics === 0)).toBe(true);
      expect(cells.length).toBeGreaterThanOrEqual(60);
      expect(cells.filter((c: any) => c.output).length).toBeGreaterThanOrEqual(60);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Compiles every lecture notebook twice in a child (allowed 180 s): jest's 30 s default failed on a busy machine.
  }, 240_000);
});
