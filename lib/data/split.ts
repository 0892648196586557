import { Random } from "../tensor";
import { Dataset, Split, subset } from "./dataset";
import { Standardizer } from "./preprocess";

export interface SplitOptions {
  /** Fraction held out for testing (default 0.2). */
  testFraction?: number;
  seed?: number;
}

/**
 * Train/test split that keeps each class's share the same in both parts (each class contributes
 * round(count · testFraction) test rows). Seeded: the same seed gives the same split everywhere.
 */
export function stratifiedSplit(ds: Dataset, opts: SplitOptions = {}): Split {
  const testFraction = opts.testFraction ?? 0.2;
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`stratifiedSplit: testFraction must be between 0 and 1 (exclusive), got ${testFraction}`);
  const rng = new Random(opts.seed ?? 0);
  const byClass = new Map<number, number[]>();
  ds.y.data.forEach((label, i) => {
    if (!byClass.has(label)) byClass.set(label, []);
    byClass.get(label)!.push(i);
  });
  const train: number[] = [], test: number[] = [];
  for (const label of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = rng.shuffle(byClass.get(label)!);
    const k = Math.round(rows.length * testFraction);
    test.push(...rows.slice(0, k));
    train.push(...rows.slice(k));
  }
  if (train.length === 0 || test.length === 0) {
    throw new RangeError(`stratifiedSplit: ${ds.y.size} rows with testFraction ${testFraction} leave an empty ${train.length ? "test" : "train"} set`);
  }
  return { train: subset(ds, rng.shuffle(train)), test: subset(ds, rng.shuffle(test)) };
}

export interface TrainValTestOptions {
  /** Fraction of all rows held out for the final test (default 0.2). */
  testFraction?: number;
  /** Fraction of the remaining training rows used for validation (model selection; default 0.1). */
  valFraction?: number;
  /** Standardise all three with the training part's statistics (default true). */
  standardize?: boolean;
  seed?: number;
}

/**
 * The usual protocol in one call: a stratified test split (touched once, at the end), a stratified
 * validation split of the rest (for choosing epochs or hyper-parameters), and standardisation by the
 * training statistics. Seeded.
 */
export function trainValTestSplit(ds: Dataset, opts: TrainValTestOptions = {}): { train: Dataset; val: Dataset; test: Dataset; standardizer?: Standardizer } {
  const seed = opts.seed ?? 0;
  const outer = stratifiedSplit(ds, { testFraction: opts.testFraction ?? 0.2, seed });
  const inner = stratifiedSplit(outer.train, { testFraction: opts.valFraction ?? 0.1, seed: seed + 1 });
  if (opts.standardize === false) return { train: inner.train, val: inner.test, test: outer.test };
  const s = Standardizer.fit(inner.train.X);
  const apply = (d: Dataset): Dataset => ({ ...d, X: s.transform(d.X) });
  return { train: apply(inner.train), val: apply(inner.test), test: apply(outer.test), standardizer: s };
}
