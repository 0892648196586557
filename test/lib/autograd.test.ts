/** Tensor autograd: the lecture's PyTorch slide, control flow, accumulation, gradcheck on tensor functions. */
import { Random, Tensor, gradcheck, noGrad, numericGradient, tensor, tensorGraphDisplay, tensorGraphView } from "gradlab";

describe("the lecture's PyTorch slide in TypeScript", () => {
  test("i2h = W_x·xᵀ; h2h = W_h·prev_hᵀ; next_h = tanh(i2h + h2h); backward(ones)", () => {
    const rng = new Random(231);
    const [N, D, H] = [3, 4, 5];
    const x = Tensor.randn([N, D], rng);
    const prev_h = Tensor.randn([N, H], rng);
    const W_x = Tensor.randn([H, D], rng).requireGrad();
    const W_h = Tensor.randn([H, H], rng).requireGrad();

    const i2h = W_x.matmul(x.T);
    const h2h = W_h.matmul(prev_h.T);
    const next_h = i2h.add(h2h).tanh();
    next_h.backward(Tensor.onesLike(next_h));

    expect(W_x.grad!.shape).toEqual([H, D]);
    expect(W_h.grad!.shape).toEqual([H, H]);
    // Numerically: the gradient of sum(next_h) with respect to each weight matrix.
    const loss = (wx: Tensor, wh: Tensor) => wx.matmul(x.T).add(wh.matmul(prev_h.T)).tanh().sum();
    const nWx = numericGradient((w: Tensor) => loss(w, W_h.detach()), W_x.detach()) as Tensor;
    const nWh = numericGradient((w: Tensor) => loss(W_x.detach(), w), W_h.detach()) as Tensor;
    expect(W_x.grad!.allClose(nWx, 1e-7, 1e-9)).toBe(true);
    expect(W_h.grad!.allClose(nWh, 1e-7, 1e-9)).toBe(true);
    // And by the chain rule written out: dW_x = (1 - next_h²) · x.
    const local = noGrad(() => Tensor.onesLike(next_h).sub(next_h.square()));
    expect(W_x.grad!.allClose(local.matmul(x), 1e-12, 1e-12)).toBe(true);
    expect(W_h.grad!.allClose(local.matmul(prev_h), 1e-12, 1e-12)).toBe(true);
    // Inputs that did not ask for gradients get none.
    expect(x.grad).toBeNull();
  });
});

describe("control flow builds the graph on the fly", () => {
  test("a loop: an RNN unrolled over 4 steps, checked numerically", () => {
    const rng = new Random(7);
    const xs = [0, 1, 2, 3].map(() => Tensor.randn([1, 3], rng));
    const Wx = Tensor.randn([3, 2], rng), Wh = Tensor.randn([2, 2], rng);
    const run = (wx: Tensor, wh: Tensor) => {
      let h = Tensor.zeros([1, 2]);
      for (const x of xs) h = x.matmul(wx).add(h.matmul(wh)).tanh();
      return h.sum();
    };
    const result = gradcheck(run, [Wx, Wh], { seed: 1 });
    expect(result.ok).toBe(true);
    expect(result.maxRelError).toBeLessThan(1e-6);
    expect(result.checked).toBe(6 + 4);
  });

  test("branches: only the branch taken receives gradient", () => {
    const f = (x: Tensor) => (x.sum().item() > 0 ? x.mul(3) : x.exp()).sum();
    const pos = tensor([1, 2], { requiresGrad: true });
    f(pos).backward();
    expect(pos.grad!.toArray()).toEqual([3, 3]);
    const neg = tensor([-1, -2], { requiresGrad: true });
    f(neg).backward();
    expect(neg.grad!.allClose(tensor([Math.exp(-1), Math.exp(-2)]), 1e-15)).toBe(true);
  });

  test("a tensor used several times collects every use (fan-out)", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    x.mul(x).add(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([3, 5, 7]);
  });
});

describe("leaf gradients", () => {
  test("accumulate across backward calls until zeroGrad, with the leaf's shape", () => {
    const w = tensor([[1, 2]], { requiresGrad: true });
    const b = tensor(0.5, { requiresGrad: true });
    const loss = () => w.mul(tensor([[3], [4]])).add(b).sum(); // broadcast to [2, 2]
    loss().backward();
    expect(w.grad!.toArray()).toEqual([[7, 7]]);
    expect(b.grad!.shape).toEqual([]);
    expect(b.grad!.item()).toBe(4);
    loss().backward();
    expect(w.grad!.toArray()).toEqual([[14, 14]]);
    w.zeroGrad();
    loss().backward();
    expect(w.grad!.toArray()).toEqual([[7, 7]]);
  });

  test("the same graph can be walked twice", () => {
    const x = tensor([2], { requiresGrad: true });
    const y = x.square().sum();
    y.backward();
    y.backward();
    expect(x.grad!.item()).toBe(8);
  });

  test("float32 leaves get float32 gradients", () => {
    const x = tensor([1, 2], { dtype: "float32", requiresGrad: true });
    x.mul(2).sum().backward();
    expect(x.grad!.dtype).toBe("float32");
    expect(x.grad!.toArray()).toEqual([2, 2]);
  });

  test("noGrad records nothing", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
  });
});

