import { Rows, toRows } from "./input";
import { makePlot, Plot } from "./plot";

export interface HeatmapOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  /** Names for the rows (e.g. the classes of a weight matrix), drawn instead of 0, 1, 2, ... */
  rowNames?: string[];
  /** Pixel size of one cell (default: fits the matrix into about 400 px, at most 24 px). */
  cellSize?: number;
}

/**
 * A matrix as coloured cells (row i drawn as row i, top to bottom), e.g. a weight matrix. A diverging
 * red-blue scale centred on 0 so that the sign of a weight reads at a glance.
 */
export function heatmap(matrix: Rows, opts: HeatmapOptions = {}): Plot {
  const m = toRows(matrix, "heatmap: matrix");
  if (m.length === 0 || m[0].length === 0) throw new RangeError("heatmap: the matrix is empty");
  const rows = m.length, cols = m[0].length;
  if (opts.rowNames && opts.rowNames.length !== rows) throw new RangeError(`heatmap: ${opts.rowNames.length} row names for ${rows} rows`);
  const rowName = (i: number) => (opts.rowNames ? opts.rowNames[i] : i);
  const cell = opts.cellSize ?? Math.max(2, Math.min(24, Math.floor(400 / Math.max(rows, cols))));
  const values: { row: number | string; col: number; value: number }[] = [];
  let extent = 0;
  m.forEach((r, i) => r.forEach((value, j) => {
    values.push({ row: rowName(i), col: j, value });
    if (Number.isFinite(value)) extent = Math.max(extent, Math.abs(value));
  }));
  const spec = {
    width: cols * cell,
    height: rows * cell,
    ...(opts.title ? { title: opts.title } : {}),
    data: { values },
    mark: { type: "rect" },
    encoding: {
      x: { field: "col", type: "ordinal", title: opts.xTitle ?? "column", axis: cols > 30 ? { labels: false, ticks: false } : {} },
      // Named rows keep the matrix's order, not the names' alphabetical one.
      y: { field: "row", type: "ordinal", title: opts.yTitle ?? "row", axis: rows > 30 ? { labels: false, ticks: false } : {}, ...(opts.rowNames ? { sort: opts.rowNames } : {}) },
      color: { field: "value", type: "quantitative", scale: { scheme: "redblue", domainMid: 0, domain: [-extent || -1, extent || 1] } },
    },
  };
  return makePlot(spec as never, `heatmap: ${rows}x${cols} matrix, max |value| ${extent.toPrecision(3)}`);
}
