/**
 * `gradlab run` leaves nothing behind in the system temp folder, however it ends: a TA runs it hundreds
 * of times. Each run here gets a private TMPDIR (the runner, its kernels' connection files and a private
 * Jupyter server's folder all go where TMPDIR says), and afterwards that folder must hold nothing but the
 * kernel's shared type-declaration cache, and no process started for the run may still be alive.
 */
import { spawnSync } from "child_process";
import { existsSync, readdirSync } from "fs";
import { join } from "path";
import { describeWith, requirements } from "../support/requirements";
import { killAll, leftovers, processesMentioning, REPO, runFolders, startRun, waitFor, writeNotebook } from "./helpers";

jest.setTimeout(120000);

/** A notebook whose second cell marks that it started and then waits a minute (a run to stop midway). */
function writeSlowNotebook(dir: string): { nb: string; started: string } {
  const started = join(dir, "started");
  const nb = writeNotebook(dir, "slow.ipynb", [
    "1 + 1",
    `require("fs").writeFileSync(${JSON.stringify(started)}, "");\nawait new Promise((r) => setTimeout(r, 60000));`,
  ]);
  return { nb, started };
}

/** Runs slow.ipynb, sends `signal` once its cell runs, and checks the run cleaned up before exiting. */
async function stopMidway(name: string, extraArgs: string[], signal: NodeJS.Signals, exitCode: number): Promise<void> {
  const { root, notebooks, tmp } = runFolders(name);
  const { nb, started } = writeSlowNotebook(notebooks);
  const { child, result } = startRun([nb, "--quiet", ...extraArgs], tmp);
  try {
    await waitFor("the slow cell to start", () => existsSync(started), 60000);
    expect(readdirSync(tmp).length).toBeGreaterThan(0); // the run's own files are there now
    child.kill(signal);
    const run = await result;
    expect(leftovers(tmp)).toEqual([]);
    expect(run.stderr).toContain(`gradlab run: ${signal === "SIGINT" ? "interrupted" : "terminated"}, stopping kernels`);
    expect(run.code).toBe(exitCode);
    await waitFor("the run's kernels and servers to exit", () => processesMentioning(root).length === 0, 15000);
  } finally {
    child.kill("SIGKILL");
    killAll(processesMentioning(root));
  }
}

describe("gradlab run leaves nothing in the temp folder (embedded kernel)", () => {
  test("after a passing notebook and one whose kernel dies", async () => {
    const { root, notebooks, tmp } = runFolders("run-temp");
    writeNotebook(notebooks, "fine.ipynb", ["2 ** 10"]);
    writeNotebook(notebooks, "dies.ipynb", ['console.log("before")', "process.exit(1)"]);
    const { result } = startRun([notebooks, "--jobs", "2", "--quiet"], tmp);
    const run = await result;
    expect(run.code).toBe(1); // dies.ipynb
    expect(run.stderr).toMatch(/dies\.ipynb, cell In\[[2 ]\] \(process\.exit\(1\)\) killed the kernel:/);
    expect(leftovers(tmp)).toEqual([]);
    expect(processesMentioning(root)).toEqual([]);
  });

  test("when stopped by SIGTERM in the middle of a cell (exit 143)", async () => {
    await stopMidway("run-term", [], "SIGTERM", 143);
  });

  test("when stopped by Ctrl-C in the middle of a cell (exit 130)", async () => {
    await stopMidway("run-int", [], "SIGINT", 130);
  });
});

describeWith([requirements.jupyterServer], "gradlab run --jupyter leaves nothing in the temp folder", () => {
  test("after a normal run", async () => {
    const { root, notebooks, tmp } = runFolders("run-jupyter-temp");
    writeNotebook(notebooks, "fine.ipynb", ["2 ** 10"]);
    const { result } = startRun([notebooks, "--jupyter", "--quiet"], tmp);
    const run = await result;
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(leftovers(tmp)).toEqual([]);
    await waitFor("the private server to exit", () => processesMentioning(root).length === 0, 15000);
  });

  test("when stopped by SIGTERM in the middle of a cell (exit 143)", async () => {
    await stopMidway("run-jupyter-term", ["--jupyter"], "SIGTERM", 143);
  });

  test("a process that exits without stopping its private server stops it and removes its folder", async () => {
    const { root, tmp } = runFolders("jupyter-exit");
    const module = join(REPO, "dist", "kernel", "runner", "local-jupyter.js");
    const script = `
      const { LocalJupyterServer } = require(${JSON.stringify(module)});
      LocalJupyterServer.start({ rootDir: ${JSON.stringify(root)} }).then((s) => {
        console.log(JSON.stringify({ dir: s.privateDir, pid: s.pid }));
        process.exit(0);
      });`;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...process.env, TMPDIR: tmp }, timeout: 90000 });
    try {
      expect(r.stderr).toBe("");
      const server = JSON.parse(r.stdout.trim()) as { dir: string; pid: number };
      expect(server.dir.startsWith(tmp)).toBe(true);
      expect(existsSync(server.dir)).toBe(false);
      expect(leftovers(tmp)).toEqual([]);
      await waitFor("the abandoned server to exit", () => processesMentioning(root).length === 0, 15000);
    } finally {
      killAll(processesMentioning(root));
    }
  });
});
