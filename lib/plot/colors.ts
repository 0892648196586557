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
