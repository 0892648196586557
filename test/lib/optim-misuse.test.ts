/** Optimizer and Trainer misuse gets a clear error (or its obvious meaning), never silently NaN weights. */
import { data, nn, optim, Tensor } from "gradlab";

describe("optimizer settings", () => {
  test("a number as the second argument is the learning rate", () => {
    const w = Tensor.from([1]);
    const opt = new optim.SGD({ w }, 5);
    expect(opt.lr).toBe(5);
    opt.step({ w: Tensor.from([1]) });
    expect(w.item()).toBe(-4);
    expect(new optim.Adam([w], 0.5).lr).toBe(0.5);
  });
  test("setting lr to NaN, 0 or a string after construction throws", () => {
    const opt = new optim.SGD({ w: Tensor.zeros([1]) });
    expect(() => { opt.lr = NaN; }).toThrow(/SGD: learning rate must be a positive number, got NaN/);
    expect(() => { opt.lr = 0; }).toThrow(/learning rate must be a positive number/);
    expect(() => { opt.lr = "0.1" as unknown as number; }).toThrow(/learning rate must be a positive number/);
    expect(opt.lr).toBe(0.01);
    opt.lr = 0.5;
    expect(opt.lr).toBe(0.5);
  });
  test("Adam's and RMSProp's hyper-parameters are checked", () => {
    const p = { w: Tensor.zeros([1]) };
    expect(() => new optim.Adam(p, { beta1: NaN })).toThrow(/Adam: beta1 must be in \[0, 1\), got NaN/);
    expect(() => new optim.Adam(p, { beta2: 1 })).toThrow(/Adam: beta2 must be in \[0, 1\), got 1/);
    expect(() => new optim.Adam(p, { eps: -1 })).toThrow(/Adam: eps must be a finite number >= 0, got -1/);
    expect(() => new optim.RMSProp(p, { decayRate: NaN })).toThrow(/RMSProp: decayRate must be in \[0, 1\), got NaN/);
    expect(() => new optim.Momentum(p, { momentum: NaN })).toThrow(/momentum must be in \[0, 1\)/);
  });
  test("an unknown option name is an error, not ignored", () => {
    expect(() => new optim.SGD({ w: Tensor.zeros([1]) }, { learningRate: 0.1 } as never)).toThrow(/SGD: unknown option "learningRate" \(known: lr\)/);
  });
});

describe("Trainer data sets", () => {
  const ds = data.cs231nSpiral({ pointsPerClass: 5, seed: 1 });
  const empty = data.subset(ds, []);
  const model = () => new nn.TwoLayerNet(2, 4, 3, { seed: 0 });
  test("an empty training set is an error that says so", () => {
    expect(() => new optim.Trainer(model(), { train: empty, quiet: true })).toThrow(/Trainer: the training set has no rows/);
  });
  test("an empty validation set is an error that says so", () => {
    expect(() => new optim.Trainer(model(), { train: ds, val: empty, quiet: true })).toThrow(/Trainer: the validation set has no rows/);
  });
});
