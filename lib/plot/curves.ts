import { Numbers, toNumbers } from "./input";
import { makePlot, Plot } from "./plot";

export interface CurveOptions {
  title?: string;
  /** What one step on the x axis is ("iteration", "epoch"). */
  xTitle?: string;
  width?: number;
  height?: number;
  /** The legend's name for the second series (default "val"; e.g. "test" when that is what it is). */
  valLabel?: string;
}

export interface LossCurveOptions extends CurveOptions {
  /** Validation losses (drawn as a second line; may be shorter, e.g. one per epoch). */
  val?: Numbers;
  /** Log-scale y axis: makes slow late progress visible. Non-positive losses are dropped then. */
  logScale?: boolean;
}

/** A training history as the Trainer records it, or any object with these fields. */
export interface LossHistory { loss: Numbers; valLoss?: Numbers }
export interface AccuracyHistory { trainAcc: Numbers; valAcc?: Numbers }

function series(name: string, values: number[], stretchTo: number): { step: number; value: number; series: string }[] {
  // A shorter series (one value per epoch next to one per iteration) is spread over the same x range.
  const scale = values.length > 1 && stretchTo > values.length ? (stretchTo - 1) / (values.length - 1) : 1;
  return values.map((value, i) => ({ step: i * scale, value, series: name }));
}

function line(rows: { series: string }[], yTitle: string, opts: CurveOptions, yScale: object, xTitle: string): object {
  // The legend lists only the series that have points: no "val" entry when there is no validation data.
  const present = ["train", "val"].filter((name) => rows.some((r) => r.series === name));
  const palette: Record<string, string> = { train: "#1f77b4", val: "#ff7f0e" };
  const shown = (name: string) => (name === "val" ? opts.valLabel ?? "val" : name);
  if (opts.valLabel) for (const r of rows) r.series = shown(r.series);
  return {
    width: opts.width ?? 420,
    height: opts.height ?? 260,
    ...(opts.title ? { title: opts.title } : {}),
    data: { values: rows },
    mark: { type: "line", interpolate: "linear", clip: true },
    encoding: {
      x: { field: "step", type: "quantitative", title: xTitle },
      y: { field: "value", type: "quantitative", title: yTitle, scale: yScale },
      color: { field: "series", type: "nominal", title: null, scale: { domain: present.map(shown), range: present.map((name) => palette[name]) } },
    },
  };
}

/** Loss against iterations, training (and validation) as lines; `logScale` for a log y axis. */
export function lossCurve(loss: Numbers | LossHistory, opts: LossCurveOptions = {}): Plot {
  const history = isHistory<LossHistory>(loss, "loss") ? loss : { loss, valLoss: opts.val };
  const train = toNumbers(history.loss, "lossCurve: loss");
  if (train.length === 0) throw new RangeError("lossCurve: no loss values to plot");
  const val = history.valLoss !== undefined ? toNumbers(history.valLoss, "lossCurve: val") : [];
  const keep = (v: number) => Number.isFinite(v) && (!opts.logScale || v > 0);
  const rows = [...series("train", train, train.length), ...series("val", val, train.length)].filter((r) => keep(r.value));
  const spec = line(rows, "loss", opts, opts.logScale ? { type: "log" } : { zero: false }, opts.xTitle ?? "iteration");
  const last = train[train.length - 1];
  return makePlot(spec as never, `loss curve: ${train.length} points, first ${fmt(train[0])}, last ${fmt(last)}` +
    (val.length ? `, last val ${fmt(val[val.length - 1])}` : "") + (opts.logScale ? " (log scale)" : ""));
}

/** Accuracy per epoch for training and validation, y from 0 to 1. */
export function accuracyCurve(acc: Numbers | AccuracyHistory, opts: CurveOptions & { val?: Numbers } = {}): Plot {
  const history = isHistory<AccuracyHistory>(acc, "trainAcc") ? acc : { trainAcc: acc, valAcc: opts.val };
  const train = toNumbers(history.trainAcc, "accuracyCurve: train accuracy");
  if (train.length === 0) throw new RangeError("accuracyCurve: no accuracy values to plot");
  const val = history.valAcc !== undefined ? toNumbers(history.valAcc, "accuracyCurve: val accuracy") : [];
  const rows = [...series("train", train, train.length), ...series("val", val, train.length)].filter((r) => Number.isFinite(r.value));
  const spec = line(rows, "accuracy", opts, { domain: [0, 1] }, opts.xTitle ?? "epoch");
  (spec as { mark: object }).mark = { type: "line", point: true };
  return makePlot(spec as never, `accuracy curve: ${train.length} points, last train ${fmt(train[train.length - 1])}` +
    (val.length ? `, last val ${fmt(val[val.length - 1])}` : ""));
}

function isHistory<T>(x: unknown, key: string): x is T {
  return x !== null && typeof x === "object" && key in (x as object) && typeof (x as { toArray?: unknown }).toArray !== "function";
}

export function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString();
}
