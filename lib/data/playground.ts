import { Random } from "../tensor";
import { dataset, Dataset, Split, subset } from "./dataset";

/**
 * The TensorFlow Playground's four classification sets, generated as the Playground does
 * (playground/src/dataset.ts) but from a seeded generator. Labels are 0 (the Playground's orange, -1)
 * and 1 (its blue, +1), ready for softmax or logistic losses.
 */
export interface PlaygroundOptions {
  /** Number of points (default 500, the Playground's). */
  n?: number;
  /** The Playground's noise slider as a fraction: 0 to 0.5 (its 0-50). Default 0. */
  noise?: number;
  /** Fraction of points for training (the Playground's "ratio of training to test data"; default 0.5). */
  trainRatio?: number;
  seed?: number;
}

/** All points, and the same points shuffled and split into train and test. */
export type PlaygroundData = Dataset & Split;

type Generate = (n: number, noise: number, rng: Random) => { points: number[][]; labels: number[] };

/** Class 1 inside radius 2.5, class 0 in the ring 3.5..5; noise shifts the point used for labelling. */
export function circle(opts: PlaygroundOptions = {}): PlaygroundData {
  return make("circle", opts, (n, noise, rng) => {
    const radius = 5, points: number[][] = [], labels: number[] = [];
    const add = (rLo: number, rHi: number) => {
      const r = rng.uniform(rLo, rHi), angle = rng.uniform(0, 2 * Math.PI);
      const x = r * Math.sin(angle), y = r * Math.cos(angle);
      const nx = rng.uniform(-radius, radius) * noise, ny = rng.uniform(-radius, radius) * noise;
      points.push([x, y]);
      labels.push(Math.hypot(x + nx, y + ny) < radius * 0.5 ? 1 : 0);
    };
    for (let i = 0; i < n / 2; i++) add(0, radius * 0.5);
    for (let i = 0; i < n / 2; i++) add(radius * 0.7, radius);
    return { points, labels };
  });
}

/** Class 1 where x·y ≥ 0 (quadrants I and III), with a 0.3 gap along the axes. */
export function xor(opts: PlaygroundOptions = {}): PlaygroundData {
  return make("xor", opts, (n, noise, rng) => {
    const points: number[][] = [], labels: number[] = [], padding = 0.3;
    for (let i = 0; i < n; i++) {
      let x = rng.uniform(-5, 5);
      x += x > 0 ? padding : -padding;
      let y = rng.uniform(-5, 5);
      y += y > 0 ? padding : -padding;
      const nx = rng.uniform(-5, 5) * noise, ny = rng.uniform(-5, 5) * noise;
      points.push([x, y]);
      labels.push((x + nx) * (y + ny) >= 0 ? 1 : 0);
    }
    return { points, labels };
  });
}

/** Two Gaussian blobs at (2, 2) (class 1) and (-2, -2) (class 0); noise widens them (variance 0.5..4). */
export function gauss(opts: PlaygroundOptions = {}): PlaygroundData {
  return make("gauss", opts, (n, noise, rng) => {
    const variance = 0.5 + (noise / 0.5) * 3.5, std = Math.sqrt(variance);
    const points: number[][] = [], labels: number[] = [];
    for (const [c, label] of [[2, 1], [-2, 0]]) {
      for (let i = 0; i < n / 2; i++) {
        points.push([rng.normal(c, std), rng.normal(c, std)]);
        labels.push(label);
      }
    }
    return { points, labels };
  });
}

/** Two interleaved spiral arms, 1.75 turns each; noise jitters the points. */
export function spiral(opts: PlaygroundOptions = {}): PlaygroundData {
  return make("spiral", opts, (n, noise, rng) => {
    const half = n / 2, points: number[][] = [], labels: number[] = [];
    for (const [deltaT, label] of [[0, 1], [Math.PI, 0]]) {
      for (let i = 0; i < half; i++) {
        const r = (i / half) * 5, t = ((1.75 * i) / half) * 2 * Math.PI + deltaT;
        points.push([r * Math.sin(t) + rng.uniform(-1, 1) * noise, r * Math.cos(t) + rng.uniform(-1, 1) * noise]);
        labels.push(label);
      }
    }
    return { points, labels };
  });
}

function make(name: string, opts: PlaygroundOptions, generate: Generate): PlaygroundData {
  const n = opts.n ?? 500, noise = opts.noise ?? 0, trainRatio = opts.trainRatio ?? 0.5;
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`data.${name}: n must be a whole number >= 2, got ${n}`);
  if (!(noise >= 0 && noise <= 1)) throw new RangeError(`data.${name}: noise is a fraction (the Playground's 0-50% is 0..0.5), got ${noise}`);
  if (!(trainRatio > 0 && trainRatio < 1)) throw new RangeError(`data.${name}: trainRatio must be between 0 and 1 (exclusive), got ${trainRatio}`);
  const rng = new Random(opts.seed ?? 0);
  const { points, labels } = generate(n, noise, rng);
  const all = dataset(points, labels, ["0", "1"]);
  // As the Playground does: shuffle, then the first trainRatio of the points train.
  const order = rng.permutation(points.length);
  const cut = Math.floor(points.length * trainRatio);
  return { ...all, train: subset(all, order.slice(0, cut)), test: subset(all, order.slice(cut)) };
}
