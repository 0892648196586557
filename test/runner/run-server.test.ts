/**
 * `gradlab run` through a real Jupyter server (Debian's jupyter-server): `--jupyter` (a private server
 * the runner starts and stops) and `--server URL --token T` (one the test starts), both giving the very
 * same notebook as the embedded kernel.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { freePort, LocalJupyterServer } from "../../kernel/runner/local-jupyter";
import { describeWith, requirements } from "../support/requirements";
import { runCli, tempDir, writeNotebook } from "./helpers";

jest.setTimeout(120000);

/** An executed notebook without its cells' timings (metadata.execution), which differ from run to run. */
const read = (path: string) => {
  const nb = JSON.parse(readFileSync(path, "utf8"));
  for (const cell of nb.cells) delete cell.metadata.execution;
  return nb;
};

describeWith([requirements.jupyterServer], "gradlab run through a Jupyter server", () => {
  let dir: string;
  let nb: string;
  let args: string[];
  let embedded: any;

  beforeAll(async () => {
    dir = tempDir("run-server");
    nb = writeNotebook(dir, "same.ipynb", [
      { source: "Outputs of every kind, compared across transports.", markdown: true },
      { source: "let n = 3;", tags: ["parameters"] },
      'console.log("out 1");\nconsole.error("err");\nconsole.log("out 2");\nn * 14',
      'console.error("err 2");',
      "({ list: [1, 2, 3], nested: { ok: true } })",
      'throw new TypeError("shown, not fatal")',
      "n",
      'const chart = display.html("<b>epoch 0</b>", { displayId: "progress" });',
      'chart.update("epoch 1 of 1");\nclearOutput(true);\nconsole.log("done")',
    ]);
    args = [nb, "-p", "n=4", "--allow-errors", "--quiet"];
    const run = await runCli([...args, "--out", join(dir, "embedded")]);
    expect(run.stderr).toContain("raised an error"); // the TypeError cell, allowed
    embedded = read(join(dir, "embedded", "same.ipynb"));
  });

  test("--jupyter starts a private server, runs, stops it, and the notebook equals the embedded run", async () => {
    const run = await runCli([...args, "--jupyter", "--out", join(dir, "jupyter")]);
    expect(run.code).toBe(1); // the allowed error still fails the run
    expect(run.stdout).toMatch(/same\.ipynb\s+failed\s+9\/9/);
    const viaServer = read(join(dir, "jupyter", "same.ipynb"));
    expect(viaServer).toEqual(embedded);
    // stdout and stderr keep their order within a cell on both paths.
    expect(viaServer.cells[3].outputs.filter((o: any) => o.output_type === "stream").map((o: any) => [o.name, o.text.join("")])).toEqual([["stdout", "out 1\n"], ["stderr", "err\n"], ["stdout", "out 2\n"]]);
    expect(viaServer.cells[3].outputs.at(-1)).toMatchObject({ output_type: "execute_result", data: { "text/plain": ["56"] } });
    // The display handle's update reached the earlier cell on both paths.
    expect(JSON.stringify(viaServer.cells[8].outputs)).toContain("epoch 1 of 1");
    expect(viaServer.cells[9].outputs).toEqual([{ output_type: "stream", name: "stdout", text: ["done\n"] }]);
  });

  test("--server URL --token T drives an existing server (a kernel dying there is reported too)", async () => {
    const server = await LocalJupyterServer.start({ rootDir: dir });
    const dies = writeNotebook(tempDir("run-server-dies"), "dies.ipynb", ['console.log("before")', "process.exit(1)", '"after"']);
    try {
      const run = await runCli([...args, dies, "--jobs", "2", "--server", server.url, "--token", server.token, "--out", join(dir, "server")]);
      expect(run.code).toBe(1);
      expect(read(join(dir, "server", "same.ipynb"))).toEqual(embedded);
      // The server restarts a kernel whose process exited; the runner reports it as dead all the same.
      // (-p n=4 applies to this notebook too: it has no parameters cell, so the injected cell comes first.)
      expect(run.stderr).toMatch(/dies\.ipynb, cell In\[[0-9 ]+\] \(process\.exit\(1\)\) killed the kernel:/);
      expect(run.stderr).toContain("DeadKernelError: the kernel process exited and the server is restarting it");
      expect(run.stdout).toMatch(/dies\.ipynb\s+kernel died\s+3\/4/);
      const partial = read(join(dir, "server", "dies.ipynb"));
      expect(partial.cells[1].outputs).toEqual([{ output_type: "stream", name: "stdout", text: ["before\n"] }]);
      expect(partial.cells[2].outputs).toEqual([expect.objectContaining({ ename: "DeadKernelError" })]);
      expect(partial.cells[3].outputs).toEqual([]);
      const status = await fetch(`${server.url}api/kernels`, { headers: { Authorization: `token ${server.token}` } });
      expect(status.ok).toBe(true);
      expect((await status.json()) as unknown[]).toEqual([]); // the runner shut its kernel down
    } finally {
      await server.stop();
    }
  });

  test("a wrong token or an unreachable server is a clear error, not a hang", async () => {
    const nobody = await runCli([nb, "--server", `http://127.0.0.1:${await freePort()}/`, "--token", "t"]);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/cannot reach the Jupyter server at http:\/\/127\.0\.0\.1:\d+\/: .*ECONNREFUSED/);
    const server = await LocalJupyterServer.start({ rootDir: dir });
    try {
      const run = await runCli([nb, "--server", server.url, "--token", "wrong", "--quiet"]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^gradlab run: the Jupyter server at http:\/\/127\.0\.0\.1:\d+\/ rejected the token \(HTTP 403\)$/m);
    } finally {
      await server.stop();
    }
  });
});
