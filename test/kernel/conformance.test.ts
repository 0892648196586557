/**
 * Runs Debian's jupyter_kernel_test KernelTests (test/kernel/kernel_conformance.py) against the gradlab
 * kernel, installed with `gradlab kernel install --prefix` into a temporary Jupyter path. Every sample is
 * filled in, so the summary must report all tests passed and none skipped.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { DEBIAN_PYTHON, describeWith, requirements } from "../support/requirements";

const root = join(__dirname, "..", "..");

describeWith([requirements.jupyterClient, requirements.kernelTest], "jupyter_kernel_test conformance", () => {
  let prefix: string;
  beforeAll(() => {
    prefix = mkdtempSync(join(tmpdir(), "gradlab-kernelspec-"));
    const install = spawnSync(process.execPath, [join(root, "bin", "gradlab.js"), "kernel", "install", "--prefix", prefix], { encoding: "utf8" });
    expect(install.stderr).toBe("");
    expect(install.status).toBe(0);
  });
  afterAll(() => rmSync(prefix, { recursive: true, force: true }));

  test("KernelTests: every sample filled, all pass, none skipped", () => {
    const run = spawnSync(DEBIAN_PYTHON, ["-m", "unittest", "-v", "kernel_conformance"], {
      cwd: __dirname,
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, JUPYTER_PATH: join(prefix, "share", "jupyter"), PYTHONDONTWRITEBYTECODE: "1" },
    });
    const report = `${run.stdout}\n${run.stderr}`;
    const ran = /Ran (\d+) tests?/.exec(report);
    if (!ran || run.status !== 0 || /skipped/i.test(report)) {
      throw new Error(`jupyter_kernel_test failed (exit ${run.status}):\n${report}`);
    }
    // KernelTests 0.4.5 has 12 tests (kernel_info, stdout, stderr, completion, is_complete, pager, error,
    // execute_result, display_data, history, inspect, clear_output); every one must have run.
    expect(Number(ran[1])).toBeGreaterThanOrEqual(12);
    expect(report).toMatch(/\nOK\s*$/m);
  }, 150_000);
});
