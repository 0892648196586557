import { data, Random, Tensor } from "gradlab";
import { execFileSync } from "child_process";
import { join } from "path";

const counts = (y: Tensor) => {
  const c = new Map<number, number>();
  for (const v of y.data) c.set(v, (c.get(v) ?? 0) + 1);
  return c;
};

describe("Playground generators", () => {
  test.each([["circle", data.circle], ["xor", data.xor], ["gauss", data.gauss], ["spiral", data.spiral]])(
    "%s: n points in 2-D, labels 0/1, split by trainRatio, seeded",
    (_, make) => {
      const a = make({ n: 200, noise: 0.1, trainRatio: 0.7, seed: 3 });
      expect(a.X.shape).toEqual([200, 2]);
      expect(new Set(a.y.data)).toEqual(new Set([0, 1]));
      expect(a.train.X.shape).toEqual([140, 2]);
      expect(a.test.X.shape).toEqual([60, 2]);
      const b = make({ n: 200, noise: 0.1, trainRatio: 0.7, seed: 3 });
      expect(b.X.equals(a.X)).toBe(true);
      expect(b.train.y.equals(a.train.y)).toBe(true);
      expect(make({ n: 200, noise: 0.1, seed: 4 }).X.equals(a.X)).toBe(false);
    },
  );
  test("circle without noise: class 1 inside radius 2.5, class 0 in the ring 3.5..5", () => {
    const d = data.circle({ n: 300 });
    for (let i = 0; i < 300; i++) {
      const r = Math.hypot(d.X.get(i, 0), d.X.get(i, 1));
      if (d.y.get(i) === 1) expect(r).toBeLessThan(2.5);
      else { expect(r).toBeGreaterThanOrEqual(3.5); expect(r).toBeLessThan(5); }
    }
    expect(counts(d.y)).toEqual(new Map([[1, 150], [0, 150]]));
  });
  test("xor without noise: label is the sign of x*y, points keep 0.3 off the axes", () => {
    const d = data.xor({ n: 300 });
    for (let i = 0; i < 300; i++) {
      const x = d.X.get(i, 0), y = d.X.get(i, 1);
      expect(Math.min(Math.abs(x), Math.abs(y))).toBeGreaterThanOrEqual(0.3);
      expect(d.y.get(i)).toBe(x * y >= 0 ? 1 : 0);
    }
  });
  test("gauss: blobs centred at (2,2) and (-2,-2); noise widens them", () => {
    const d = data.gauss({ n: 2000, seed: 1 });
    const ones = d.X.take(d.y.toFlat().flatMap((v, i) => (v === 1 ? [i] : [])));
    expect(ones.mean(0).allClose([2, 2], 0, 0.1)).toBe(true);
    expect(ones.std(0).allClose([Math.sqrt(0.5), Math.sqrt(0.5)], 0, 0.05)).toBe(true);
    const wide = data.gauss({ n: 2000, seed: 1, noise: 0.5 });
    expect(wide.X.std().item()).toBeGreaterThan(d.X.std().item());
  });
  test("spiral: radius grows to 5 along each arm", () => {
    const d = data.spiral({ n: 100 });
    const r = (i: number) => Math.hypot(d.X.get(i, 0), d.X.get(i, 1));
    expect(r(0)).toBe(0);
    expect(r(49)).toBeCloseTo(4.9, 10);
    expect(d.y.get(0)).toBe(1);
    expect(d.y.get(50)).toBe(0);
  });
  test("bad options are named", () => {
    expect(() => data.circle({ noise: 30 })).toThrow(/noise is a fraction.*got 30/);
    expect(() => data.xor({ trainRatio: 1 })).toThrow(/trainRatio must be between 0 and 1/);
    expect(() => data.spiral({ n: 1.5 })).toThrow(/n must be a whole number/);
  });
});

describe("CS231n spiral", () => {
  test("K arms of N points, radius 0..1, seeded", () => {
    const d = data.cs231nSpiral({ pointsPerClass: 100, classes: 3, seed: 0 });
    expect(d.X.shape).toEqual([300, 2]);
    expect(counts(d.y)).toEqual(new Map([[0, 100], [1, 100], [2, 100]]));
    expect(d.classes).toEqual(["0", "1", "2"]);
    expect(Math.hypot(d.X.get(99, 0), d.X.get(99, 1))).toBeCloseTo(1, 12);
    expect(data.cs231nSpiral({ seed: 0 }).X.equals(d.X)).toBe(true);
  });
});

