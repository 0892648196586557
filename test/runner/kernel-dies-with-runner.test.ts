/**
 * A kernel never outlives the runner that started it, whatever its cell is doing: after a SIGKILL of
 * the runner, and after Ctrl-C pressed twice (the second must not skip the cleanup), a kernel spinning
 * in `while (true) {}` is gone. Linux: processes are found through /proc. Runs the compiled dist/.
 */
import { existsSync } from "fs";
import { join } from "path";
import { describeWith, requirements } from "../support/requirements";
import { killAll, leftovers, processesMentioning, runFolders, startRun, waitFor, writeNotebook } from "./helpers";

jest.setTimeout(120000);

/** A notebook whose second cell marks that it started, then spins forever on the kernel's main thread. */
function writeSpinningNotebook(dir: string): { nb: string; started: string } {
  const started = join(dir, "started");
  const nb = writeNotebook(dir, "spin.ipynb", ["1 + 1", `require("fs").writeFileSync(${JSON.stringify(started)}, "");\nwhile (true) {}`]);
  return { nb, started };
}

/** Runs spin.ipynb, SIGKILLs the runner once the cell spins, and waits for every process of the run to end. */
async function killRunnerMidCell(name: string, extraArgs: string[]): Promise<void> {
  const { root, notebooks, tmp } = runFolders(name);
  const { nb, started } = writeSpinningNotebook(notebooks);
  const { child, result } = startRun([nb, "--quiet", "--timeout", "0", ...extraArgs], tmp);
  try {
    await waitFor("the spinning cell to start", () => existsSync(started), 90000);
    expect(processesMentioning(root).length).toBeGreaterThan(0); // the kernel names its connection file in tmp
    child.kill("SIGKILL");
    await result;
    await waitFor("the orphaned processes to exit", () => processesMentioning(root).length === 0, 45000);
    // Nobody else is left to remove the connection file (embedded) or the private server's folder.
    await waitFor(`the run's temporary files to go (${leftovers(tmp).join(", ")})`, () => leftovers(tmp).length === 0, 15000);
  } finally {
    child.kill("SIGKILL");
    killAll(processesMentioning(root));
  }
}

test("SIGKILL of the runner: the spinning kernel exits by itself", async () => {
  await killRunnerMidCell("runner-killed", []);
});

describeWith([requirements.jupyterServer], "with --jupyter", () => {
  test("SIGKILL of the runner: its private server stops, and so does the spinning kernel", async () => {
    await killRunnerMidCell("runner-killed-jupyter", ["--jupyter"]);
  });
});

test("Ctrl-C twice: the runner still stops its kernel and removes its files (exit 130)", async () => {
  const { root, notebooks, tmp } = runFolders("runner-int-twice");
  const { nb, started } = writeSpinningNotebook(notebooks);
  const { child, result } = startRun([nb, "--quiet", "--timeout", "0"], tmp);
  try {
    await waitFor("the spinning cell to start", () => existsSync(started), 60000);
    child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 200));
    child.kill("SIGINT");
    const run = await result;
    expect(run.stderr).toContain("gradlab run: interrupted, stopping kernels");
    expect(run.code).toBe(130);
    expect(leftovers(tmp)).toEqual([]);
    await waitFor("the kernel to exit", () => processesMentioning(root).length === 0, 30000);
  } finally {
    child.kill("SIGKILL");
    killAll(processesMentioning(root));
  }
});
