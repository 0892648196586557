/**
 * The kernel with every patch of its compiler layer off (GRADLAB_KERNEL_PATCHES=0; the patches are listed
 * in kernel/engine/private-surface.ts): tslab's own builder program on an unchanged TypeScript, all of
 * @types/node, a watcher on every file. This is what a TypeScript or tslab upgrade that breaks a patch
 * falls back to, so it must keep passing the Jupyter conformance suite (Debian's python3-jupyter-kernel-test;
 * skipped without it unless GRADLAB_FULL=1) and run the ten lecture notebooks through the runner in --check
 * mode, reproducing the numbers they check as committed. Needs the compiled dist/ (npm test builds it first).
 */
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { checkLines, NOTEBOOKS, notebookNames, readNotebook, ROOT } from "../notebooks/support";
import { runConformanceSuite } from "../support/kernel-conformance";
import { describeWith, requirements } from "../support/requirements";

const PATCHES_OFF = { GRADLAB_KERNEL_PATCHES: "0" };

describeWith([requirements.jupyterClient, requirements.kernelTest], "every patch off: jupyter_kernel_test conformance", () => {
  test("KernelTests: all pass, none skipped, and the kernel said it ran without its patches", () => {
    const run = runConformanceSuite(PATCHES_OFF);
    if (!run.passed) throw new Error(`jupyter_kernel_test failed with every patch off:\n${run.report}`);
    expect(run.ran).toBeGreaterThanOrEqual(12);
    expect(run.report).toContain("patches off (GRADLAB_KERNEL_PATCHES): module-not-found-hook, plain-builder, lazy-node-types, static-watchers");
  }, 150_000);
});

describe("every patch off: the lecture notebooks", () => {
  const names = notebookNames();
  let out = "";
  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  test("run to the end in --check mode and reproduce their checked numbers", () => {
    out = mkdtempSync(join(tmpdir(), "gradlab-patches-off-"));
    const run = spawnSync(process.execPath, [join(ROOT, "bin", "gradlab.js"), "run", ...names.map((n) => join(NOTEBOOKS, `${n}.ipynb`)),
      "--out", out, "--check", "--jobs", "2", "--quiet"], { cwd: ROOT, encoding: "utf8", timeout: 12 * 60_000, env: { ...process.env, ...PATCHES_OFF } });
    expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toMatchObject({ status: 0, signal: null });
    expect(run.stdout).toContain(`${names.length} of ${names.length} notebooks ran without failure`);
    for (const name of names) {
      const committed = checkLines(readNotebook(join(NOTEBOOKS, `${name}.ipynb`)));
      expect({ name, checked: checkLines(readNotebook(join(out, `${name}.ipynb`))) }).toEqual({ name, checked: committed });
    }
  }, 13 * 60_000);
});