describe("shipped data sets", () => {
  test("digits: 1797 images of 8x8, ink 0..16, every digit present", () => {
    const d = data.loadDigits();
    expect(d.X.shape).toEqual([1797, 64]);
    expect(d.X.min().item()).toBe(0);
    expect(d.X.max().item()).toBe(16);
    const c = counts(d.y);
    expect([...c.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...c.values()].reduce((a, b) => a + b)).toBe(1797);
    expect(d.y.get(0)).toBe(0); // the first row of the file is a zero
    // Each call gives a fresh copy.
    d.X.data[0] = 99;
    expect(data.loadDigits().X.data[0]).toBe(0);
  });
  test("iris: 150 x 4 with class names from the header", () => {
    const d = data.loadIris();
    expect(d.X.shape).toEqual([150, 4]);
    expect(d.classes).toEqual(["setosa", "versicolor", "virginica"]);
    expect(counts(d.y)).toEqual(new Map([[0, 50], [1, 50], [2, 50]]));
    expect(d.X.get(0, 0)).toBe(5.1);
  });
  test("the compiled library finds data/ from dist/ too", () => {
    const root = data.packageRoot();
    const script = `const {data}=require(${JSON.stringify(join(root, "dist/lib/index.js"))}); console.log(data.loadDigits().X.shape.join("x"))`;
    expect(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }).trim()).toBe("1797x64");
  });
});

describe("split, standardise, one-hot, batches", () => {
  test("stratified split keeps class proportions and is seeded", () => {
    const digits = data.loadDigits();
    const { train, test } = data.stratifiedSplit(digits, { testFraction: 0.2, seed: 0 });
    expect(train.X.shape[0] + test.X.shape[0]).toBe(1797);
    const all = counts(digits.y), te = counts(test.y);
    for (const [label, n] of all) expect(te.get(label)).toBe(Math.round(n * 0.2));
    const again = data.stratifiedSplit(digits, { testFraction: 0.2, seed: 0 });
    expect(again.test.X.equals(test.X)).toBe(true);
    expect(data.stratifiedSplit(digits, { seed: 1 }).test.y.equals(test.y)).toBe(false);
  });
  test("standardisation uses training statistics; constant features become 0", () => {
    const train = data.dataset([[1, 5], [3, 5], [5, 5]], [0, 1, 0]);
    const test = data.dataset([[3, 5], [7, 5]], [1, 0]);
    const s = data.standardizeSplit({ train, test });
    expect(s.train.X.mean(0).allClose([0, 0])).toBe(true);
    expect(s.train.X.std(0).allClose([1, 0])).toBe(true);
    expect(s.test.X.toArray()).toEqual([[0, 0], [4 / Math.sqrt(8 / 3), 0]]);
    expect(() => s.standardizer.transform(Tensor.zeros([2, 3]))).toThrow(/expected \[N, 2\], got \[2, 3\]/);
  });
  test("one-hot", () => {
    expect(data.oneHot([2, 0, 1]).toArray()).toEqual([[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    expect(data.oneHot(Tensor.from([1]), 3).toArray()).toEqual([[0, 1, 0]]);
    expect(() => data.oneHot([0, 3], 3)).toThrow(/label 3 at row 1 is not a class 0..2/);
  });
  test("batches cover every row once per epoch, seeded", () => {
    const ds = data.dataset(Array.from({ length: 10 }, (_, i) => [i, -i]), Array.from({ length: 10 }, (_, i) => i % 2));
    const epoch = [...data.batches(ds, 4, { rng: new Random(7) })];
    expect(epoch.map((b) => b.X.shape[0])).toEqual([4, 4, 2]);
    const seen = epoch.flatMap((b) => b.X.slice(null, 0).toFlat()).sort((a, b) => a - b);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (const b of epoch) for (let i = 0; i < b.X.shape[0]; i++) expect(b.y.get(i)).toBe(b.X.get(i, 0) % 2);
    expect(data.batchIndices(10, 4, { rng: new Random(7) })).toEqual(data.batchIndices(10, 4, { rng: new Random(7) }));
    expect(data.batchIndices(5, 2, { shuffle: false })).toEqual([[0, 1], [2, 3], [4]]);
    expect(() => data.batchIndices(5, 2)).toThrow(/needs a seeded generator/);
  });
  test("dataset checks that X and y match", () => {
    expect(() => data.dataset([[1, 2], [3, 4]], [0])).toThrow(/X is \[2, 2\], y is \[1\]/);
  });
});
