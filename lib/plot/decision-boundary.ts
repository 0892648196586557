import { classScale, distinct } from "./colors";
import { Numbers, Rows, toNumbers, toRows } from "./input";
import { makePlot, Plot } from "./plot";
import { pointLayer, ScatterOptions } from "./scatter";

export interface DecisionBoundaryOptions extends ScatterOptions {
  /** Grid cells per axis (default 50). */
  resolution?: number;
  /** Margin around the data, as a fraction of its range (default 0.1). */
  padding?: number;
}

/**
 * The Playground picture: the classifier's predicted class over a grid, pale, behind the data points.
 * `predict` gets grid points as rows `[x1, x2]` and returns one class label per row (wrap a network
 * with `(P) => net.predict(tensor(P)).toFlat()` or similar).
 */
export function decisionBoundary(
  predict: (points: number[][]) => Numbers,
  X: Rows,
  y: Numbers,
  opts: DecisionBoundaryOptions = {},
): Plot {
  if (typeof predict !== "function") throw new TypeError("decisionBoundary: first argument must be a predict function (points => labels)");
  const points = toRows(X, "decisionBoundary: X", 2);
  const labels = toNumbers(y, "decisionBoundary: y");
  if (labels.length !== points.length) {
    throw new RangeError(`decisionBoundary: X has ${points.length} points but y has ${labels.length} labels`);
  }
  if (points.length === 0) throw new RangeError("decisionBoundary: no points");
  const n = opts.resolution ?? 50;
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`decisionBoundary: resolution must be an integer >= 2, got ${n}`);
  const [x0, x1] = paddedRange(points.map((p) => p[0]), opts.padding ?? 0.1);
  const [y0, y1] = paddedRange(points.map((p) => p[1]), opts.padding ?? 0.1);
  const dx = (x1 - x0) / n, dy = (y1 - y0) / n;
  const centres: number[][] = [];
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) centres.push([x0 + (i + 0.5) * dx, y0 + (j + 0.5) * dy]);
  const predicted = toNumbers(predict(centres), "decisionBoundary: predict(grid)");
  if (predicted.length !== centres.length) {
    throw new RangeError(`decisionBoundary: predict returned ${predicted.length} labels for ${centres.length} grid points`);
  }
  const classes = distinct([...labels, ...predicted]);
  const scale = classScale(classes);
  const grid = centres.map(([cx, cy], k) => ({
    x1: cx - dx / 2, x1end: cx + dx / 2, x2: cy - dy / 2, x2end: cy + dy / 2, label: String(predicted[k]),
  }));
  const spec = {
    width: opts.width ?? 360,
    height: opts.height ?? 360,
    ...(opts.title ? { title: opts.title } : {}),
    config: { axis: { grid: false } }, // grid lines would cut through the coloured regions
    layer: [
      {
        data: { values: grid },
        mark: { type: "rect", opacity: 0.35, strokeWidth: 0 },
        encoding: {
          x: { field: "x1", type: "quantitative", scale: { domain: [x0, x1], nice: false, zero: false } },
          x2: { field: "x1end" },
          y: { field: "x2", type: "quantitative", scale: { domain: [y0, y1], nice: false, zero: false } },
          y2: { field: "x2end" },
          color: { field: "label", type: "nominal", title: "class", scale },
        },
      },
      { data: { values: points.map(([a, b], i) => ({ x1: a, x2: b, label: String(labels[i]) })) }, ...pointLayer(true, classes, opts) },
    ],
  };
  return makePlot(spec as never, `decision boundary: ${n}x${n} grid, ${points.length} points, ${classes.length} classes`);
}

function paddedRange(v: number[], padding: number): [number, number] {
  let lo = Math.min(...v), hi = Math.max(...v);
  if (hi === lo) { lo -= 1; hi += 1; }
  const pad = (hi - lo) * padding;
  return [lo - pad, hi + pad];
}
