/**
 * Lecture notebooks through a real Jupyter server (Debian's jupyter-server) instead of the embedded
 * kernel: the runner's --jupyter mode starts a private server, runs the notebooks there in --check mode,
 * and the outputs must match the committed ones (the same checked numbers, the same kinds of output,
 * the same final state of displays that were updated in place while training ran).
 */
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describeWith, requirements } from "../support/requirements";
import { checkLines, joined, NOTEBOOKS, NotebookFile, readNotebook, ROOT } from "./support";

/** 05 draws graphs and Markdown step by step; 10 redraws a loss chart and a decision boundary in place. */
const NAMES = ["05-backprop-simple-example", "10-neural-network-playground"];

/** Per code cell, the output types and MIME types in order: what a reader sees, without the values. */
function shape(nb: NotebookFile): string[][] {
  return nb.cells.filter((c) => c.cell_type === "code").map((c) =>
    (c.outputs ?? []).map((o) => (o.data ? `${o.output_type}:${Object.keys(o.data).sort().join(",")}` : `${o.output_type}:${o.name ?? ""}`)));
}

/** The text/plain of every rich output: plots describe their final data there (e.g. "loss curve: 400 points"). */
function descriptions(nb: NotebookFile): string[] {
  return nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data).map((o) => joined(o.data!["text/plain"] as string[]));
}

describeWith([requirements.jupyterServer], "lecture notebooks through jupyter-server", () => {
  let out = "";
  let run: ReturnType<typeof spawnSync>;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), "gradlab-notebooks-jupyter-"));
    run = spawnSync(process.execPath, [join(ROOT, "bin", "gradlab.js"), "run", ...NAMES.map((n) => join(NOTEBOOKS, `${n}.ipynb`)),
      "--jupyter", "--out", out, "--check", "--quiet"], { cwd: ROOT, encoding: "utf8", timeout: 5 * 60_000 });
  }, 6 * 60_000);
  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  test("both run with --jupyter in --check mode", () => {
    expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 0 });
  });

  test.each(NAMES)("%s reproduces the committed outputs", (name) => {
    const committed = readNotebook(join(NOTEBOOKS, `${name}.ipynb`));
    const viaServer = readNotebook(join(out, `${name}.ipynb`));
    expect(checkLines(viaServer)).toEqual(checkLines(committed));
    expect(checkLines(viaServer).length).toBeGreaterThan(0);
    expect(shape(viaServer)).toEqual(shape(committed));
    expect(descriptions(viaServer)).toEqual(descriptions(committed));
  });
});
