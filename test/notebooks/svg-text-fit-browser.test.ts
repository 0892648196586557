/**
 * Every SVG the committed notebooks show (plots and graph drawings), rendered by Chromium with the
 * fonts this machine has: no text may run out of the picture (a legend cut to "centred differenc")
 * or into another text. The SVGs ask for Helvetica; where it is missing, Chromium draws a fallback
 * (DejaVu Sans on Debian), which is what a student on Linux sees.
 */
import { join } from "path";
import { describeWith, requirements } from "../support/requirements";
import { chromiumPage } from "../support/browser";
import { NOTEBOOKS, joined, notebookNames, readNotebook } from "./support";

const svgs = notebookNames().flatMap((name) =>
  readNotebook(join(NOTEBOOKS, `${name}.ipynb`)).cells.flatMap((cell, i) => (cell.outputs ?? [])
    .filter((o) => o.data?.["image/svg+xml"])
    .map((o, k) => ({ where: `${name} cell ${i + 1} output ${k + 1}`, svg: joined(o.data!["image/svg+xml"] as string | string[]) }))));

type Box = { text: string; x0: number; y0: number; x1: number; y1: number };

describeWith([requirements.chromium], "notebook SVGs in a browser: every text fits", () => {
  const browserPage = chromiumPage();

  /** The picture's box and the drawn extent of every non-empty text, in page pixels. */
  const measure = async (svg: string): Promise<{ picture: Box; texts: Box[] }> => {
    const page = browserPage();
    await page.setContent(`<html><body style="margin:0">${svg}</body></html>`);
    return page.evaluate(() => {
      const box = (e: Element, text: string) => { const r = e.getBoundingClientRect(); return { text, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom }; };
      const root = document.querySelector("svg")!;
      // Vega hides the axis labels it thins out with opacity 0; those are not drawn.
      const shown = (e: Element | null): boolean => !e || e === root || (getComputedStyle(e).opacity !== "0" && getComputedStyle(e).display !== "none" && shown(e.parentElement));
      const texts = [...root.querySelectorAll("text")].filter((t) => (t.textContent ?? "").trim() !== "" && shown(t)).map((t) => box(t, t.textContent!));
      return { picture: box(root, "svg"), texts };
    });
  };

  test("the notebooks show SVGs", () => {
    expect(svgs.length).toBeGreaterThan(20);
  });

  test.each(svgs.map((s) => [s.where, s.svg]))("%s: no text leaves the picture or covers another", async (_, svg) => {
    const { picture, texts } = await measure(svg);
    const slack = 1;   // sub-pixel rounding of the glyphs' boxes
    const outside = texts.filter((t) => t.x0 < picture.x0 - slack || t.y0 < picture.y0 - slack || t.x1 > picture.x1 + slack || t.y1 > picture.y1 + slack);
    expect(outside.map((t) => t.text)).toEqual([]);
    // A glyph box includes the font's ascent and descent; two texts may touch there, not overlap.
    const inset = (b: Box) => ({ ...b, y0: b.y0 + (b.y1 - b.y0) * 0.2, y1: b.y1 - (b.y1 - b.y0) * 0.2 });
    const overlaps: string[] = [];
    texts.map(inset).forEach((a, i, all) => all.slice(i + 1).forEach((b) => {
      if (a.x0 < b.x1 - slack && b.x0 < a.x1 - slack && a.y0 < b.y1 - slack && b.y0 < a.y1 - slack) overlaps.push(`"${a.text}" / "${b.text}"`);
    }));
    expect(overlaps).toEqual([]);
  }, 30000);
});
