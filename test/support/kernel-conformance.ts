/**
 * Runs Debian's jupyter_kernel_test KernelTests (test/kernel/kernel_conformance.py) against the gradlab
 * kernel, installed with `gradlab kernel install --prefix` into a temporary Jupyter path: for
 * test/kernel/conformance.test.ts (the kernel as it ships) and patches-off.test.ts (every patch off).
 */
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { DEBIAN_PYTHON } from "./requirements";

const root = join(__dirname, "..", "..");

export interface ConformanceRun {
  /** How many tests ran, or null when the summary was not printed. */
  ran: number | null;
  passed: boolean;
  /** The suite's output and the kernel's log. */
  report: string;
}

/** Installs the kernelspec into a fresh prefix, runs the suite with `env` added, removes the prefix. */
export function runConformanceSuite(env: NodeJS.ProcessEnv = {}): ConformanceRun {
  const prefix = mkdtempSync(join(tmpdir(), "gradlab-kernelspec-"));
  try {
    const install = spawnSync(process.execPath, [join(root, "bin", "gradlab.js"), "kernel", "install", "--prefix", prefix], { encoding: "utf8" });
    if (install.status !== 0 || install.stderr !== "") throw new Error(`gradlab kernel install failed (exit ${install.status}):\n${install.stderr}`);
    const run = spawnSync(DEBIAN_PYTHON, ["-m", "unittest", "-v", "kernel_conformance"], {
      cwd: join(root, "test", "kernel"),
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, ...env, JUPYTER_PATH: join(prefix, "share", "jupyter"), PYTHONDONTWRITEBYTECODE: "1" },
    });
    const report = `${run.stdout}\n${run.stderr}`;
    const ran = /Ran (\d+) tests?/.exec(report);
    // Every sample is filled in, so nothing may skip.
    return { ran: ran ? Number(ran[1]) : null, passed: run.status === 0 && !/skipped/i.test(report) && /\nOK\s*$/m.test(report), report };
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
}
