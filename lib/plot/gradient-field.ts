import { centredDifference } from "../gradcheck/numeric";
import { Rows, toRows } from "./input";
import { contourLines } from "./marching-squares";
import { makePlot, Plot } from "./plot";
import { viridis } from "./colors";
import { pngDataURL } from "./png";

export interface GradientFieldOptions {
  /** The plotted window. */
  x: [number, number];
  y: [number, number];
  /** Grid samples per axis for the colour map and contours (default 40). */
  resolution?: number;
  /** Contour levels: a count spread over f's range (default 10), or the levels themselves. */
  levels?: number | number[];
  /** Space automatic levels geometrically (for valleys like Rosenbrock's, where f spans decades). */
  logLevels?: boolean;
  /** Arrows of -grad f per axis (0 for none). Default 15 for gradientField, 0 for contourPlot. */
  arrows?: number;
  /** The analytic gradient; by default centred differences of f. */
  grad?: (x: number, y: number) => [number, number];
  /** A descent path, points [x, y] in order (e.g. the iterates of SGD), drawn in red. */
  path?: Rows;
  title?: string;
  width?: number;
  height?: number;
}

/**
 * A 2-D function as a colour map with contour lines, optional arrows of the negative gradient
 * (the direction gradient descent steps) and an optional descent path.
 */
export function gradientField(f: (x: number, y: number) => number, opts: GradientFieldOptions): Plot {
  return fieldPlot(f, { arrows: 15, ...opts }, "gradientField");
}

/** The same picture without arrows by default: contours of f, colour map, optional path. */
export function contourPlot(f: (x: number, y: number) => number, opts: GradientFieldOptions): Plot {
  return fieldPlot(f, { arrows: 0, ...opts }, "contourPlot");
}

function fieldPlot(f: (x: number, y: number) => number, opts: GradientFieldOptions, name: string): Plot {
  if (typeof f !== "function") throw new TypeError(`${name}: first argument must be a function (x, y) => number`);
  const [xlo, xhi] = checkRange(opts.x, `${name}: x`);
  const [ylo, yhi] = checkRange(opts.y, `${name}: y`);
  const n = opts.resolution ?? 40;
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`${name}: resolution must be an integer >= 2, got ${n}`);
  const dx = (xhi - xlo) / n, dy = (yhi - ylo) / n;
  const xs = Array.from({ length: n }, (_, i) => xlo + (i + 0.5) * dx);
  const ys = Array.from({ length: n }, (_, j) => ylo + (j + 0.5) * dy);
  const values = ys.map((y) => xs.map((x) => f(x, y)));
  const finite = values.flat().filter(Number.isFinite);
  if (finite.length === 0) throw new RangeError(`${name}: f is not finite anywhere in the window`);
  const lo = Math.min(...finite), hi = Math.max(...finite);

  const logColour = Boolean(opts.logLevels && lo > 0);
  const levels = chooseLevels(opts.levels ?? 10, lo, hi, opts.logLevels ?? false, finite);
  // Contour coordinates to 5 significant digits: far below a pixel, and the spec (saved in every
  // notebook that shows the plot) shrinks by a third.
  let lineId = 0;
  const contours = levels.flatMap((level) => contourLines(values, xs, ys, level).flatMap((points) => {
    const line = lineId++;
    return points.map(([x, y]) => ({ x: short(x), y: short(y), line }));
  }));

  const xScale = { domain: [xlo, xhi], nice: false, zero: false };
  const yScale = { domain: [ylo, yhi], nice: false, zero: false };
  const pos = { x: { field: "x", type: "quantitative", scale: xScale, title: "x" }, y: { field: "y", type: "quantitative", scale: yScale, title: "y" } };
  // The colour map is one small image, a pixel per grid sample: a few kB instead of n² rectangles, and
  // browsers smooth it when scaling up, so the colours flow as f does. The colour encoding on it only
  // makes the legend (an image mark has no fill of its own); its scale is the one the pixels used.
  const layers: object[] = [
    {
      data: { values: [{ x: xlo, xend: xhi, y: ylo, yend: yhi, value: lo, url: colourMap(values, lo, hi, logColour) }] },
      mark: { type: "image", aspect: false },
      encoding: { ...pos, x2: { field: "xend" }, y2: { field: "yend" }, url: { field: "url", type: "nominal" },
        color: { field: "value", type: "quantitative", title: "f", scale: { scheme: "viridis", domain: [lo, hi], ...(logColour ? { type: "log" } : {}) } } },
    },
    {
      data: { values: contours },
      mark: { type: "line", color: "white", strokeWidth: 1.2, opacity: 0.8 },
      // Points in data order (a line mark would otherwise sort them by x and scramble a closed curve).
      encoding: { ...pos, detail: { field: "line", type: "nominal" }, order: { value: null } },
    },
  ];

  const arrows = arrowField(f, opts, [xlo, xhi], [ylo, yhi]);
  if (arrows.length) {
    layers.push(
      { data: { values: arrows }, mark: { type: "rule", color: "black", strokeWidth: 1.2 },
        encoding: { ...pos, x2: { field: "xend" }, y2: { field: "yend" } } },
      { data: { values: arrows }, mark: { type: "point", shape: "triangle", filled: true, color: "black", size: 30, opacity: 1 },
        encoding: { x: { ...pos.x, field: "xend" }, y: { ...pos.y, field: "yend" }, angle: { field: "angle", type: "quantitative", scale: null } } },
    );
  }
  let pathNote = "";
  if (opts.path !== undefined) {
    const path = toRows(opts.path, `${name}: path`, 2).map(([x, y], step) => ({ x, y, step }));
    layers.push({
      data: { values: path },
      mark: { type: "line", color: "#d62728", strokeWidth: 2, point: { color: "#d62728", size: 25 }, clip: true },
      encoding: { ...pos, order: { field: "step", type: "quantitative" } },
    });
    pathNote = `, path of ${path.length} points`;
  }
  const spec = {
    width: opts.width ?? 380,
    height: opts.height ?? 380,
    ...(opts.title ? { title: opts.title } : {}),
    config: { axis: { grid: false } }, // grid lines would cut through the colour map
    layer: layers,
  };
  return makePlot(spec as never, `${name}: f on [${xlo}, ${xhi}] x [${ylo}, ${yhi}], range [${lo.toPrecision(3)}, ${hi.toPrecision(3)}], ${levels.length} contour levels${arrows.length ? `, ${arrows.length} arrows` : ""}${pathNote}`);
}

