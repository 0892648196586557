/**
 * Issue 4's real-client check: classic Notebook (Debian's python3-notebook) in headless Chromium, driven
 * by playwright-core. The page opens a small notebook on the gradlab kernel, runs all cells, and must
 * show the text result, the computation graph's SVG and a plot. The screenshot is kept in test-artifacts/.
 */
import { mkdirSync, mkdtempSync, rmSync } from "fs";
import { join } from "path";
import { LocalJupyterServer } from "../../kernel/runner/local-jupyter";
import { CHROMIUM, describeWith, requirements } from "../support/requirements";
import { REPO, writeNotebook } from "./helpers";

jest.setTimeout(180000);

const ARTIFACTS = join(REPO, "test-artifacts");
const SCREENSHOT = join(ARTIFACTS, "classic-notebook-gradlab.png");

describeWith([requirements.notebook, requirements.chromium], "classic Notebook in headless Chromium with the gradlab kernel", () => {
  let server: LocalJupyterServer;
  let dir: string;
  let browser: import("playwright-core").Browser;

  beforeAll(async () => {
    // Inside the repository (test-artifacts/ is git-ignored), so `import ... from "gradlab"` resolves
    // to this package the way it does for the lecture notebooks.
    mkdirSync(ARTIFACTS, { recursive: true });
    dir = mkdtempSync(join(ARTIFACTS, "classic-notebook-"));
    writeNotebook(dir, "demo.ipynb", [
      { source: "# gradlab in classic Notebook", markdown: true },
      'import { Graph, AddGate, MultiplyGate, plot } from "gradlab";',
      "const answer = 6 * 7;\n`the answer is ${answer}`",
      [
        "const g = new Graph();",
        'const x = g.input("x"), y = g.input("y"), z = g.input("z");',
        'const q = g.apply(new AddGate(), [x, y], "q");',
        'const f = g.apply(new MultiplyGate(), [q, z], "f");',
        "g.forward({ x: -2, y: 5, z: -4 });",
        "g.backward();",
        "g",
      ].join("\n"),
      "plot.lossCurve([1, 0.6, 0.35, 0.2, 0.12, 0.08])",
    ]);
    server = await LocalJupyterServer.start({ app: "notebook", rootDir: dir });
    const { chromium } = require("playwright-core") as typeof import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true }); // the screenshot stays, the notebook goes
  });

  test("run all cells: the page shows the text result, the graph's SVG and the plot", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
    const problems: string[] = [];
    page.on("pageerror", (err) => problems.push(err.message));
    await page.goto(`${server.url}notebooks/demo.ipynb?token=${server.token}`);
    // The notebook's kernel is the gradlab kernelspec from the server's temporary JUPYTER_PATH.
    await page.waitForFunction(() => {
      const J = (globalThis as any).Jupyter;
      return J?.notebook?.kernel?.is_connected?.() && J.notebook.kernel.name === "gradlab";
    }, undefined, { timeout: 60000 });
    await page.evaluate(() => (globalThis as any).Jupyter.notebook.execute_all_cells());
    await page.waitForFunction(() => {
      const cells = (globalThis as any).Jupyter.notebook.get_cells().filter((c: any) => c.cell_type === "code");
      return cells.every((c: any) => typeof c.input_prompt_number === "number");
    }, undefined, { timeout: 90000 });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    const errors = await page.locator(".output_error").allInnerTexts();
    expect(errors).toEqual([]);
    await expect(page.locator(".output_area").filter({ hasText: "the answer is 42" }).count()).resolves.toBe(1);
    const svgs = await page.locator(".output_svg svg").evaluateAll((nodes) => nodes.map((n) => n.outerHTML));
    expect(svgs).toHaveLength(2);
    const [graph, lossPlot] = svgs;
    // The graph drawing names its nodes and shows the forward value of f (-12).
    for (const label of [">x<", ">q<", ">f<"]) expect(graph).toContain(label);
    expect(graph).toContain("-12");
    // Vega's SVG renderer marks its scene graph; the loss curve is a line mark.
    expect(lossPlot).toMatch(/class="[^"]*\bmark-line\b/);
    // Node names keep the drawing's own size inside the Notebook page, whose stylesheet (Bootstrap's
    // `.label { font-size: 75% }`) restyled them when the drawing used plain class names.
    const nameSizes = await page.locator(".output_svg svg").first().locator("text").evaluateAll((nodes) =>
      nodes.filter((n) => ["x", "y", "z"].includes(n.textContent ?? "")).map((n) => [n.getAttribute("font-size"), getComputedStyle(n).fontSize]));
    expect(nameSizes).toHaveLength(3);
    for (const [attribute, computed] of nameSizes) expect(computed).toBe(`${attribute}px`);
    expect(problems).toEqual([]);
  });
});
