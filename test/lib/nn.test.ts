import { nn, Random, Tensor, numericGradient, relError } from "gradlab";
import { awayFromZero, layerErrors, numericParamGrad } from "./nn-support";
import { addMatmulTN, matmulNN, matmulNT } from "../../lib/tensor/ops/gemm";

const TOL = 1e-7;
const expectAllBelow = (errors: Record<string, number>) => {
  for (const [name, e] of Object.entries(errors)) {
    expect({ name, e, ok: e < TOL }).toEqual({ name, e, ok: true });
  }
};

describe("layers pass gradcheck in float64 (rel err < 1e-7)", () => {
  test("Linear on [N, D]", () => {
    const layer = new nn.Linear(5, 3, { rng: 1 });
    layer.b.data.set([0.1, -0.2, 0.3]);
    expectAllBelow(layerErrors(layer, Tensor.randn([4, 5], 2)));
  });
  test("Linear flattens leading dims like CS231n (input [N, 2, 3] -> [N, 6])", () => {
    const layer = new nn.Linear(6, 2, { rng: 3 });
    const x = Tensor.randn([4, 2, 3], 4);
    const out = layer.forward(x);
    expect(out.shape).toEqual([4, 2]);
    expect(out.allClose(x.reshape(4, 6).matmul(layer.W).add(layer.b), 1e-12)).toBe(true);
    const errors = layerErrors(layer, x);
    expectAllBelow(errors);
    expect(layer.backward(Tensor.ones([4, 2])).shape).toEqual([4, 2, 3]);
  });
  test.each([
    ["ReLU", () => new nn.ReLU()],
    ["LeakyReLU", () => new nn.LeakyReLU(0.1)],
    ["Sigmoid", () => new nn.Sigmoid()],
    ["Tanh", () => new nn.Tanh()],
  ])("%s away from kinks", (_, make) => {
    expectAllBelow(layerErrors(make(), awayFromZero([3, 4], 5)));
  });
  test("Sequential Linear-Tanh-Linear", () => {
    const net = new nn.Sequential(new nn.Linear(4, 6, { rng: 6 }), new nn.Tanh(), new nn.Linear(6, 3, { rng: 7 }));
    const errors = layerErrors(net, Tensor.randn([5, 4], 8));
    expect(Object.keys(errors)).toHaveLength(5); // x, W, b, W, b
    expectAllBelow(errors);
  });
  test("Dropout: gradient through a fixed (seeded) mask", () => {
    const x = Tensor.randn([6, 5], 9), dout = Tensor.randn([6, 5], 10);
    const drop = new nn.Dropout(0.4, { seed: 11 });
    drop.forward(x);
    const dx = drop.backward(dout);
    // The same seed gives the same mask, so a fresh layer per evaluation is the same function of x.
    const numeric = numericGradient((xp: Tensor) => {
      const out = new nn.Dropout(0.4, { seed: 11 }).forward(xp);
      return out.mul(dout).sum();
    }, x) as Tensor;
    expect(relError(dx, numeric)).toBeLessThan(TOL);
  });
});

describe("the dense products behind Linear (blocked by four rows)", () => {
  test.each([[1, 1, 1], [3, 5, 2], [4, 4, 4], [7, 6, 9], [9, 3, 5]])("n=%i k=%i m=%i agree with the textbook sums", (n, k, m) => {
    const rng = new Random(n * 100 + k * 10 + m);
    const rand = (len: number) => Float64Array.from({ length: len }, () => rng.normal());
    const A = rand(n * k), B = rand(k * m), D = rand(n * m);
    const at = (M: Float64Array, cols: number, r: number, c: number) => M[r * cols + c];
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-12);
    const C = matmulNN(A, B, n, k, m); // A·B
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) {
      let s = 0; for (let p = 0; p < k; p++) s += at(A, k, i, p) * at(B, m, p, j);
      close(C[i * m + j], s);
    }
    const G = Float64Array.from({ length: k * m }, () => 1); // accumulates into what is there
    addMatmulTN(G, A, D, n, k, m); // 1 + Aᵀ·D
    for (let i = 0; i < k; i++) for (let j = 0; j < m; j++) {
      let s = 1; for (let p = 0; p < n; p++) s += at(A, k, p, i) * at(D, m, p, j);
      close(G[i * m + j], s);
    }
    const H = matmulNT(D, B, n, m, k); // D·Bᵀ
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) {
      let s = 0; for (let p = 0; p < m; p++) s += at(D, m, i, p) * at(B, m, j, p);
      close(H[i * k + j], s);
    }
  });
});

