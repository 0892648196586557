/**
 * `gradlab run` end to end with the embedded gradlab kernel (Node only): the notebooks issue 5 names,
 * made in temp folders, run through the real CLI process.
 */
import { spawnSync } from "child_process";
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from "fs";
import { join } from "path";
import { DEBIAN_PYTHON, describeWith, requirements } from "../support/requirements";
import { CLI, outputText, runCli, tempDir, writeNotebook } from "./helpers";

jest.setTimeout(120000);

const read = (path: string) => JSON.parse(readFileSync(path, "utf8"));
const written: string[] = [];

describe("gradlab run (embedded kernel)", () => {
  test("a passing notebook: exit 0, outputs and counts in NAME.executed.ipynb, summary table", async () => {
    const dir = tempDir("run-pass");
    const nb = writeNotebook(dir, "pass.ipynb", [
      { source: "# Title", markdown: true },
      "const x = 6 * 7;\nx",
      'console.log("hello");\nconsole.error("careful");\nconsole.log("again");',
      "",
      "[1, 2, 3].map((v) => v * x)",
      // A display handle updated from a later cell, and a cell that clears its own output (wait=true).
      'const chart = display.html("<b>loss 1.0</b>", { displayId: "loss-chart" });\nconsole.log("drawn")',
      [
        "const lossView = (loss: number) => ({",
        '  [Symbol.for("Jupyter.display")]: () => ({ "text/html": `<b>loss ${loss}</b>`, "text/plain": `loss ${loss}` }),',
        "});",
        "for (const loss of [0.5, 0.25]) chart.update(lossView(loss));",
        'console.log("old text");',
        "clearOutput(true);",
        'console.log("redrawn");',
      ].join("\n"),
    ]);
    const before = readFileSync(nb, "utf8");
    const run = await runCli([nb]);
    expect(run.stderr).toContain("pass.ipynb] 5/5 cells");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/pass\.ipynb\s+ok\s+5\/5/);
    expect(run.stdout).toContain("1 of 1 notebook ran without failure");
    expect(readFileSync(nb, "utf8")).toBe(before);
    const out = join(dir, "pass.executed.ipynb");
    written.push(out);
    const cells = read(out).cells;
    expect(cells[0]).toMatchObject({ cell_type: "markdown", source: ["# Title"] });
    expect(cells.map((c: any) => c.execution_count)).toEqual([undefined, 1, 2, null, 3, 4, 5]);
    expect(cells[1].outputs).toEqual([{ output_type: "execute_result", execution_count: 1, data: expect.objectContaining({ "text/plain": ["42"] }), metadata: {} }]);
    // The kernel keeps the order of stdout and stderr within a cell; the runner keeps each stream's run.
    expect(cells[2].outputs).toEqual([
      { output_type: "stream", name: "stdout", text: ["hello\n"] },
      { output_type: "stream", name: "stderr", text: ["careful\n"] },
      { output_type: "stream", name: "stdout", text: ["again\n"] },
    ]);
    expect(outputText(cells[4])).toContain("42, 84, 126");
    // update_display_data rewrote the first cell's display in place; clear_output(wait) kept only what followed it.
    expect(cells[5].outputs).toEqual([
      { output_type: "display_data", data: { "text/html": ["<b>loss 0.25</b>"], "text/plain": ["loss 0.25"] }, metadata: {} },
      { output_type: "stream", name: "stdout", text: ["drawn\n"] },
    ]);
    expect(cells[6].outputs).toEqual([{ output_type: "stream", name: "stdout", text: ["redrawn\n"] }]);
    expect(read(out).metadata.language_info.name).toBe("typescript");
  });

  test("a failing notebook stops at the error with notebook, cell, error and traceback; exit 1", async () => {
    const dir = tempDir("run-fail");
    const nb = writeNotebook(dir, "fail.ipynb", [
      "const ok = 1;",
      'function explode(): never {\n  throw new Error("boom");\n}\nexplode();',
      'console.log("never runs")',
    ]);
    const run = await runCli([nb, "--quiet"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('fail.ipynb, cell In[2] (function explode(): never {) raised an error:');
    expect(run.stderr).toContain("Error: boom");
    expect(run.stderr).toMatch(/explode/); // the traceback names the function
    expect(run.stdout).toMatch(/fail\.ipynb\s+failed\s+2\/3/);
    const out = join(dir, "fail.executed.ipynb");
    written.push(out);
    const cells = read(out).cells;
    expect(cells[1].outputs).toEqual([expect.objectContaining({ output_type: "error", evalue: expect.stringContaining("boom") })]);
    expect(cells[2]).toMatchObject({ outputs: [], execution_count: null });
  });

  test("a runaway cell is interrupted at the timeout; with --allow-errors the kernel and its variables survive", async () => {
    const dir = tempDir("run-timeout");
    const nb = writeNotebook(dir, "spin.ipynb", [
      "let kept = 41;",
      "(globalThis as any).spinStart = Date.now();\nwhile (true) {}",
      "console.log(kept + 1);\nDate.now() - (globalThis as any).spinStart",
    ]);
    // 15 s: on a loaded machine (2 cores, several test runs) the kernel's first, type-checked cell has
    // taken 10 s; the limit applies to every cell, and that one must not be the one to time out.
    const run = await runCli([nb, "--timeout", "15", "--allow-errors", "--out", join(dir, "out")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("spin.ipynb, cell In[2] ((globalThis as any).spinStart = Date.now();) timed out:");
    expect(run.stderr).toContain("CellTimeoutError: cell In[2] did not finish within the 15 s timeout (--timeout); the kernel was interrupted");
    const out = join(dir, "out", "spin.ipynb");
    written.push(out);
    const cells = read(out).cells;
    expect(cells[1].outputs.at(-1)).toMatchObject({ output_type: "error", ename: "CellTimeoutError" });
    expect(cells[2].outputs[0]).toEqual({ output_type: "stream", name: "stdout", text: ["42\n"] });
    // From the loop's start to the next cell running: the timeout, the interrupt, a few seconds at most.
    const spun = Number(cells[2].outputs[1].data["text/plain"].join(""));
    expect(spun).toBeGreaterThan(5000); // the cell's own compile time is inside the 15 s, before spinStart
    expect(spun).toBeLessThan(15000 + 5000);
  });

  test("a kernel that dies mid-run: reported, partial outputs saved, the source untouched (even with --inplace)", async () => {
    const dir = tempDir("run-dead");
    const nb = writeNotebook(dir, "dies.ipynb", ['console.log("before")', "process.exit(1)", 'console.log("after")']);
    const fine = writeNotebook(dir, "fine.ipynb", ["2 ** 10"]);
    const before = readFileSync(nb, "utf8");
    const run = await runCli([dir, "--inplace", "--jobs", "2", "--quiet"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/dies\.ipynb, cell In\[[2 ]\] \(process\.exit\(1\)\) killed the kernel:/);
    expect(run.stderr).toMatch(/DeadKernelError: the kernel process (exited with code 1|killed by SIG[A-Z]+)/);
    expect(run.stdout).toMatch(/dies\.ipynb\s+kernel died\s+2\/3/);
    expect(readFileSync(nb, "utf8")).toBe(before);
    const partial = join(dir, "dies.failed.ipynb");
    written.push(partial);
    const cells = read(partial).cells;
    expect(outputText(cells[0])).toBe("before\n");
    expect(cells[1].outputs).toEqual([expect.objectContaining({ output_type: "error", ename: "DeadKernelError" })]);
    expect(cells[2].outputs).toEqual([]);
    // --inplace does replace a notebook whose run succeeded.
    expect(run.stdout).toMatch(/fine\.ipynb\s+ok\s+1\/1/);
    expect(outputText(read(fine).cells[0])).toBe("1024");
    written.push(fine);
  });

  test("a malformed notebook is reported and left untouched; the others still run", async () => {
    const dir = tempDir("run-malformed");
    const bad = join(dir, "bad.ipynb");
    writeFileSync(bad, '{"nbformat": 4, "cells": [');
    const mtime = statSync(bad).mtimeMs;
    writeNotebook(dir, "good.ipynb", ["1 + 1"]);
    const run = await runCli([dir, "--quiet"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad\.ipynb: not a valid Jupyter notebook: invalid JSON \(.*\) \(left untouched\)/);
    expect(run.stdout).toMatch(/bad\.ipynb\s+malformed/);
    expect(run.stdout).toMatch(/good\.ipynb\s+ok\s+1\/1/);
    expect(readFileSync(bad, "utf8")).toBe('{"nbformat": 4, "cells": [');
    expect(statSync(bad).mtimeMs).toBe(mtime);
    expect(existsSync(join(dir, "bad.executed.ipynb"))).toBe(false);
    expect(existsSync(join(dir, "good.executed.ipynb"))).toBe(true);
  });

  test("parameters are injected after the cell tagged parameters and override its defaults", async () => {
    const dir = tempDir("run-params");
    const nb = writeNotebook(dir, "params.ipynb", [
      { source: 'let lr = 0.1;\nlet epochs = 1;\nlet title = "default";', tags: ["parameters"] },
      "console.log(lr * 2, epochs + 1, title.toUpperCase())",
    ]);
    const run = await runCli([nb, "-p", "lr=0.5", "-p", "epochs=9", "-p", "title=Lecture 3", "--quiet"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = join(dir, "params.executed.ipynb");
    written.push(out);
    const cells = read(out).cells;
    expect(cells[1].metadata.tags).toEqual(["injected-parameters"]);
    expect(outputText(cells[2])).toBe("1 10 LECTURE 3\n");
  });

  test("--jobs 2 runs notebooks at the same time (each waits until it sees the other running)", async () => {
    const dir = tempDir("run-parallel");
    // Each notebook leaves a mark and waits for the other's: this only finishes when they overlap.
    const rendezvous = (me: string, other: string) => [
      `import { existsSync, writeFileSync } from "fs";\nwriteFileSync(${JSON.stringify(join(dir, me))}, "");`,
      `const start = Date.now();\nwhile (!existsSync(${JSON.stringify(join(dir, other))})) {\n  if (Date.now() - start > 20000) throw new Error("the other notebook never ran alongside");\n  await new Promise((r) => setTimeout(r, 50));\n}\n"met"`,
    ];
    writeNotebook(dir, "a.ipynb", rendezvous("a.mark", "b.mark"));
    writeNotebook(dir, "b.ipynb", rendezvous("b.mark", "a.mark"));
    const run = await runCli([dir, "--jobs", "2", "--out", join(dir, "out")]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/a\.ipynb\s+ok\s+2\/2[\s\S]*b\.ipynb\s+ok\s+2\/2/);
    for (const name of ["a.ipynb", "b.ipynb"]) {
      expect(outputText(read(join(dir, "out", name)).cells[1])).toContain("met");
    }
  });

  test("--check: raises-exception cells must raise; an unexpected error fails; nothing is written", async () => {
    const dir = tempDir("run-check");
    writeNotebook(dir, "good.ipynb", [
      { source: 'throw new RangeError("expected")', tags: ["raises-exception"] },
      '"after"',
    ]);
    writeNotebook(dir, "bad.ipynb", [{ source: '"no error here"', tags: ["raises-exception"] }]);
    const run = await runCli([dir, "--check", "--jobs", "2", "--quiet"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/bad\.ipynb\s+failed\s+1\/1/);
    expect(run.stdout).toMatch(/good\.ipynb\s+ok\s+2\/2/);
    expect(run.stderr).toContain('bad.ipynb, cell In[1] ("no error here") is tagged raises-exception but did not raise');
    expect(existsSync(join(dir, "good.executed.ipynb"))).toBe(false); // --check alone writes nothing
  });

  test("--kernel NAME starts an installed kernelspec from its kernel.json (no Jupyter needed)", async () => {
    const dir = tempDir("run-kernelspec");
    // The gradlab kernelspec, installed under another name in a private JUPYTER_PATH.
    const install = spawnSync(process.execPath, [CLI, "kernel", "install", "--prefix", join(dir, "prefix")], { encoding: "utf8" });
    expect(install.status).toBe(0);
    renameSync(join(dir, "prefix", "share", "jupyter", "kernels", "gradlab"), join(dir, "prefix", "share", "jupyter", "kernels", "ts-copy"));
    const nb = writeNotebook(dir, "k.ipynb", ["[typeof process.version, 1 + 2]"]);
    const run = await runCli([nb, "--kernel", "ts-copy", "--quiet"], { env: { ...process.env, JUPYTER_PATH: join(dir, "prefix", "share", "jupyter") } });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const out = read(join(dir, "k.executed.ipynb"));
    expect(out.metadata.kernelspec).toEqual({ name: "ts-copy", display_name: "ts-copy", language: "typescript" });
    expect(outputText(out.cells[0])).toBe("[ 'string', 3 ]");
    const missing = await runCli([nb, "--kernel", "no-such-kernel", "--quiet"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("could not start kernel 'no-such-kernel': no kernelspec named 'no-such-kernel'");
  });

  test("bad usage exits 2 with the reason", async () => {
    const run = await runCli(["--jobs", "0", "x.ipynb"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("gradlab run: --jobs must be at least 1");
  });
});

describeWith([requirements.nbformat], "gradlab run output passes Python's nbformat.validate", () => {
  test("every notebook written above validates", () => {
    expect(written.length).toBeGreaterThan(0);
    const script = "import nbformat, sys\nfor p in sys.argv[1:]:\n    nbformat.validate(nbformat.read(p, as_version=nbformat.NO_CONVERT))\nprint(len(sys.argv) - 1)";
    const r = spawnSync(DEBIAN_PYTHON, ["-c", script, ...written], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.stdout.trim()).toBe(String(written.length));
  });
});
