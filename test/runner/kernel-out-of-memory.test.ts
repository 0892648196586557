/**
 * A kernel that runs out of memory is reported with that reason and its heap limit, not only with the
 * last lines of V8's native stack trace. Runs the compiled dist/.
 */
import { describeWith, requirements } from "../support/requirements";
import { runCli, tempDir, writeNotebook } from "./helpers";

jest.setTimeout(120000);

/** Runs a notebook that fills the heap; a small heap (for the runner and so its kernel) fills in a second or two. */
async function runHog(name: string, extraArgs: string[]): Promise<string> {
  const dir = tempDir(name);
  const nb = writeNotebook(dir, "hog.ipynb", ["const hoard: number[][] = [];\nwhile (true) hoard.push(new Array(1e6).fill(Math.random()));"]);
  const run = await runCli([nb, "--quiet", ...extraArgs], { env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=256" } });
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/hog\.ipynb, cell In\[[1 ]\] \(const hoard: number\[\]\[\] = \[\];\) killed the kernel:/);
  return run.stderr;
}

test("the report says 'out of memory (heap limit N MB)'", async () => {
  expect(await runHog("run-oom", [])).toContain("DeadKernelError: the kernel process ran out of memory (heap limit 256 MB)");
});

describeWith([requirements.jupyterServer], "with --jupyter", () => {
  test("the same, from the private server's log", async () => {
    expect(await runHog("run-oom-jupyter", ["--jupyter"])).toContain("DeadKernelError: the kernel process ran out of memory (heap limit 256 MB)");
  });
});
