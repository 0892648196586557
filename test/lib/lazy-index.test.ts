/**
 * gradlab's runtime entry (lib/lazy-index.ts) against its declared API (lib/index.ts): the same names
 * and the same values, with nn, optim, data and plot loaded only when first read. In a fresh Node
 * process on dist/ (jest's module registry is not Node's), through the package's own "gradlab"
 * resolution, as a notebook or a student's program gets it.
 */
import { spawnSync } from "child_process";
import { readFileSync } from "fs";
import { join } from "path";
import * as declared from "../../lib";
import * as runtime from "../../lib/lazy-index";

const ROOT = join(__dirname, "..", "..");
const NAMESPACES = ["nn", "optim", "data", "plot"];

/** Runs `script` in a fresh Node process at the package root, with `gradlab` required as a user would. */
function inFreshNode(script: string): unknown {
  const prelude = `
    const gradlab = require("gradlab");
    const lib = require("path").dirname(require.resolve("gradlab")) + "/";
    const loaded = (ns) => Object.keys(require.cache).filter((f) => f.startsWith(lib + ns + "/")).length;
    const answer = () => Object.fromEntries(gradlab[Symbol.for("gradlab.lazyNamespaces")]().map(([n, v]) => [n, v !== undefined]));
  `;
  const r = spawnSync(process.execPath, ["-e", `${prelude}\nconsole.log(JSON.stringify((() => { ${script} })()))`], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

test("package.json points code at the lazy entry and types at index.d.ts", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  expect(pkg.main).toBe("dist/lib/lazy-index.js");
  expect(pkg.exports["."]).toEqual({ types: "./dist/lib/index.d.ts", default: "./dist/lib/lazy-index.js" });
  expect(pkg.types).toBe("dist/lib/index.d.ts");
});

test("the runtime entry exports exactly index.ts's names, with the same values", () => {
  expect(Object.keys(runtime)).toEqual(Object.keys(declared)); // in the same order
  for (const name of Object.keys(declared)) expect([name, (runtime as Record<string, unknown>)[name]]).toEqual([name, (declared as Record<string, unknown>)[name]]);
  for (const ns of NAMESPACES) expect(Object.keys((runtime as Record<string, object>)[ns])).toEqual(Object.keys((declared as Record<string, object>)[ns]));
});

test("importing gradlab loads none of nn, optim, data, plot; reading one loads it", () => {
  const result = inFreshNode(`
    const before = ${JSON.stringify(NAMESPACES)}.map(loaded);
    const before2 = answer();
    const net = new gradlab.nn.Linear(2, 3, { seed: 1 });
    const digits = gradlab.data.loadDigits().X.shape;
    return { before, before2, after: ${JSON.stringify(NAMESPACES)}.map(loaded), after2: answer(),
             linear: net instanceof gradlab.nn.Linear, digits };
  `) as Record<string, unknown>;
  // plot/ also holds the graph drawings that Graph and Value use: they are not the plot namespace.
  expect((result.before as number[]).slice(0, 3)).toEqual([0, 0, 0]);
  expect(result.before2).toEqual({ nn: false, optim: false, data: false, plot: false });
  expect((result.after as number[]).slice(0, 3).map((n) => n > 0)).toEqual([true, false, true]);
  expect(result.after2).toEqual({ nn: true, optim: false, data: true, plot: false });
  expect(result.linear).toBe(true);
  expect(result.digits).toEqual([1797, 64]);
});

test("a namespace module required by its path counts as loaded, and then the namespace is the same one", () => {
  const result = inFreshNode(`
    const { Linear } = require(lib + "nn/linear.js");
    const answered = gradlab[Symbol.for("gradlab.lazyNamespaces")]();
    const nn = answered.find(([n]) => n === "nn")[1];
    return { answer: answer(), same: nn.Linear === Linear && gradlab.nn === nn };
  `);
  expect(result).toEqual({ answer: { nn: true, optim: false, data: false, plot: false }, same: true });
});
