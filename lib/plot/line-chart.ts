import { makePlot, Plot } from "./plot";

export interface LineChartOptions {
  /** The fields of a row that give the x and y positions and the series (one line each). */
  x: string;
  y: string;
  series: string;
  title: string;
  logX?: boolean;
  logY?: boolean;
  /** The series in legend order; with `colors`, one colour each (default: order of appearance). */
  seriesOrder?: string[];
  colors?: string[];
  /** d3 number formats of the axis labels (default: ".0e" on a log axis, plain otherwise). */
  xFormat?: string;
  yFormat?: string;
  /** Tick positions on the x axis (e.g. the measured sizes). */
  xTicks?: number[];
  xTitle?: string;
  yTitle?: string;
  /** Draw a dot at each data point (default true). */
  points?: boolean;
  width?: number;
  height?: number;
}

/**
 * Lines of y against x, one per series, in the lectures' style (thick lines, large type): the
 * notebooks' error, loss and timing curves. On a log axis the scale ends where the data ends.
 */
export function lineChart(rows: Record<string, unknown>[], o: LineChartOptions): Plot {
  const axis = (log: boolean | undefined, format: string | undefined, values?: number[]) =>
    ({ format: format ?? (log ? ".0e" : ""), ...(values ? { values } : {}) });
  const colour = { ...(o.seriesOrder ? { domain: o.seriesOrder } : {}), ...(o.colors ? { range: o.colors } : {}) };
  const spec = {
    width: o.width ?? 520, height: o.height ?? 320, title: o.title,
    data: { values: rows },
    mark: { type: "line", point: o.points ?? true, strokeWidth: 3 },
    encoding: {
      x: { field: o.x, type: "quantitative", title: o.xTitle ?? o.x, scale: o.logX ? { type: "log", nice: false } : { zero: false }, axis: axis(o.logX, o.xFormat, o.xTicks) },
      y: { field: o.y, type: "quantitative", title: o.yTitle ?? o.y, scale: o.logY ? { type: "log" } : { zero: false }, axis: axis(o.logY, o.yFormat) },
      color: { field: o.series, type: "nominal", title: null, ...(Object.keys(colour).length ? { scale: colour } : {}) },
    },
  };
  return makePlot(spec as never, `${o.title}: ${rows.length} points`);
}
