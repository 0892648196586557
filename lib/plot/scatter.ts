import { classScale, distinct } from "./colors";
import { Numbers, Rows, toNumbers, toRows } from "./input";
import { makePlot, Plot } from "./plot";

export interface ScatterOptions {
  title?: string;
  width?: number;
  height?: number;
  xTitle?: string;
  yTitle?: string;
}

/** Points `[x, y]` of a 2-D data set, coloured by class label when labels are given. */
export function scatter(X: Rows, y?: Numbers, opts: ScatterOptions = {}): Plot {
  const points = toRows(X, "scatter: X", 2);
  const labels = y === undefined ? undefined : toNumbers(y, "scatter: y");
  if (labels && labels.length !== points.length) {
    throw new RangeError(`scatter: X has ${points.length} points but y has ${labels.length} labels`);
  }
  const classes = labels ? distinct(labels) : [];
  const spec = {
    width: opts.width ?? 360,
    height: opts.height ?? 360,
    ...(opts.title ? { title: opts.title } : {}),
    data: { values: points.map(([a, b], i) => ({ x1: a, x2: b, ...(labels ? { label: String(labels[i]) } : {}) })) },
    layer: [pointLayer(labels !== undefined, classes, opts)],
  };
  return makePlot(spec as never, `scatter: ${points.length} points` + (labels ? `, ${classes.length} classes` : ""));
}

/** The points layer, shared with decisionBoundary: white-rimmed dots as in the Playground. */
export function pointLayer(labelled: boolean, classes: number[], opts: { xTitle?: string; yTitle?: string }): object {
  return {
    mark: { type: "point", filled: true, size: 40, stroke: "white", strokeWidth: 0.8, opacity: 1 },
    encoding: {
      x: { field: "x1", type: "quantitative", title: opts.xTitle ?? "x1", scale: { zero: false, nice: false } },
      y: { field: "x2", type: "quantitative", title: opts.yTitle ?? "x2", scale: { zero: false, nice: false } },
      ...(labelled ? { color: { field: "label", type: "nominal", title: "class", scale: classScale(classes) } } : {}),
    },
  };
}
