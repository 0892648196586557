/**
 * NaN in, NaN out (as NumPy does): a NaN must never be turned into a finite number by relu or
 * max, or one NaN in the data silently poisons some weights while the loss still looks healthy.
 */
import { data, MaxGate, MinGate, nn, optim, ReLUGate, Tensor, Value } from "gradlab";

describe("NaN propagates", () => {
  test("relu, max and min of NaN are NaN (numbers, tensors, Values)", () => {
    expect(new ReLUGate().forward(NaN)).toBeNaN();
    expect(new MaxGate().forward(NaN, 1)).toBeNaN();
    expect(new MaxGate().forward(1, NaN)).toBeNaN();
    expect(new MinGate().forward(NaN, 1)).toBeNaN();
    expect(Tensor.from([NaN, -1, 2]).relu().toArray()).toEqual([NaN, 0, 2]);
    expect(Tensor.from([NaN, 3]).maximum(Tensor.from([1, NaN])).toArray()).toEqual([NaN, NaN]);
    expect(Tensor.from([NaN, 3]).minimum(1).toArray()).toEqual([NaN, 1]);
    expect(new Value(NaN).relu().data).toBeNaN();
  });

  test("the gradient at a NaN is NaN, and does not go to the other input", () => {
    const x = new Value(NaN), y = new Value(1);
    x.max(y).backward();
    expect(x.grad).toBeNaN();
    expect(y.grad).toBeNaN();
    const z = new Value(NaN);
    z.relu().backward();
    expect(z.grad).toBeNaN();
  });

  test("nn.ReLU, nn.LeakyReLU and the SVM loss keep a NaN", () => {
    const x = Tensor.from([[NaN, 1]]);
    for (const layer of [new nn.ReLU(), new nn.LeakyReLU()]) {
      expect(layer.forward(x).get(0, 0)).toBeNaN();
      expect(layer.backward(Tensor.ones([1, 2])).get(0, 0)).toBeNaN();
    }
    expect(nn.svmLoss(Tensor.from([[NaN, 0, 0]]), [1]).loss).toBeNaN();
  });

  test("one NaN in the data: the Trainer stops and names the first non-finite parameter", () => {
    const rows = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i)]);
    rows[7][1] = NaN;
    const ds = data.dataset(rows, rows.map((_, i) => i % 2));
    const model = new nn.TwoLayerNet(2, 8, 2, { weightScale: 0.1, seed: 0 });
    expect(() => new optim.Trainer(model, { train: ds, epochs: 3, batchSize: 10, seed: 0, quiet: true }).train())
      .toThrow(/Trainer: .*not finite.*\bW1\b/);
  });
});