/** The grid's values as viridis pixels (top row = largest y); where f is not finite, transparent. */
function colourMap(values: number[][], lo: number, hi: number, log: boolean): string {
  const n = values.length, m = values[0].length;
  const rgba = new Uint8Array(n * m * 4);
  const t = log ? (v: number) => Math.log(v / lo) / Math.log(hi / lo) : (v: number) => (v - lo) / (hi - lo || 1);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      const v = values[n - 1 - j][i], at = (j * m + i) * 4;
      if (!Number.isFinite(v)) continue;
      rgba.set([...viridis(t(v)), 255], at);
    }
  }
  return pngDataURL(m, n, rgba);
}

/** Arrows of constant screen length pointing along -grad f (directions are correct on screen even when x and y ranges differ). */
function arrowField(f: (x: number, y: number) => number, opts: GradientFieldOptions, [xlo, xhi]: number[], [ylo, yhi]: number[]) {
  const m = opts.arrows ?? 0;
  const xr = xhi - xlo, yr = yhi - ylo;
  const h = 1e-5 * Math.max(xr, yr);
  const grad = opts.grad ?? ((x: number, y: number): [number, number] =>
    [centredDifference((s) => f(x + s, y), h), centredDifference((s) => f(x, y + s), h)]);
  const out: { x: number; y: number; xend: number; yend: number; angle: number }[] = [];
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < m; i++) {
      const x = xlo + ((i + 0.5) / m) * xr, y = ylo + ((j + 0.5) / m) * yr;
      const [gx, gy] = grad(x, y);
      // Direction on screen (fractions of the window), normalised, 60% of an arrow cell long.
      const sx = -gx * xr, sy = -gy * yr, len = Math.hypot(sx, sy);
      if (!(len > 0) || !Number.isFinite(len)) continue;
      const ux = sx / len, uy = sy / len, L = 0.6 / m;
      out.push({ x: short(x), y: short(y), xend: short(x + ux * L * xr), yend: short(y + uy * L * yr), angle: short((Math.atan2(ux, uy) * 180) / Math.PI) });
    }
  }
  return out;
}

const short = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(5)) : v);

function chooseLevels(levels: number | number[], lo: number, hi: number, log: boolean, finite: number[]): number[] {
  if (Array.isArray(levels)) return levels;
  if (!Number.isInteger(levels) || levels < 1) throw new RangeError(`levels must be a positive integer or an array, got ${levels}`);
  if (hi === lo) return [];
  if (log) {
    const positive = finite.filter((v) => v > 0);
    const a = Math.log(Math.min(...positive)), b = Math.log(hi);
    return Array.from({ length: levels }, (_, k) => Math.exp(a + ((k + 1) / (levels + 1)) * (b - a)));
  }
  return Array.from({ length: levels }, (_, k) => lo + ((k + 1) / (levels + 1)) * (hi - lo));
}

function checkRange(r: unknown, what: string): [number, number] {
  if (!Array.isArray(r) || r.length !== 2 || !r.every(Number.isFinite) || !(r[0] < r[1])) {
    throw new RangeError(`${what}: expected a window [min, max] with min < max, got ${JSON.stringify(r)}`);
  }
  return [r[0], r[1]];
}
