/**
 * `import ... from "gradlab"` works in a notebook outside any project that installed gradlab (a
 * student's own folder, a TA's submissions/): the kernel offers the gradlab it ships with, identically
 * embedded, with --jupyter and with --server. A notebook's own node_modules/gradlab still wins.
 * Runs the compiled dist/.
 */
import { mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { LocalJupyterServer } from "../../kernel/runner/local-jupyter";
import { describeWith, requirements } from "../support/requirements";
import { outputText, runCli, tempDir, writeNotebook } from "./helpers";

jest.setTimeout(180000);

const CELLS = ['import { Value } from "gradlab";\nconst v = new Value(3);\nv.mul(v).backward();\nv.grad'];

/** Runs the notebook from a bare temp folder (no package.json, no node_modules) and returns its one cell's text. */
async function runBare(name: string, extra: (dir: string) => Promise<string[]> | string[] = () => []): Promise<string> {
  const dir = tempDir(name);
  const nb = writeNotebook(dir, "hw.ipynb", CELLS);
  const run = await runCli([nb, "--quiet", "--out", join(dir, "out"), ...(await extra(dir))], { cwd: dir });
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return outputText(JSON.parse(readFileSync(join(dir, "out", "hw.ipynb"), "utf8")).cells[0]);
}

test("embedded", async () => {
  expect(await runBare("bare-embedded")).toBe("6");
});

test("a notebook's own node_modules/gradlab wins over the kernel's", async () => {
  const dir = tempDir("own-gradlab");
  const own = join(dir, "node_modules", "gradlab");
  mkdirSync(own, { recursive: true });
  writeFileSync(join(own, "package.json"), JSON.stringify({ name: "gradlab", main: "index.js", types: "index.d.ts" }));
  writeFileSync(join(own, "index.js"), "exports.whose = 'own copy';\n");
  writeFileSync(join(own, "index.d.ts"), "export declare const whose: string;\n");
  const nb = writeNotebook(dir, "own.ipynb", ['import { whose } from "gradlab";\nwhose']);
  const run = await runCli([nb, "--quiet", "--out", join(dir, "out")], { cwd: dir });
  expect(run.stderr).toBe("");
  expect(outputText(JSON.parse(readFileSync(join(dir, "out", "own.ipynb"), "utf8")).cells[0])).toBe("'own copy'");
});

describeWith([requirements.jupyterServer], "through a Jupyter server", () => {
  test("--jupyter", async () => {
    expect(await runBare("bare-jupyter", () => ["--jupyter"])).toBe("6");
  });

  test("--server", async () => {
    let server: LocalJupyterServer | null = null;
    try {
      const text = await runBare("bare-server", async (dir) => {
        server = await LocalJupyterServer.start({ rootDir: dir });
        return ["--server", server.url, "--token", server.token];
      });
      expect(text).toBe("6");
    } finally {
      await (server as LocalJupyterServer | null)?.stop();
    }
  });
});
