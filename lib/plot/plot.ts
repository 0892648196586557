import { toSVG } from "./render";
import { TopLevelSpec, VEGA_LITE_V5_SCHEMA } from "./vega";

export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

export interface PlotMimeBundle {
  "application/vnd.vegalite.v5+json": TopLevelSpec;
  "image/svg+xml"?: string;
  "text/plain": string;
}

/**
 * A Vega-Lite spec that can show itself in a notebook: the kernel calls (and awaits) the method under
 * `Symbol.for("Jupyter.display")`. JupyterLab draws the Vega-Lite JSON; classic Notebook and exports use
 * the SVG. The method is not enumerable, so the spec serialises and spreads as plain Vega-Lite JSON.
 */
export type Plot = TopLevelSpec & { [JUPYTER_DISPLAY](): Promise<PlotMimeBundle> };

/** Stamps the v5 schema on `spec` and attaches the notebook display; `description` is the text/plain form. */
export function makePlot(spec: TopLevelSpec, description: string): Plot {
  const config = lectureConfig((spec as { config?: Record<string, unknown> }).config);
  const withSchema = { $schema: VEGA_LITE_V5_SCHEMA, ...spec, config } as TopLevelSpec;
  Object.defineProperty(withSchema, JUPYTER_DISPLAY, {
    enumerable: false,
    value: async (): Promise<PlotMimeBundle> => {
      const bundle: PlotMimeBundle = {
        "application/vnd.vegalite.v5+json": JSON.parse(JSON.stringify(withSchema)),
        "text/plain": description,
      };
      try {
        bundle["image/svg+xml"] = await toSVG(withSchema);
      } catch (err) {
        // JupyterLab still draws the Vega-Lite JSON; say why the static fallback is missing.
        bundle["text/plain"] = `${description}\n(SVG fallback unavailable: ${(err as Error).message})`;
      }
      return bundle;
    },
  });
  return withSchema as Plot;
}

/**
 * Type sizes that read from the back of a lecture hall (Vega-Lite's defaults are 10-13 px), one font
 * with the graph drawings. A spec's own config wins, key by key.
 */
const LECTURE_CONFIG: Record<string, Record<string, unknown>> = {
  title: { fontSize: 18, font: "Helvetica, Arial, sans-serif" },
  // labelSeparation: with text measured at its true width, labels closer than this are thinned out.
  axis: { labelFontSize: 14, titleFontSize: 16, labelSeparation: 8, labelFont: "Helvetica, Arial, sans-serif", titleFont: "Helvetica, Arial, sans-serif" },
  legend: { labelFontSize: 14, titleFontSize: 15, symbolSize: 140, labelLimit: 400, labelFont: "Helvetica, Arial, sans-serif", titleFont: "Helvetica, Arial, sans-serif" },
  text: { font: "Helvetica, Arial, sans-serif" },
};

export function lectureConfig(own: Record<string, unknown> = {}): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...own };
  for (const [key, defaults] of Object.entries(LECTURE_CONFIG)) {
    merged[key] = { ...defaults, ...((own[key] as object | undefined) ?? {}) };
  }
  return merged;
}
