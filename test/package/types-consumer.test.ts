/**
 * gradlab's declaration files check in a consumer's project: the packed package (npm pack), compiled
 * by tsc with strict and without skipLibCheck, as CommonJS and as node16 ESM. Runs the compiled dist/.
 */
import { spawnSync } from "child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";

jest.setTimeout(180000);

const root = resolve(__dirname, "../..");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
let consumer: string;

beforeAll(() => {
  consumer = mkdtempSync(join(tmpdir(), "gradlab-consumer-"));
  // --ignore-scripts: dist/ is built already (npm run build); packing must not rebuild it under a running test.
  const pack = spawnSync("npm", ["pack", "--ignore-scripts", "--pack-destination", consumer], { cwd: root, encoding: "utf8" });
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  const tarball = readdirSync(consumer).find((f) => f.endsWith(".tgz"))!;
  const installed = join(consumer, "node_modules", "gradlab");
  mkdirSync(installed, { recursive: true });
  const untar = spawnSync("tar", ["-xzf", join(consumer, tarball), "-C", installed, "--strip-components=1"], { encoding: "utf8" });
  if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
  // gradlab's own dependencies, where npm would install them for it.
  symlinkSync(join(root, "node_modules"), join(installed, "node_modules"), "dir");
  writeFileSync(join(consumer, "main.ts"), [
    'import { Value, Tensor, nn, optim, plot } from "gradlab";',
    "const v = new Value(2);",
    "v.mul(v).backward();",
    'const spec: plot.TopLevelSpec = { mark: "point", data: { values: [{ x: 1 }] }, encoding: { x: { field: "x", type: "quantitative" } } };',
    "const model: nn.Model = new nn.TwoLayerNet(2, 4, 3);",
    "console.log(v.grad, spec, model.params, typeof optim.Adam, Tensor.zeros([1]).shape);",
  ].join("\n"));
  writeFileSync(join(consumer, "wrong.ts"), 'import { plot } from "gradlab";\nexport const bad: plot.TopLevelSpec = { mark: 42 };\n');
});

afterAll(() => rmSync(consumer, { recursive: true, force: true }));

function compile(options: Record<string, unknown>, file: string) {
  writeFileSync(join(consumer, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, ...options }, files: [file] }));
  return spawnSync(process.execPath, [tsc, "-p", consumer], { cwd: consumer, encoding: "utf8" });
}

test.each([
  ["CommonJS", { target: "es2022", module: "commonjs" }],
  ["node16 ESM resolution", { module: "node16" }],
])("a strict %s program that imports gradlab compiles without skipLibCheck", (_kind, options) => {
  const r = compile(options, "main.ts");
  expect(r.stdout + r.stderr).toBe("");
  expect(r.status).toBe(0);
});

test("plot.TopLevelSpec is vega-lite's spec type, not any", () => {
  const r = compile({ target: "es2022", module: "commonjs" }, "wrong.ts");
  expect(r.stdout).toMatch(/wrong\.ts\(2,\d+\): error TS2322/);
});