describe("every differentiable Tensor method passes gradcheck", () => {
  const rng = new Random(42);
  const A = Tensor.randn([2, 3], rng), B = Tensor.randn([3, 4], rng), P = Tensor.rand([2, 3], rng).add(0.5);
  const row = Tensor.randn([3], rng);
  const cases: [string, (...t: Tensor[]) => Tensor, Tensor[]][] = [
    ["add (broadcast)", (a, r) => a.add(r), [A, row]],
    ["sub (broadcast)", (a, r) => a.sub(r), [A, row]],
    ["mul (broadcast)", (a, r) => a.mul(r), [A, row]],
    ["div", (a, p) => a.div(p), [A, P]],
    ["pow", (p, a) => p.pow(a), [P, A]],
    ["maximum", (a, p) => a.maximum(p), [A, P]],
    ["minimum", (a, p) => a.minimum(p), [A, P]],
    ["neg exp log", (p) => p.neg().exp().add(p.log()), [P]],
    ["sin cos tanh sigmoid", (a) => a.sin().mul(a.cos()).add(a.tanh()).add(a.sigmoid()), [A]],
    ["relu abs sqrt square", (a, p) => a.relu().add(a.abs()).add(p.sqrt()).add(a.square()), [A, P]],
    ["clip", (a) => a.mul(3).clip(-0.5, 0.5), [A]],
    ["matmul", (a, b) => a.matmul(b), [A, B]],
    ["matmul (vector)", (a, r) => a.matmul(r), [A, row]],
    ["sum / mean over axes", (a) => a.sum(0).add(a.mean(1, true).sum()), [A]],
    ["max / min over axes", (a) => a.max(1).add(a.min(0).sum()), [A]],
    ["reshape transpose broadcastTo", (a) => a.reshape(3, 2).T.broadcastTo([4, 2, 3]), [A]],
    ["slice", (a) => a.slice(null, [0, 3, 2]), [A]],
    ["take (repeated rows)", (b) => b.take([2, 0, 2]), [B]],
    ["concat / stack", (a, p) => Tensor.concat([a, p], 1).add(Tensor.stack([a, p]).sum(0).sum(1, true)), [A, P]],
  ];
  test.each(cases)("%s", (_name, f, inputs) => {
    const result = gradcheck(f, inputs, { seed: 3 });
    if (!result.ok) throw new Error(result.message);
    expect(result.maxRelError).toBeLessThan(1e-5);
  });
});

describe("errors", () => {
  test("backward on a non-scalar without a gradient, with a wrong-shaped gradient, without requiresGrad", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    expect(() => y.backward()).toThrow("backward() on a tensor of shape [2] needs an upstream gradient of that shape");
    expect(() => y.backward(Tensor.ones([3]))).toThrow("backward(grad): grad has shape [3] but the tensor has shape [2]");
    expect(() => tensor([1]).backward()).toThrow("does not require a gradient");
  });

  test("a shape error inside a tracked operation names the gate and the shapes", () => {
    const a = Tensor.zeros([2, 3]).requireGrad();
    expect(() => a.matmul(Tensor.zeros([2, 3]))).toThrow("MatMulGate: cannot multiply a of shape [2, 3] by b of shape [2, 3]");
  });
});

describe("drawing the recorded graph", () => {
  test("tensorGraphView shows leaves, gates, shapes and leaf gradients", () => {
    const W = Tensor.ones([2, 3]).requireGrad();
    W.name = "W";
    const x = tensor([1, 2, 3]);
    x.name = "x";
    const s = W.matmul(x).tanh().sum();
    s.backward();
    const view = tensorGraphView(s);
    expect(view.nodes.map((n) => [n.label, n.op ?? null, n.value])).toEqual([
      ["W", null, "Tensor[2, 3]"],
      ["x", null, "Tensor[3]"],
      ["", "@", "Tensor[2]"],
      ["", "tanh", "Tensor[2]"],
      ["", "sum", s.item()],
    ]);
    expect(view.nodes[0].grad).toBe("Tensor[2, 3]");
    // Ids are given from the output down; edges point from inputs to the gates using them.
    const ids = new Map(view.nodes.map((n) => [n.label || n.op, n.id]));
    expect(view.edges).toEqual([
      { from: ids.get("W"), to: ids.get("@") },
      { from: ids.get("x"), to: ids.get("@") },
      { from: ids.get("@"), to: ids.get("tanh") },
      { from: ids.get("tanh"), to: ids.get("sum") },
    ]);
    expect(tensorGraphDisplay(s)["image/svg+xml"]).toContain("<svg");
  });
});
