import { data, nn, optim, Random, Tensor } from "gradlab";

/** CS231n's optimizer check: N=4, D=5 values from linspace, so the expected numbers can be worked by hand. */
const linspace = (a: number, b: number) => Tensor.linspace(a, b, 20).reshape(4, 5);

describe("update rules", () => {
  test("SGD: w - lr·dw, the parameter changes in place", () => {
    const w = Tensor.from([1, 2]);
    const data0 = w.data;
    new optim.SGD({ w }, { lr: 0.1 }).step({ w: Tensor.from([10, -10]) });
    expect(w.toArray()).toEqual([0, 3]);
    expect(w.data).toBe(data0);
  });
  test("momentum on CS231n's check (first and last entries worked by hand)", () => {
    const w = linspace(-0.4, 0.6), dw = linspace(-0.6, 0.4);
    const opt = new optim.Momentum({ w }, { lr: 1e-3, momentum: 0.9 });
    opt.state.w = { velocity: linspace(0.6, 0.9) };
    opt.step({ w: dw });
    // v = 0.9·0.6 − 1e-3·(−0.6) = 0.5406, w = −0.4 + 0.5406;  v = 0.9·0.9 − 1e-3·0.4 = 0.8096, w = 0.6 + 0.8096
    expect(w.get(0, 0)).toBeCloseTo(0.1406, 12);
    expect(w.get(3, 4)).toBeCloseTo(1.4096, 12);
    expect(opt.state.w.velocity.get(0, 0)).toBeCloseTo(0.5406, 12);
  });
  test("Nesterov: w − μ·v_prev + (1 + μ)·v", () => {
    const w = Tensor.from([1]);
    const opt = new optim.Nesterov({ w }, { lr: 0.1, momentum: 0.5 });
    opt.step({ w: Tensor.from([2]) }); // v: 0 → −0.2; w = 1 − 0 + 1.5·(−0.2) = 0.7
    expect(w.item()).toBeCloseTo(0.7, 15);
    opt.step({ w: Tensor.from([2]) }); // v: −0.2 → −0.3; w = 0.7 + 0.5·0.2 + 1.5·(−0.3) = 0.35
    expect(w.item()).toBeCloseTo(0.35, 15);
  });
  test("RMSProp on CS231n's check", () => {
    const w = linspace(-0.4, 0.6);
    const opt = new optim.RMSProp({ w }, { lr: 1e-2 });
    opt.state.w = { cache: linspace(0.6, 0.9) };
    opt.step({ w: linspace(-0.6, 0.4) });
    // cache = 0.99·0.6 + 0.01·0.36 = 0.5976; w = −0.4 + 0.01·0.6/√0.5976
    expect(w.get(0, 0)).toBeCloseTo(-0.39223849, 8);
    expect(opt.state.w.cache.get(0, 0)).toBeCloseTo(0.5976, 12);
  });
  test("Adam on CS231n's check (t = 5 before the step)", () => {
    const w = linspace(-0.4, 0.6);
    const opt = new optim.Adam({ w }, { lr: 1e-2 });
    opt.state.w = { m: linspace(0.6, 0.9), v: linspace(0.7, 0.5) };
    opt.t = 5;
    opt.step({ w: linspace(-0.6, 0.4) });
    expect(opt.t).toBe(6);
    // m = 0.48, v = 0.69966; w = −0.4 − 0.01·(0.48/(1−0.9⁶)) / √(0.69966/(1−0.999⁶))
    expect(opt.state.w.m.get(0, 0)).toBeCloseTo(0.48, 12);
    expect(opt.state.w.v.get(0, 0)).toBeCloseTo(0.69966, 12);
    expect(w.get(0, 0)).toBeCloseTo(-0.40094747, 8);
  });
  test("Adam's first step moves every weight by about lr, whatever the gradient's scale", () => {
    const w = Tensor.zeros([3]);
    new optim.Adam([w], { lr: 0.01 }).step([Tensor.from([1e-4, -3, 1e4])]);
    expect(w.allClose([-0.01, 0.01, -0.01], 1e-3)).toBe(true); // lr·g/(|g| + ε)
  });
  test("step uses each parameter's .grad by default; clear errors", () => {
    const layer = new nn.Linear(2, 1, { rng: 1 });
    const opt = new optim.SGD(layer.parameters(), { lr: 1 });
    expect(() => opt.step()).toThrow(/no gradient for parameter '0'/);
    layer.forward(Tensor.from([[1, 2]]));
    layer.backward(Tensor.from([[1]]));
    const before = layer.W.clone();
    opt.step();
    expect(layer.W.toArray()).toEqual(before.sub(Tensor.from([[1], [2]])).toArray());
    opt.zeroGrad();
    expect(layer.W.grad!.toFlat()).toEqual([0, 0]);
    expect(() => new optim.SGD({ w: Tensor.zeros([2]) }, { lr: 0 })).toThrow(/learning rate must be a positive number/);
    expect(() => new optim.SGD({ w: Tensor.zeros([2]) }).step({ w: Tensor.zeros([3]) })).toThrow(/gradient for 'w' has shape \[3\], parameter has \[2\]/);
    expect(() => optim.makeOptimizer("adagrad" as never, {})).toThrow(/unknown optimizer "adagrad"/);
  });
  test("learning-rate decay, stepped per epoch", () => {
    const opt = new optim.SGD({ w: Tensor.zeros([1]) }, { lr: 1 });
    const exp = new optim.ExponentialDecay(opt, 0.5);
    expect([exp.step(), exp.step()]).toEqual([0.5, 0.25]);
    const opt2 = new optim.SGD({ w: Tensor.zeros([1]) }, { lr: 1 });
    const steps = new optim.StepDecay(opt2, 2, 0.1);
    expect([1, 2, 3, 4].map(() => steps.step())).toEqual([1, 0.1, 0.1, 0.1 ** 2]);
  });
});

