import { Numbers, Rows, toNumbers, toRows } from "./input";
import { makePlot, Plot } from "./plot";
import { GREYS, RED_BLUE, ramp } from "./colors";
import { pngDataURL } from "./png";

export interface ImageGridOptions {
  /** Image size in pixels; each row of `images` has width*height values, row-major (default 8x8, the digits). */
  width?: number;
  height?: number;
  /** Images per row of the grid (default 10). */
  columns?: number;
  /** A caption under each image, e.g. the label, or "7 (pred 1)". */
  captions?: (string | number)[];
  /** Draw at most this many images (default 100). */
  limit?: number;
  /** Screen pixels per image pixel (default 4). */
  scale?: number;
  title?: string;
  /** Signed values (e.g. first-layer weights shown as images): red below 0, blue above, white at 0. */
  diverging?: boolean;
}

/**
 * Small images side by side, each with an optional caption: the digits (grey, dark ink on white), or
 * with `diverging` signed maps such as a first-layer weight column reshaped to 8×8 (CS231n's templates).
 */
export function imageGrid(images: Rows, opts: ImageGridOptions = {}): Plot {
  const w = opts.width ?? 8, h = opts.height ?? 8;
  const all = toRows(images, "imageGrid: images");
  if (all.length === 0) throw new RangeError("imageGrid: no images");
  if (all[0].length !== w * h) {
    throw new RangeError(`imageGrid: each image has ${all[0].length} pixels but width*height is ${w}*${h} = ${w * h}; pass { width, height }`);
  }
  const shown = all.slice(0, opts.limit ?? 100);
  const columns = Math.min(opts.columns ?? 10, shown.length);
  const captions = opts.captions?.slice(0, shown.length).map(String);
  const gap = 1, captionRows = captions ? 2 : 0;
  const ink = inkColour(shown, opts.diverging ?? false);
  // Each image is one small PNG drawn without smoothing (crisp pixels), not w·h rectangles: the grid of
  // 20 digits in notebook 10 is a few kB instead of 150.
  const pictures: { px: number; px2: number; py: number; py2: number; url: string }[] = [];
  const labels: { px: number; py: number; text: string }[] = [];
  shown.forEach((img, k) => {
    const ox = (k % columns) * (w + gap), oy = Math.floor(k / columns) * (h + gap + captionRows);
    const rgba = new Uint8Array(w * h * 4);
    img.forEach((v, p) => { if (Number.isFinite(v)) rgba.set([...ink(v), 255], p * 4); });
    pictures.push({ px: ox, px2: ox + w, py: oy, py2: oy + h, url: pngDataURL(w, h, rgba) });
    if (captions) labels.push({ px: ox + w / 2, py: oy + h + 1.3, text: captions[k] ?? "" });
  });
  const gridW = columns * (w + gap) - gap, gridH = Math.ceil(shown.length / columns) * (h + gap + captionRows) - gap;
  const s = opts.scale ?? 4;
  const xScale = { domain: [0, gridW], nice: false, zero: false };
  const yScale = { domain: [0, gridH], nice: false, zero: false, reverse: true };
  const hidden = { axis: null };
  const spec = {
    width: gridW * s,
    height: gridH * s,
    ...(opts.title ? { title: opts.title } : {}),
    config: { view: { stroke: null } },
    layer: [
      {
        data: { values: pictures },
        mark: { type: "image", aspect: false, smooth: false },
        encoding: {
          x: { field: "px", type: "quantitative", scale: xScale, ...hidden }, x2: { field: "px2" },
          y: { field: "py", type: "quantitative", scale: yScale, ...hidden }, y2: { field: "py2" },
          url: { field: "url", type: "nominal" },
        },
      },
      ...(captions ? [{
        data: { values: labels },
        // Captions grow with the images, up to a size that reads from the back of the room.
        mark: { type: "text", baseline: "middle", fontSize: Math.max(9, Math.min(24, s * 2.5)) },
        encoding: {
          x: { field: "px", type: "quantitative", scale: xScale, ...hidden },
          y: { field: "py", type: "quantitative", scale: yScale, ...hidden },
          text: { field: "text" },
        },
      }] : []),
    ],
  };
  return makePlot(spec as never, `image grid: ${shown.length} of ${all.length} images, ${w}x${h} pixels`);
}

/**
 * Dark ink on white for pixel intensities (Vega's "greys" from 0, or the smallest value, to the
 * largest); red-white-blue symmetric about 0 for signed values ("redblue").
 */
function inkColour(images: number[][], diverging: boolean): (v: number) => [number, number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const img of images) for (const v of img) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!diverging) {
    const from = Math.min(0, lo), to = Math.max(hi, 1e-12);
    return (v) => ramp(GREYS, (v - from) / (to - from || 1));
  }
  const extent = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  return (v) => ramp(RED_BLUE, (v + extent) / (2 * extent));
}

/** Convenience: captions "label" or "label→prediction" for a digits grid. */
export function digitCaptions(labels: Numbers, predictions?: Numbers): string[] {
  const l = toNumbers(labels, "digitCaptions: labels");
  const p = predictions === undefined ? undefined : toNumbers(predictions, "digitCaptions: predictions");
  return l.map((v, i) => (p && p[i] !== v ? `${v}→${p[i]}` : String(v)));
}
