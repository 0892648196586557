import { Random } from "../tensor";
import { Dataset, subset } from "./dataset";

/**
 * Row indices of the mini-batches of one epoch: a permutation of 0..n-1 (when shuffled) cut into
 * pieces of batchSize; the last one may be smaller. Shuffling uses `rng`, so a seeded generator
 * gives the same batches every run.
 */
export function batchIndices(n: number, batchSize: number, opts: { shuffle?: boolean; rng?: Random } = {}): number[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a whole number >= 1, got ${batchSize}`);
  const shuffle = opts.shuffle ?? true;
  if (shuffle && !opts.rng) throw new TypeError("batchIndices: shuffling needs a seeded generator: pass { rng: new Random(seed) }");
  const order = shuffle ? opts.rng!.permutation(n) : Array.from({ length: n }, (_, i) => i);
  const out: number[][] = [];
  for (let s = 0; s < n; s += batchSize) out.push(order.slice(s, s + batchSize));
  return out;
}

/** The mini-batches of one epoch as data sets. */
export function* batches(ds: Dataset, batchSize: number, opts: { shuffle?: boolean; rng?: Random } = {}): Generator<Dataset> {
  for (const idx of batchIndices(ds.X.shape[0], batchSize, opts)) yield subset(ds, idx);
}
