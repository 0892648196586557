/**
 * A seeded pseudo-random generator: the same seed gives the same numbers on every machine and in every
 * run, so a lecture's figures and a student's grade are reproducible. xoshiro128** (32-bit integer
 * arithmetic only, hence identical everywhere), seeded through splitmix32; normals by Box-Muller.
 */
export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;

  constructor(seed = 0) {
    if (!Number.isFinite(seed)) throw new TypeError(`Random seed must be a finite number, got ${seed}`);
    // splitmix32 spreads any seed (small integers included) over the 128-bit state.
    let x = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1), with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.random();
  }

  /** Gaussian with the given mean and standard deviation. */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** A uniform integer in [low, high). */
  int(low: number, high: number): number {
    if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
      throw new RangeError(`Random.int needs whole numbers low < high, got [${low}, ${high})`);
    }
    return low + Math.floor(this.random() * (high - low));
  }

  /** A random ordering of 0..n-1 (Fisher-Yates). */
  permutation(n: number): number[] {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`permutation needs a whole number n >= 0, got ${n}`);
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /** Shuffles an array in place and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** One element chosen uniformly. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("choice from an empty array");
    return items[Math.floor(this.random() * items.length)];
  }

  /** An independent generator derived from this one (for a sub-task that must not disturb this stream). */
  fork(): Random {
    return new Random(this.nextUint32());
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

let shared = new Random(0);

/** Re-seeds the generator that tensor constructors use when no generator or seed is given. */
export function seed(n: number): void {
  shared = new Random(n);
}

export function defaultRandom(): Random {
  return shared;
}

/** A generator from what callers pass: a Random, a seed, or nothing (the shared generator). */
export function toRandom(rng?: Random | number): Random {
  if (rng === undefined) return shared;
  return typeof rng === "number" ? new Random(rng) : rng;
}
