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

/** Matplotlib's viridis at eleven evenly spaced stops (the scheme Vega calls "viridis"). */
const VIRIDIS = ["#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725"]
  .map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));

/** Viridis at t in [0, 1] as [r, g, b], interpolated linearly between the stops. */
export function viridis(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const k = Math.min(VIRIDIS.length - 2, Math.floor(x)), f = x - k;
  const [a, b] = [VIRIDIS[k], VIRIDIS[k + 1]];
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f)) as [number, number, number];
}
