import { Numbers, toNumbers } from "./input";
import { makePlot, Plot } from "./plot";

export interface HistogramOptions {
  title?: string;
  xTitle?: string;
  /** Number of equal-width bins (default 30). */
  bins?: number;
  width?: number;
  height?: number;
}

/**
 * A histogram of values (weights, activations, gradients). The bins are counted here rather than by
 * Vega-Lite's `bin` transform, so the picture has exactly `bins` bars and the spec stays small.
 */
export function histogram(values: Numbers, opts: HistogramOptions = {}): Plot {
  const v = toNumbers(values, "histogram: values").filter(Number.isFinite);
  if (v.length === 0) throw new RangeError("histogram: no finite values to plot");
  const bins = opts.bins ?? 30;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`histogram: bins must be a positive integer, got ${bins}`);
  let lo = Math.min(...v), hi = Math.max(...v);
  if (lo === hi) { lo -= 0.5; hi += 0.5; }
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const x of v) counts[Math.min(bins - 1, Math.floor((x - lo) / width))]++;
  const spec = {
    width: opts.width ?? 420,
    height: opts.height ?? 220,
    ...(opts.title ? { title: opts.title } : {}),
    data: { values: counts.map((count, i) => ({ start: lo + i * width, end: lo + (i + 1) * width, count })) },
    mark: { type: "rect", color: "#4c78a8", stroke: "white", strokeWidth: 0.5 },
    encoding: {
      x: { field: "start", type: "quantitative", title: opts.xTitle ?? "value", scale: { zero: false, nice: false } },
      x2: { field: "end" },
      y: { field: "count", type: "quantitative", title: "count" },
      y2: { datum: 0 },
    },
  };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return makePlot(spec as never, `histogram: ${v.length} values in ${bins} bins, range [${lo.toPrecision(3)}, ${hi.toPrecision(3)}], mean ${mean.toPrecision(3)}`);
}
