/**
 * One lecture notebook through a real Jupyter server (Debian's jupyter-server) instead of the embedded
 * kernel: the runner's --jupyter mode starts a private server, runs the notebook there in --check mode,
 * and the outputs must match the committed ones (the same checked numbers, the same kinds of output).
 */
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describeWith, requirements } from "../support/requirements";
import { checkLines, NOTEBOOKS, NotebookFile, readNotebook, ROOT } from "./support";

const NAME = "05-backprop-simple-example";

/** Per code cell, the output types and MIME types in order: what a reader sees, without the values. */
function shape(nb: NotebookFile): string[][] {
  return nb.cells.filter((c) => c.cell_type === "code").map((c) =>
    (c.outputs ?? []).map((o) => (o.data ? `${o.output_type}:${Object.keys(o.data).sort().join(",")}` : `${o.output_type}:${o.name ?? ""}`)));
}

describeWith([requirements.jupyterServer], "a lecture notebook through jupyter-server", () => {
  let out = "";
  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  test(`${NAME} runs with --jupyter and reproduces the committed outputs`, () => {
    out = mkdtempSync(join(tmpdir(), "gradlab-notebooks-jupyter-"));
    const r = spawnSync(process.execPath, [join(ROOT, "bin", "gradlab.js"), "run", join(NOTEBOOKS, `${NAME}.ipynb`),
      "--jupyter", "--out", out, "--check", "--quiet"], { cwd: ROOT, encoding: "utf8", timeout: 4 * 60_000 });
    expect({ status: r.status, stderr: r.stderr }).toMatchObject({ status: 0 });
    const committed = readNotebook(join(NOTEBOOKS, `${NAME}.ipynb`));
    const viaServer = readNotebook(join(out, `${NAME}.ipynb`));
    expect(checkLines(viaServer)).toEqual(checkLines(committed));
    expect(checkLines(viaServer)).toContain("✓ ∂f/∂x = -4");
    expect(shape(viaServer)).toEqual(shape(committed));
  }, 5 * 60_000);
});
