/**
 * The lecture's graph drawings measured by a real browser: the geometry test trusts estimated text
 * widths; here Chromium lays the SVG text out with its own fonts, and no edge text may touch another
 * text or a node's shape.
 */
import { plot } from "gradlab";
import { describeWith, requirements } from "../support/requirements";
import { chromiumPage } from "../support/browser";
import { LECTURE_GRAPHS } from "./plot-graph-lectures";

type Rect = { x: number; y: number; width: number; height: number; text: string; kind: string };

describeWith([requirements.chromium], "graph drawings in Chromium", () => {
  const browserPage = chromiumPage();

  test.each(LECTURE_GRAPHS)("%s: rendered edge texts overlap no other text and no node", async (_, build) => {
    const page = browserPage();
    await page.setContent(`<html><body style="margin:0">${plot.renderGraphSVG(build())}</body></html>`);
    const { texts, shapes }: { texts: Rect[]; shapes: Rect[] } = await page.evaluate(() => {
      const box = (e: Element, kind: string) => {
        const b = (e as SVGGraphicsElement).getBBox();
        return { x: b.x, y: b.y, width: b.width, height: b.height, text: e.textContent ?? "", kind };
      };
      return {
        texts: [...document.querySelectorAll("g.gradlab-graph-edge text, g.gradlab-graph-node text.gradlab-graph-label")]
          .map((e) => box(e, (e.getAttribute("class") ?? "").replace("gradlab-graph-", ""))),
        shapes: [...document.querySelectorAll("g.gradlab-graph-node circle, g.gradlab-graph-node rect")].map((e) => box(e, "shape")),
      };
    });
    // Glyph boxes include the font's line gap; shrink them to the ink's usual extent before comparing.
    const ink = (r: Rect) => ({ ...r, y: r.y + r.height * 0.15, height: r.height * 0.7 });
    const hit = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    const problems: string[] = [];
    texts.forEach((a, i) => {
      texts.slice(i + 1).forEach((b) => { if (hit(ink(a), ink(b))) problems.push(`'${a.text}' (${a.kind}) on '${b.text}' (${b.kind})`); });
      if (a.kind === "label") return; // a gate's name sits under its own circle
      for (const s of shapes) if (hit(ink(a), s)) problems.push(`'${a.text}' (${a.kind}) on a node at ${Math.round(s.x)},${Math.round(s.y)}`);
    });
    expect(problems).toEqual([]);
    expect(texts.length).toBeGreaterThan(4);
  }, 30000);
});
