import { Random } from "../tensor";
import { Dataset, Split, subset } from "./dataset";

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