describe("layer behaviour", () => {
  test("ReLU and LeakyReLU values; Sigmoid stays finite at ±1000", () => {
    const x = Tensor.from([[-2, 0, 3]]);
    expect(new nn.ReLU().forward(x).toArray()).toEqual([[0, 0, 3]]);
    expect(new nn.LeakyReLU(0.1).forward(x).toArray()).toEqual([[-0.2, 0, 3]]);
    expect(new nn.Sigmoid().forward(Tensor.from([-1000, 0, 1000])).toArray()).toEqual([0, 0.5, 1]);
  });
  test("Dropout: drops about p of the units, scales the rest by 1/(1-p), identity in eval", () => {
    const drop = new nn.Dropout(0.3, { seed: 1 });
    const out = drop.forward(Tensor.ones([100, 100]));
    const kept = out.toFlat().filter((v) => v !== 0);
    expect(kept.length / 10000).toBeCloseTo(0.7, 1);
    expect(new Set(kept)).toEqual(new Set([1 / 0.7]));
    expect(out.mean().item()).toBeCloseTo(1, 1);
    expect(drop.eval().forward(Tensor.ones([2, 2])).toArray()).toEqual([[1, 1], [1, 1]]);
    const again = new nn.Dropout(0.3, { seed: 1 }).forward(Tensor.ones([100, 100]));
    expect(again.equals(out)).toBe(true);
    expect(() => new nn.Dropout(1)).toThrow(/probability of dropping a unit and must be in \[0, 1\)/);
  });
  test("parameters, gradient accumulation and zeroGrad", () => {
    const net = new nn.Sequential(new nn.Linear(2, 3, { rng: 1 }), new nn.ReLU(), new nn.Linear(3, 1, { rng: 2 }));
    expect(net.parameters().map((p) => p.shape)).toEqual([[2, 3], [3], [3, 1], [1]]);
    const x = Tensor.from([[1, 2]]);
    net.forward(x);
    net.backward(Tensor.ones([1, 1]));
    const once = net.parameters()[0].grad!.clone();
    net.forward(x);
    net.backward(Tensor.ones([1, 1]));
    expect(net.parameters()[0].grad!.allClose(once.mul(2))).toBe(true);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad!.toFlat().every((v) => v === 0))).toBe(true);
  });
  test("clear errors: backward before forward, wrong shapes", () => {
    expect(() => new nn.Linear(2, 2).backward(Tensor.ones([1, 2]))).toThrow(/Linear.backward called before forward/);
    expect(() => new nn.ReLU().backward(Tensor.ones([1]))).toThrow(/ReLU.backward called before forward/);
    const l = new nn.Linear(4, 3);
    expect(() => l.forward(Tensor.ones([2, 5]))).toThrow(/Linear\(4 -> 3\): input of shape \[2, 5\] has 5 features per row, expected 4/);
    l.forward(Tensor.ones([2, 4]));
    expect(() => l.backward(Tensor.ones([3, 3]))).toThrow(/dout has shape \[3, 3\] but forward's output had shape \[2, 3\]/);
    expect(() => new nn.Sequential(new nn.ReLU(), {} as never)).toThrow(/argument 1 is not a layer/);
  });
});

