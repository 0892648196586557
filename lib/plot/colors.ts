/**
 * Class colours. Two classes get the TensorFlow Playground's orange (class 0) and blue (class 1), so the
 * lecture's pictures match the Playground; more classes get a categorical palette.
 */
export const PLAYGROUND = ["#f59322", "#0877bd"];
const CATEGORICAL = ["#0877bd", "#f59322", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

export function classScale(classes: number[]): { domain: string[]; range: string[] } {
  const domain = classes.map(String);
  return { domain, range: classes.length <= 2 ? PLAYGROUND.slice(0, classes.length) : domain.map((_, i) => CATEGORICAL[i % CATEGORICAL.length]) };
}

/** Sorted distinct labels. */
export function distinct(labels: number[]): number[] {
  return [...new Set(labels)].sort((a, b) => a - b);
}

/**
 * Vega's own continuous schemes (vega-scale's stops), so raster layers drawn in Node match the colours
 * and legends Vega draws: "viridis", "greys" (light grey to near black), "redblue".
 */
export const VIRIDIS = hexStops("440154470e61481a6c482575472f7d443a834144873d4e8a39568c35608d31688e2d708e2a788e27818e23888e21918d1f988b1fa08822a8842ab07f35b77943bf7154c56866cc5d7ad1518fd744a5db36bcdf27d2e21be9e51afde725");
export const GREYS = hexStops("e2e2e2d4d4d4c4c4c4b1b1b19d9d9d8888887575756262624d4d4d3535351e1e1e");
export const RED_BLUE = hexStops("8c0d25bf363adf745ef4ae91fbdbc9f2efeed2e5ef9dcae15da2cb2f78b3134b85");

function hexStops(packed: string): number[][] {
  return Array.from({ length: packed.length / 6 }, (_, k) => [0, 2, 4].map((i) => parseInt(packed.slice(6 * k + i, 6 * k + i + 2), 16)));
}

/** A colour scheme at t in [0, 1] as [r, g, b], interpolated linearly between its stops; for raster layers drawn in Node. */
export function ramp(stops: number[][], t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const k = Math.min(stops.length - 2, Math.floor(x)), f = x - k;
  const [a, b] = [stops[k], stops[k + 1]];
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f)) as [number, number, number];
}

export const viridis = (t: number) => ramp(VIRIDIS, t);
