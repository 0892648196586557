/**
 * `gradlab run` leaves nothing behind in the system temp folder, however it ends: a TA runs it hundreds
 * of times. Each run here gets a private TMPDIR (the runner, its kernels' connection files and a private
 * Jupyter server's folder all go where TMPDIR says), and afterwards that folder must hold nothing but the
 * kernel's shared type-declaration cache, and no process started for the run may still be alive.
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync } from "fs";
import { join } from "path";
import { describeWith, requirements } from "../support/requirements";
import { CLI, REPO, tempDir, writeNotebook } from "./helpers";

jest.setTimeout(120000);

/** A folder for the run's notebooks and another to be its TMPDIR. */
function runFolders(name: string): { notebooks: string; tmp: string; root: string } {
  const root = tempDir(name);
  const folders = { root, notebooks: join(root, "notebooks"), tmp: join(root, "tmp") };
  mkdirSync(folders.notebooks);
  mkdirSync(folders.tmp);
  return folders;
}

function leftovers(tmp: string): string[] {
  return readdirSync(tmp);
}

/** Pids of processes whose command line mentions `path` (kernels name their connection file; servers their root). */
function processesMentioning(path: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(path)) pids.push(Number(entry));
    } catch {
      /* gone meanwhile, or not ours to read */
    }
  }
  return pids;
}

async function waitFor(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Kills whatever the run left running, so a failing test does not leave processes behind either. */
function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
}

function startRun(args: string[], tmp: string): { child: ChildProcess; result: Promise<{ code: number | null; signal: string | null; stderr: string }> } {
  const child = spawn(process.execPath, [CLI, "run", ...args], { cwd: REPO, env: { ...process.env, TMPDIR: tmp } });
  let stderr = "";
  child.stderr!.on("data", (d) => (stderr += d));
  child.stdout!.resume();
  const result = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve({ code, signal, stderr }));
  });
  return { child, result };
}

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