describe("losses", () => {
  const scores = Tensor.randn([5, 4], 21);
  const y = [0, 3, 1, 1, 2];
  const check = (name: string, f: (s: Tensor) => { loss: number; dx: Tensor }, at: Tensor) => {
    const numeric = numericGradient((s: Tensor) => f(s).loss, at) as Tensor;
    expect({ name, ok: relError(f(at).dx, numeric) < TOL }).toEqual({ name, ok: true });
  };

  test("gradchecks: softmax, SVM, MSE, BCE with logits", () => {
    check("softmax", (s) => nn.softmaxCrossEntropy(s, y), scores);
    // SVM away from its kinks: margins s_j - s_y + 1 not near 0 for this seed
    check("svm", (s) => nn.svmLoss(s, y), scores);
    const target = Tensor.randn([5, 4], 22);
    check("mse", (s) => nn.mseLoss(s, target), scores);
    const t = Tensor.rand([5, 4], 23);
    check("bce", (s) => nn.bceWithLogits(s, t), scores);
  });
  test("the lecture's three-image example: SVM 5.27 average, softmax 2.04 for the cat", () => {
    const s = Tensor.from([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]]);
    expect(nn.svmLoss(s, [0, 1, 2]).loss).toBeCloseTo((2.9 + 0 + 12.9) / 3, 12);
    expect(nn.softmaxCrossEntropy(s.slice([0, 1]), [0]).loss).toBeCloseTo(2.04, 2);
  });
  test("softmax cross-entropy is stable for logits of ±1000", () => {
    const { loss, dx } = nn.softmaxCrossEntropy(Tensor.from([[1000, -1000], [-1000, 1000]]), [1, 1]);
    expect(loss).toBe(1000); // (2000 + 0) / 2
    expect(dx.toArray()).toEqual([[0.5, -0.5], [0, 0]]);
    const bce = nn.bceWithLogits(Tensor.from([1000, -1000]), [0, 0]);
    expect(bce.loss).toBe(500);
    expect(bce.dx.toArray()).toEqual([0.5, 0]);
  });
  test("softmax rows sum to 1 and survive scores of 1000; MLP.predictProba uses it", () => {
    const p = nn.softmax(Tensor.from([[1000, 1000, -1000], [0, Math.log(3), 0]]));
    expect(p.slice(0).toArray()).toEqual([0.5, 0.5, 0]);
    expect(p.slice(1).allClose([0.2, 0.6, 0.2], 1e-14)).toBe(true);
    const net = new nn.MLP([2, 4, 3], { seed: 1 });
    const X = Tensor.randn([5, 2], 2);
    const probs = net.predictProba(X);
    expect(probs.sum(1).allClose(Tensor.ones([5]))).toBe(true);
    expect(probs.argmax(1).equals(net.predict(X))).toBe(true);
  });
  test("L2 regularisation: 0.5·reg·ΣW², adds reg·W to the gradient", () => {
    const W = Tensor.from([[1, -2], [3, 0]]);
    expect(nn.l2Regularization([W], 0.1)).toBeCloseTo(0.5 * 0.1 * 14, 14);
    expect(W.grad!.allClose(W.mul(0.1))).toBe(true);
  });
  test("bad labels and shapes are named", () => {
    expect(() => nn.softmaxCrossEntropy(scores, [0, 1])).toThrow(/2 labels for 5 rows/);
    expect(() => nn.svmLoss(scores, [0, 1, 2, 3, 4])).toThrow(/label 4 at row 4 is not a class index 0..3/);
    expect(() => nn.softmaxCrossEntropy(Tensor.ones([4]), [0])).toThrow(/scores must be a 2-D Tensor \[N, C\], got shape \[4\]/);
    expect(() => nn.mseLoss(scores, Tensor.ones([5]))).toThrow(/pred has shape \[5, 4\] but target has shape \[5\]/);
  });
});

describe("networks", () => {
  test("TwoLayerNet: CS231n API, and every parameter passes gradcheck with reg", () => {
    const net = new nn.TwoLayerNet(5, 7, 3, { weightScale: 0.5, reg: 0.05, seed: 3 });
    expect(Object.keys(net.params)).toEqual(["W1", "b1", "W2", "b2"]);
    expect(net.params.W1.shape).toEqual([5, 7]);
    expect(net.params.W2.shape).toEqual([7, 3]);
    for (const b of [net.params.b1, net.params.b2]) b.data.set(Tensor.randn(b.shape, 4).mul(0.1).data);
    const X = Tensor.randn([6, 5], 30), y = [0, 1, 2, 2, 1, 0];
    const scores = net.loss(X);
    expect(scores.shape).toEqual([6, 3]);
    const { loss, grads } = net.loss(X, y);
    expect(Number.isFinite(loss)).toBe(true);
    for (const [name, p] of Object.entries(net.params)) {
      const numeric = numericParamGrad(p, () => net.loss(X, y).loss);
      const err = relError(grads[name], numeric);
      expect({ name, ok: err < TOL }).toEqual({ name, ok: true });
    }
  });
  test("MLP of depth 3 with tanh and SVM loss passes gradcheck", () => {
    const net = new nn.MLP([4, 6, 5, 3], { activation: "tanh", loss: "svm", reg: 0.01, seed: 2 });
    expect(Object.keys(net.params)).toEqual(["W1", "b1", "W2", "b2", "W3", "b3"]);
    const X = Tensor.randn([5, 4], 31), y = [2, 0, 1, 1, 2];
    const { grads } = net.loss(X, y);
    for (const [name, p] of Object.entries(net.params)) {
      expect({ name, ok: relError(grads[name], numericParamGrad(p, () => net.loss(X, y).loss)) < TOL }).toEqual({ name, ok: true });
    }
  });
  test("scores-only calls leave dropout off; same seed gives the same network", () => {
    const a = new nn.MLP([3, 8, 2], { dropout: 0.5, seed: 5 });
    const X = Tensor.randn([4, 3], 1);
    expect(a.loss(X).equals(a.loss(X))).toBe(true);
    expect(new nn.MLP([3, 8, 2], { dropout: 0.5, seed: 5 }).params.W1.equals(a.params.W1)).toBe(true);
    expect(a.predict(X).shape).toEqual([4]);
    expect(nn.accuracy(Tensor.from([[0, 1], [1, 0], [0, 1]]), [1, 0, 0])).toBeCloseTo(2 / 3, 15);
    expect(() => new nn.MLP([3], {})).toThrow(/sizes must list at least input and output sizes/);
  });
});
