/**
 * What JupyterLab draws: the Vega-Lite JSON of every plot in the committed notebooks, compiled and
 * rendered to a canvas by Vega's browser builds in Chromium. Each must render without a Vega warning,
 * and the raster layers (colour maps, digit images, embedded as PNG data URLs) must actually appear:
 * the picture has clearly more colours than the same spec without them.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { CHROMIUM, describeWith, requirements } from "../support/requirements";
import { NOTEBOOKS, notebookNames, readNotebook, ROOT } from "./support";

type Spec = { layer?: { mark?: string | { type?: string } }[] };
const markType = (l: { mark?: string | { type?: string } }) => (typeof l.mark === "string" ? l.mark : l.mark?.type);

const plots = notebookNames().flatMap((name) =>
  readNotebook(join(NOTEBOOKS, `${name}.ipynb`)).cells.flatMap((cell, i) => (cell.outputs ?? [])
    .filter((o) => o.data?.["application/vnd.vegalite.v5+json"])
    .map((o) => ({ where: `${name} cell ${i}`, spec: o.data!["application/vnd.vegalite.v5+json"] as Spec }))));

describeWith([requirements.chromium], "notebook plots rendered by Vega in a browser (the JupyterLab path)", () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let browser: any, page: any;
  beforeAll(async () => {
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox"] });
    page = await browser.newPage();
    await page.setContent("<html><body></body></html>");
    await page.addScriptTag({ content: readFileSync(join(ROOT, "node_modules", "vega", "build", "vega.min.js"), "utf8") });
    await page.addScriptTag({ content: readFileSync(join(ROOT, "node_modules", "vega-lite", "build", "vega-lite.min.js"), "utf8") });
  }, 30000);
  afterAll(async () => { await browser?.close(); });

  /**
   * Renders a spec to a canvas; returns Vega's warnings, the number of distinct colours, and (given a
   * second spec of the same size) the share of pixels that differ between the two pictures.
   */
  const draw = (spec: Spec, other?: Spec): Promise<{ colours: number; warnings: string[]; changed: number }> => page.evaluate(async ([s, o]: [object, object | undefined]) => {
    const g = globalThis as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const warnings: string[] = [];
    const logger = { level() { return logger; }, warn: (...a: unknown[]) => warnings.push(a.join(" ")), error: (...a: unknown[]) => warnings.push(a.join(" ")), info() {}, debug() {} };
    const pixels = async (spec: object) => {
      const view = new g.vega.View(g.vega.parse(g.vegaLite.compile(spec).spec), { renderer: "none", logger });
      const canvas = await view.toCanvas();
      view.finalize();
      return canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data as Uint8ClampedArray;
    };
    const d = await pixels(s);
    const colours = new Set<number>();
    for (let i = 0; i < d.length; i += 4) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    let changed = 0;
    if (o) {
      const e = await pixels(o);
      let n = 0;
      for (let i = 0; i < Math.min(d.length, e.length); i += 4) if (Math.abs(d[i] - e[i]) + Math.abs(d[i + 1] - e[i + 1]) + Math.abs(d[i + 2] - e[i + 2]) > 24) n++;
      changed = n / (d.length / 4);
    }
    return { colours: colours.size, warnings, changed };
  }, [spec, other]);

  test("the notebooks have plots, some with raster layers", () => {
    expect(plots.length).toBeGreaterThanOrEqual(12);
    expect(plots.filter((p) => p.spec.layer?.some((l) => markType(l) === "image")).length).toBeGreaterThanOrEqual(3);
  });

  test.each(plots.map((p) => [p.where, p.spec] as const))("%s renders without warnings, its images drawn", async (_, spec) => {
    const images = spec.layer?.some((l) => markType(l) === "image");
    const without = images ? { ...spec, layer: spec.layer!.filter((l) => markType(l) !== "image") } : undefined;
    const { colours, warnings, changed } = await draw(spec, without);
    expect(warnings).toEqual([]);
    expect(colours).toBeGreaterThan(100);
    // The colour map fills the plot, the digits a good part of their grid.
    if (images) expect(changed).toBeGreaterThan(0.15);
  }, 30000);
});
