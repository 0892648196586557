/** The 10-line example of docs/learning.md, run as written against the compiled library. */
import { execFile } from "child_process";
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { promisify } from "util";
import { tempDir } from "../support/temp";
import { parseXml, vegaMarks } from "./plot-xml";

const ROOT = join(__dirname, "..", "..");

test("docs/learning.md: the TwoLayerNet example trains to >= 96% and writes its loss curve", async () => {
  const doc = readFileSync(join(ROOT, "docs", "learning.md"), "utf8");
  const code = /```ts\n([\s\S]*?)```/.exec(doc)![1];
  expect(code.split("\n").filter((l) => l.trim()).length).toBeLessThanOrEqual(10);
  // The block is plain JavaScript apart from its imports: point them at dist/ and run it as a module body.
  const body = code
    .replace(/import \{ (.*) \} from "gradlab";/, `const { $1 } = require(${JSON.stringify(join(ROOT, "dist", "lib", "index.js"))});`)
    .replace(/import \{ (.*) \} from "fs";/, `const { $1 } = require("fs");`);
  const dir = tempDir("docs");
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", `(async () => {\n${body}\n})().catch((e) => { console.error(e); process.exit(1); });`], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  const acc = Number(/test accuracy ([\d.]+)/.exec(stdout)![1]);
  expect(acc).toBeGreaterThanOrEqual(0.96);
  expect(stdout).toMatch(/\(Epoch 20 \/ 20\) train acc: /);
  expect(existsSync(join(dir, "loss.svg"))).toBe(true);
  const svg = parseXml(readFileSync(join(dir, "loss.svg"), "utf8"));
  expect(vegaMarks(svg, "line")).toHaveLength(1);
}, 60_000);
