/**
 * `gradlab run` through a real Jupyter server (Debian's jupyter-server): `--jupyter` (a private server
 * the runner starts and stops) and `--server URL --token T` (one the test starts), both giving the very
 * same notebook as the embedded kernel.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { LocalJupyterServer } from "../../kernel/runner/local-jupyter";
import { describeWith, requirements } from "../support/requirements";
import { runCli, tempDir, writeNotebook } from "./helpers";

jest.setTimeout(120000);

const read = (path: string) => JSON.parse(readFileSync(path, "utf8"));

describeWith([requirements.jupyterServer], "gradlab run through a Jupyter server", () => {
  const dir = tempDir("run-server");
  const nb = writeNotebook(dir, "same.ipynb", [
    { source: "Outputs of every kind, compared across transports.", markdown: true },
    { source: "let n = 3;", tags: ["parameters"] },
    'console.log("out 1");\nconsole.log("out 2");\nconsole.error("err");\nn * 14',
    "({ list: [1, 2, 3], nested: { ok: true } })",
    'throw new TypeError("shown, not fatal")',
    "n",
  ]);
  const args = [nb, "-p", "n=4", "--allow-errors", "--quiet"];
  let embedded: any;

  beforeAll(async () => {
    const run = await runCli([...args, "--out", join(dir, "embedded")]);
    expect(run.stderr).toContain("raised an error"); // the TypeError cell, allowed
    embedded = read(join(dir, "embedded", "same.ipynb"));
  });

  test("--jupyter starts a private server, runs, stops it, and the notebook equals the embedded run", async () => {
    const run = await runCli([...args, "--jupyter", "--out", join(dir, "jupyter")]);
    expect(run.code).toBe(1); // the allowed error still fails the run
    expect(run.stdout).toMatch(/same\.ipynb\s+failed\s+5\/5/);
    const viaServer = read(join(dir, "jupyter", "same.ipynb"));
    expect(viaServer).toEqual(embedded);
    expect(viaServer.cells[3].outputs.at(-1)).toMatchObject({ output_type: "execute_result", data: { "text/plain": ["56"] } });
  });

  test("--server URL --token T drives an existing server and leaves it running", async () => {
    const server = await LocalJupyterServer.start({ rootDir: dir });
    try {
      const run = await runCli([...args, "--server", server.url, "--token", server.token, "--out", join(dir, "server")]);
      expect(run.code).toBe(1);
      expect(read(join(dir, "server", "same.ipynb"))).toEqual(embedded);
      const status = await fetch(`${server.url}api/kernels`, { headers: { Authorization: `token ${server.token}` } });
      expect(status.ok).toBe(true);
      expect((await status.json()) as unknown[]).toEqual([]); // the runner shut its kernel down
    } finally {
      await server.stop();
    }
  });

  test("a wrong token is a clear error, not a hang", async () => {
    const server = await LocalJupyterServer.start({ rootDir: dir });
    try {
      const run = await runCli([nb, "--server", server.url, "--token", "wrong", "--quiet"]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/could not start kernel 'gradlab' on http:\/\/127\.0\.0\.1:\d+\/: .*403|Forbidden/);
    } finally {
      await server.stop();
    }
  });
});
