import { Random } from "../tensor";
import { dataset, Dataset } from "./dataset";

export interface SpiralOptions {
  /** Points per class (CS231n: 100). */
  pointsPerClass?: number;
  /** Number of arms, one class each (CS231n: 3). */
  classes?: number;
  /** Standard deviation of the angle noise (CS231n: 0.2). */
  noise?: number;
  seed?: number;
}

/**
 * The spiral of CS231n's "Putting it together: minimal neural network case study": K arms, radius
 * from 0 to 1, angle from 4j to 4(j+1) plus Gaussian noise. Not linearly separable: a linear classifier
 * stays near 50% on 3 classes while a small two-layer network fits it.
 */
export function cs231nSpiral(opts: SpiralOptions = {}): Dataset {
  const N = opts.pointsPerClass ?? 100, K = opts.classes ?? 3, noise = opts.noise ?? 0.2;
  if (!Number.isInteger(N) || N < 2) throw new RangeError(`cs231nSpiral: pointsPerClass must be a whole number >= 2, got ${N}`);
  if (!Number.isInteger(K) || K < 1) throw new RangeError(`cs231nSpiral: classes must be a whole number >= 1, got ${K}`);
  const rng = new Random(opts.seed ?? 0);
  const points: number[][] = [], labels: number[] = [];
  for (let j = 0; j < K; j++) {
    for (let i = 0; i < N; i++) {
      const r = i / (N - 1);
      const t = j * 4 + (4 * i) / (N - 1) + rng.normal() * noise;
      points.push([r * Math.sin(t), r * Math.cos(t)]);
      labels.push(j);
    }
  }
  return dataset(points, labels, Array.from({ length: K }, (_, j) => String(j)));
}
