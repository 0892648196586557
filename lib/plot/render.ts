import { loadVegaModules, TopLevelSpec } from "./vega";

/**
 * Renders a Vega-Lite spec to an SVG string in Node (no browser): Vega-Lite compiles it to Vega, and a
 * headless Vega view draws it. Used for reports, exports and classic Notebook, which has no Vega renderer.
 */
export async function toSVG(spec: TopLevelSpec): Promise<string> {
  const { vega, vegaLite } = await loadVegaModules();
  // No aria-label per mark: it doubles the SVG's size, and these SVGs are stored in notebooks and reports.
  const compiled = vegaLite.compile({ ...spec, config: { ...spec.config, aria: false } } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
