/**
 * Runs Debian's jupyter_kernel_test KernelTests (test/kernel/kernel_conformance.py) against the gradlab
 * kernel, installed with `gradlab kernel install --prefix` into a temporary Jupyter path. Every sample is
 * filled in, so the summary must report all tests passed and none skipped.
 */
import { runConformanceSuite } from "../support/kernel-conformance";
import { describeWith, requirements } from "../support/requirements";

describeWith([requirements.jupyterClient, requirements.kernelTest], "jupyter_kernel_test conformance", () => {
  test("KernelTests: every sample filled, all pass, none skipped", () => {
    const run = runConformanceSuite();
    if (!run.passed) throw new Error(`jupyter_kernel_test failed:\n${run.report}`);
    // KernelTests 0.4.5 has 12 tests (kernel_info, stdout, stderr, completion, is_complete, pager, error,
    // execute_result, display_data, history, inspect, clear_output); every one must have run.
    expect(run.ran).toBeGreaterThanOrEqual(12);
  }, 150_000);
});
