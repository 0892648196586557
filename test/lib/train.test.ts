/**
 * The known results of issue 3, each trained from scratch with fixed seeds. Protocol: a stratified
 * 80/20 train/test split (seed 0), 10% of the training part held out for validation (the Trainer picks
 * its best epoch on it), standardisation by training statistics; test accuracy is measured once.
 */
import { data, nn, optim } from "gradlab";

const digits = data.trainValTestSplit(data.loadDigits(), { testFraction: 0.2, valFraction: 0.1, seed: 0 });

describe("known results on the digits set", () => {
  test("split sizes: about 72% train, 8% val, 20% test, every row used once", () => {
    const [tr, va, te] = [digits.train, digits.val, digits.test].map((d) => d.X.shape[0]);
    expect(tr + va + te).toBe(1797);
    expect(Math.abs(te - 0.2 * 1797)).toBeLessThanOrEqual(5); // rounding per class
    expect(Math.abs(va - 0.1 * (1797 - te))).toBeLessThanOrEqual(5);
  });

  test("softmax regression (a linear classifier) reaches >= 94% test accuracy", () => {
    const model = new nn.MLP([64, 10], { weightScale: 1e-3, reg: 1e-3, seed: 0 });
    new optim.Trainer(model, { train: digits.train, val: digits.val, optimizer: "adam", lr: 1e-2, epochs: 30, batchSize: 100, seed: 0, quiet: true }).train();
    const acc = optim.checkAccuracy(model, digits.test);
    expect(acc).toBeGreaterThanOrEqual(0.94);
  });

  test("TwoLayerNet (64-100-10) reaches >= 96% test accuracy", () => {
    const model = new nn.TwoLayerNet(64, 100, 10, { weightScale: 1e-2, reg: 1e-3, seed: 0 });
    new optim.Trainer(model, { train: digits.train, val: digits.val, optimizer: "adam", lr: 1e-2, epochs: 20, batchSize: 100, seed: 0, quiet: true }).train();
    expect(optim.checkAccuracy(model, digits.test)).toBeGreaterThanOrEqual(0.96);
  });
});

describe("known results on the CS231n spiral (3 classes, 300 points)", () => {
  const spiral = data.cs231nSpiral({ pointsPerClass: 100, classes: 3, seed: 0 });
  const fit = (model: nn.Model, epochs: number) =>
    new optim.Trainer(model, { train: spiral, batchSize: "full", optimizer: "adam", lr: 0.05, epochs, seed: 0, quiet: true, restoreBest: false }).train();

  test("a linear softmax classifier stays below 60% training accuracy", () => {
    const linear = new nn.MLP([2, 3], { weightScale: 0.01, reg: 1e-3, seed: 0 });
    fit(linear, 300);
    const acc = optim.checkAccuracy(linear, spiral);
    expect(acc).toBeLessThan(0.6);
    expect(acc).toBeGreaterThan(0.4); // it did learn something: chance is 1/3
  });

  test("TwoLayerNet (2-100-3) reaches >= 95% training accuracy", () => {
    const net = new nn.TwoLayerNet(2, 100, 3, { weightScale: 0.01, reg: 1e-3, seed: 0 });
    fit(net, 300);
    expect(optim.checkAccuracy(net, spiral)).toBeGreaterThanOrEqual(0.95);
  });

  test("the same seed gives bit-identical losses; another seed does not", () => {
    const run = (seed: number) => {
      const net = new nn.TwoLayerNet(2, 50, 3, { weightScale: 0.01, seed });
      return new optim.Trainer(net, { train: spiral, batchSize: 32, optimizer: "adam", lr: 0.01, epochs: 5, seed, quiet: true }).train().history.loss;
    };
    const a = run(3), b = run(3);
    expect(a.length).toBe(50);
    expect(Buffer.from(new Float64Array(b).buffer).equals(Buffer.from(new Float64Array(a).buffer))).toBe(true);
    expect(run(4)).not.toEqual(a);
  });
});
