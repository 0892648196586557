import { Tensor } from "../tensor";
import { classScale, distinct, PLAYGROUND } from "./colors";
import { Numbers, Rows, toNumbers, toRows } from "./input";
import { makePlot, Plot } from "./plot";
import { pointLayer, ScatterOptions } from "./scatter";

export interface DecisionBoundaryOptions extends ScatterOptions {
  /** Grid cells per axis (default 100; with class labels, each row's runs of one class are drawn as one rectangle). */
  resolution?: number;
  /** Margin around the data, as a fraction of its range (default 0.1). */
  padding?: number;
  /**
   * Two classes only: `predict` returns the probability of class 1 (0..1) instead of a label, and the
   * background shades from orange through white to blue as in the Playground, so the confidence shows.
   */
  probability?: boolean;
}

/** A function from grid points to labels (or probabilities), or a model with `predict(X: Tensor)` such as nn.MLP. */
export type Predictor = ((points: number[][]) => Numbers) | { predict(X: Tensor): Numbers };

/**
 * The Playground picture: the classifier's predicted class over a grid, pale, behind the data points.
 * `predict` gets grid points as rows `[x1, x2]` and returns one class label per row; a model with a
 * `predict(X)` method (nn.MLP, nn.TwoLayerNet) may be passed directly.
 */
export function decisionBoundary(
  predictor: Predictor,
  X: Rows,
  y: Numbers,
  opts: DecisionBoundaryOptions = {},
): Plot {
  const predict = toPredict(predictor);
  const points = toRows(X, "decisionBoundary: X", 2);
  const labels = toNumbers(y, "decisionBoundary: y");
  if (labels.length !== points.length) {
    throw new RangeError(`decisionBoundary: X has ${points.length} points but y has ${labels.length} labels`);
  }
  if (points.length === 0) throw new RangeError("decisionBoundary: no points");
  const n = opts.resolution ?? 100;
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
  if (opts.probability && predicted.some((p) => !(p >= 0 && p <= 1))) {
    throw new RangeError("decisionBoundary: with probability: true, predict must return values in [0, 1] (the probability of class 1)");
  }
  const classes = distinct(opts.probability ? labels : [...labels, ...predicted]);
  if (opts.probability && classes.some((c) => c !== 0 && c !== 1)) {
    throw new RangeError(`decisionBoundary: probability: true is for two classes labelled 0 and 1, got labels ${classes.join(", ")}`);
  }
  const scale = classScale(classes);
  const grid = opts.probability
    ? centres.map(([cx, cy], k) => ({ x1: cx - dx / 2, x1end: cx + dx / 2, x2: cy - dy / 2, x2end: cy + dy / 2, p: predicted[k] }))
    : classRuns(predicted, n, [x0, y0], [dx, dy]);
  // Pale colours drawn opaque (not see-through): neighbouring rectangles then meet without the faint
  // seams that anti-aliasing leaves between translucent ones, and each outline in its own fill hides the rest.
  const background = opts.probability
    ? { field: "p", type: "quantitative", title: "P(class 1)", scale: { domain: [0, 0.5, 1], range: [pale(PLAYGROUND[0], 0.6), "#ffffff", pale(PLAYGROUND[1], 0.6)], interpolate: "rgb" } }
    : { field: "label", type: "nominal", legend: null, scale: { domain: scale.domain, range: scale.range.map((c) => pale(c, 0.35)) } };
  const spec = {
    width: opts.width ?? 360,
    height: opts.height ?? 360,
    ...(opts.title ? { title: opts.title } : {}),
    config: { axis: { grid: false } }, // grid lines would cut through the coloured regions
    // The background's colours and the points' are different scales; the legend shows the points'.
    resolve: { scale: { color: "independent", stroke: "independent" } },
    layer: [
      {
        data: { values: grid },
        mark: { type: "rect", strokeWidth: 1 },
        encoding: {
          x: { field: "x1", type: "quantitative", scale: { domain: [x0, x1], nice: false, zero: false } },
          x2: { field: "x1end" },
          y: { field: "x2", type: "quantitative", scale: { domain: [y0, y1], nice: false, zero: false } },
          y2: { field: "x2end" },
          color: background,
          stroke: { ...background, legend: null },
        },
      },
      { data: { values: points.map(([a, b], i) => ({ x1: a, x2: b, label: String(labels[i]) })) }, ...pointLayer(true, classes, opts) },
    ],
  };
  return makePlot(spec as never, `decision boundary: ${n}x${n} grid, ${points.length} points, ${classes.length} classes`);
}

/**
 * The class regions as one rectangle per run of equal predictions along a grid row: the same picture
 * as one cell per grid point, with a fraction of the marks (so a fine grid stays small in a notebook).
 */
function classRuns(predicted: number[], n: number, [x0, y0]: number[], [dx, dy]: number[]) {
  const runs: { x1: number; x1end: number; x2: number; x2end: number; label: string }[] = [];
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; ) {
      const label = predicted[j * n + i];
      let end = i + 1;
      while (end < n && predicted[j * n + end] === label) end++;
      runs.push({ x1: x0 + i * dx, x1end: x0 + end * dx, x2: y0 + j * dy, x2end: y0 + (j + 1) * dy, label: String(label) });
      i = end;
    }
  }
  return runs;
}

/** The colour as it looks at the given opacity over white. */
function pale(hex: string, opacity: number): string {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return "#" + channels.map((c) => Math.round(255 - (255 - c) * opacity).toString(16).padStart(2, "0")).join("");
}

function paddedRange(v: number[], padding: number): [number, number] {
  let lo = Math.min(...v), hi = Math.max(...v);
  if (hi === lo) { lo -= 1; hi += 1; }
  const pad = (hi - lo) * padding;
  return [lo - pad, hi + pad];
}

function toPredict(p: Predictor): (points: number[][]) => Numbers {
  if (typeof p === "function") return p;
  if (p && typeof (p as { predict?: unknown }).predict === "function") {
    return (points) => (p as { predict(X: Tensor): Numbers }).predict(Tensor.from(points));
  }
  throw new TypeError("decisionBoundary: first argument must be a predict function (points => labels) or a model with predict(X)");
}
