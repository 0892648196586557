/** FrameNamer: how tracebacks name files (no kernel process needed; a fake notebook folder in a temp dir). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { pathToFileURL } from "url";
import { CompiledModules, FrameNamer } from "../../kernel/engine/frames";
import { TwoStageMap } from "../../kernel/engine/traceback";

let root: string;
let notebook: string;
let kernelDir: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "gradlab-frames-"));
  notebook = join(root, "course", "week1");
  kernelDir = join(root, "gradlab", "dist", "kernel");
  mkdirSync(join(notebook, "helpers"), { recursive: true });
  mkdirSync(kernelDir, { recursive: true });
  // A package with compiled output and a source map (as tsc writes it), and one without maps.
  const pkg = join(notebook, "node_modules", "mathpkg");
  mkdirSync(join(pkg, "dist"), { recursive: true });
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "mathpkg" }));
  writeFileSync(join(pkg, "dist", "ops.js"), "line1\nline2\n");
  // dist/ops.js line 2, column 5 comes from src/ops.ts line 7, column 3 (";IAME": next line, generated column 4, source 0, line +6, column +2).
  writeFileSync(join(pkg, "dist", "ops.js.map"), JSON.stringify({
    version: 3, file: "ops.js", sources: ["../src/ops.ts"], names: [], mappings: ";IAME",
  }));
  const plain = join(notebook, "node_modules", "@scope", "plain");
  mkdirSync(join(plain, "lib", "esm"), { recursive: true });
  writeFileSync(join(plain, "package.json"), JSON.stringify({ name: "@scope/plain" }));
  // A nested package.json without a name (an "type": "module" marker) does not end the search.
  writeFileSync(join(plain, "lib", "esm", "package.json"), JSON.stringify({ type: "module" }));
  writeFileSync(join(notebook, "helpers", "geometry.ts"), "export const x = 1;\n");
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The kernel compiled helpers/geometry.ts to helpers/geometry.js; its maps know compiled line 12 only. */
const compiled: CompiledModules = {
  has: (path) => path === join(notebook, "helpers", "geometry.js"),
  originalPosition: (path, line, column) => (path === join(notebook, "helpers", "geometry.js") && line === 12 ? { line: 8, column: column + 6 } : null),
};
const namer = () => new FrameNamer(notebook, [kernelDir], compiled);

test("files in the notebook's folder are named relative to it, with their position", () => {
  expect(namer().describe(join(notebook, "helpers", "steps.js"), 4, 24)).toBe("helpers/steps.js:4:24");
  expect(namer().describe(pathToFileURL(join(notebook, "main.mjs")).href, 1, 2)).toBe("main.mjs:1:2");
});

test("a module the kernel compiled is named by its source file, at the source line its maps give", () => {
  expect(namer().describe(join(notebook, "helpers", "geometry.js"), 12, 3)).toBe("helpers/geometry.ts:8:9");
  // No map entry for the place (say, a helper TypeScript added to the output): the file without a position,
  // never the compiled code's line, which is not a line of any file the student has.
  expect(namer().describe(join(notebook, "helpers", "geometry.js"), 2, 3)).toBe("helpers/geometry.ts");
});

test("a compiled file's position goes through both maps: CommonJS -> ES module -> source", () => {
  // 0-based positions. Stage 2 (ES module -> CommonJS): CommonJS 2:4 comes from ES module 1:2 (";;IACE").
  // Stage 1 (source -> ES module): ES module 1:2 comes from source 5:10 (";EAKU").
  const map = new TwoStageMap({
    stage1: JSON.stringify({ version: 3, sources: ["geometry.ts"], names: [], mappings: ";EAKU" }),
    stage2: JSON.stringify({ version: 3, sources: ["custom.js"], names: [], mappings: ";;IACE" }),
  });
  expect(map.original(2, 4)).toEqual({ line: 5, column: 10 });
  expect(map.original(0, 0)).toBeNull();
  expect(new TwoStageMap({ stage1: null, stage2: "not json" }).original(2, 4)).toBeNull();
});

test("package files are named by package, at the original line when a source map sits beside them", () => {
  expect(namer().describe(join(notebook, "node_modules", "mathpkg", "dist", "ops.js"), 2, 5)).toBe("mathpkg/src/ops.ts:7:3");
  expect(namer().describe(join(notebook, "node_modules", "@scope", "plain", "lib", "esm", "index.js"), 9, 1))
    .toBe("@scope/plain/lib/esm/index.js:9:1");
});

test("the kernel's own files and Node's internals are internal; other places are kept as they are", () => {
  const n = namer();
  expect(n.isInternal(join(kernelDir, "engine", "engine.js"))).toBe(true);
  expect(n.isInternal("node:internal/process/task_queues")).toBe(true);
  expect(n.isInternal("node:vm")).toBe(true);
  expect(n.isInternal(join(notebook, "helpers", "steps.js"))).toBe(false);
  expect(n.isInternal(`${kernelDir}-other/x.js`)).toBe(false); // a sibling folder that only starts alike
  expect(n.describe("node:fs", 10, 3)).toBe("node:fs:10:3");
  expect(n.describe("/elsewhere/outside.js", 1, 1)).toBe("/elsewhere/outside.js:1:1");
});

test("type-checker paths inside the notebook's folder become relative", () => {
  expect(namer().describePath(join(notebook, "helpers", "geometry.ts"))).toBe("helpers/geometry.ts");
  expect(namer().describePath("/elsewhere/types.d.ts")).toBe("/elsewhere/types.d.ts");
});
