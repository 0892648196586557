/**
 * A kernel that runs out of memory is reported with that reason and its heap limit, not only with the
 * last lines of V8's native stack trace. Runs the compiled dist/.
 */
import { runCli, tempDir, writeNotebook } from "./helpers";

jest.setTimeout(120000);

test("the report says 'out of memory (heap limit N MB)'", async () => {
  const dir = tempDir("run-oom");
  const nb = writeNotebook(dir, "hog.ipynb", ["const hoard: number[][] = [];\nwhile (true) hoard.push(new Array(1e6).fill(Math.random()));"]);
  // A small heap (for the runner and so its kernel) fills in a second or two.
  const run = await runCli([nb, "--quiet"], { env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=256" } });
  expect(run.code).toBe(1);
  expect(run.stderr).toMatch(/hog\.ipynb, cell In\[[1 ]\] \(const hoard: number\[\]\[\] = \[\];\) killed the kernel:/);
  expect(run.stderr).toContain("DeadKernelError: the kernel process ran out of memory (heap limit 256 MB)");
});