describe("Trainer", () => {
  const ds = data.cs231nSpiral({ pointsPerClass: 20, seed: 1 }); // 60 rows
  const make = () => new nn.TwoLayerNet(2, 10, 3, { weightScale: 0.1, seed: 2 });

  test("mini-batches: ceil(N / batch) updates per epoch, history and callbacks", () => {
    const steps: number[] = [], epochs: number[] = [];
    const t = new optim.Trainer(make(), {
      train: ds, val: ds, batchSize: 25, epochs: 3, optimizer: "adam", lr: 0.05, quiet: true,
      onStep: (s) => steps.push(s.iteration), onEpoch: (e) => epochs.push(e.epoch),
    });
    const r = t.train();
    expect(r.history.loss).toHaveLength(9);
    expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epochs).toEqual([1, 2, 3]);
    expect(r.history.trainAcc).toHaveLength(3);
    expect(r.history.valAcc).toHaveLength(3);
    expect(r.bestAcc).toBe(Math.max(...r.history.valAcc));
    expect(r.history.valAcc[r.bestEpoch - 1]).toBe(r.bestAcc);
  });
  test("full batch: one update per epoch, the first loss is the model's loss on all the data", () => {
    const model = make();
    const first = model.loss(ds.X, ds.y).loss;
    const r = new optim.Trainer(model, { train: ds, batchSize: "full", epochs: 4, lr: 0.5, quiet: true, restoreBest: false }).train();
    expect(r.history.loss).toHaveLength(4);
    expect(r.history.loss[0]).toBe(first);
    expect(r.history.loss[3]).toBeLessThan(first);
  });
  test("the best parameters are restored at the end", () => {
    const model = make();
    const r = new optim.Trainer(model, { train: ds, val: ds, epochs: 6, batchSize: 10, lr: 0.3, quiet: true }).train();
    for (const [name, p] of Object.entries(model.params)) expect(p.equals(r.bestParams[name])).toBe(true);
    expect(optim.checkAccuracy(model, ds)).toBe(r.bestAcc);
  });
  test("trainAsync gives the same losses, lets the event loop run between epochs, and awaits onEpoch", async () => {
    const opts = { train: ds, epochs: 3, batchSize: 16, lr: 0.2, seed: 4, quiet: true } as const;
    const sync = new optim.Trainer(make(), opts).train();
    const events: string[] = [];
    const asyncRun = new optim.Trainer(make(), {
      ...opts,
      onEpoch: async ({ epoch }) => {
        setImmediate(() => events.push(`tick after ${epoch}`));
        await new Promise((r) => setTimeout(r, 5));
        events.push(`epoch ${epoch} done`);
      },
    }).trainAsync();
    expect(events).toEqual([]); // nothing ran synchronously past the first epoch's callback
    const result = await asyncRun;
    expect(result.history.loss).toEqual(sync.history.loss);
    expect(events.filter((e) => e.startsWith("epoch"))).toEqual(["epoch 1 done", "epoch 2 done", "epoch 3 done"]);
    expect(events.indexOf("tick after 1")).toBeLessThan(events.indexOf("epoch 2 done"));
  });
  test("learning-rate decay per epoch is recorded", () => {
    const r = new optim.Trainer(make(), { train: ds, epochs: 3, lr: 0.1, lrDecay: 0.5, quiet: true }).train();
    expect(r.history.lr).toEqual([0.1, 0.05, 0.025]);
  });
  test("progress readout in CS231n's format, to a stream; quiet prints nothing", () => {
    let out = "";
    new optim.Trainer(make(), { train: ds, val: ds, epochs: 2, batchSize: 30, printEvery: 2, stream: { write: (s: string) => (out += s) } }).train();
    const lines = out.trim().split("\n");
    expect(lines[0]).toMatch(/^\(Iteration 1 \/ 4\) loss: \d+\.\d{6}$/);
    expect(lines).toContainEqual(expect.stringMatching(/^\(Iteration 4 \/ 4\) loss: /));
    expect(lines[lines.length - 1]).toMatch(/^\(Epoch 2 \/ 2\) train acc: \d\.\d{4}; val acc: \d\.\d{4}; lr 0\.01$/);
    let quiet = "";
    new optim.Trainer(make(), { train: ds, epochs: 1, quiet: true, stream: { write: (s: string) => (quiet += s) } }).train();
    expect(quiet).toBe("");
  });
  test("same seed, bit-identical losses; another seed, other batches", () => {
    const run = (seed: number) => new optim.Trainer(make(), { train: ds, epochs: 3, batchSize: 8, optimizer: "momentum", lr: 0.1, seed, quiet: true }).train().history.loss;
    const a = run(7), b = run(7), c = run(8);
    expect(b).toEqual(a);
    expect(a.every((v, i) => Object.is(v, b[i]))).toBe(true);
    expect(c).not.toEqual(a);
  });
  test("a diverging run stops with a hint about the learning rate", () => {
    // A model whose loss has overflowed: the Trainer must stop instead of training on NaN.
    const w = Tensor.zeros([2, 3]);
    const diverged = {
      params: { w },
      loss: ((X: Tensor, y?: unknown) => (y === undefined ? Tensor.zeros([X.shape[0], 3]) : { loss: Infinity, grads: { w: Tensor.zeros([2, 3]) } })) as nn.Model["loss"],
    };
    expect(() => new optim.Trainer(diverged, { train: ds, epochs: 2, lr: 10, quiet: true }).train())
      .toThrow(/the loss became Infinity at iteration 1 \(epoch 1\): the learning rate 10 is probably too high/);
  });
  test("bad options are named", () => {
    expect(() => new optim.Trainer(make(), { train: ds, batchSize: 0 })).toThrow(/batchSize must be a whole number >= 1 or "full"/);
    expect(() => new optim.Trainer({} as never, { train: ds })).toThrow(/model must have params and loss/);
  });
});

void Random;
