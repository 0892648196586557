/** Gates: the lecture's forward/backward API on plain numbers and tensors, with clear errors. */
import {
  AbsGate, AddGate, BroadcastGate, ClipGate, ConcatGate, CosGate, DivideGate, ExpGate, LogGate, MatMulGate, MaxGate,
  MaxReduceGate, MeanGate, MinGate, MinReduceGate, MultiplyGate, NegateGate, PowGate, ReLUGate, ReshapeGate,
  SigmoidGate, SinGate, SliceGate, SqrtGate, SquareGate, SubtractGate, SumGate, TakeGate, TanhGate, Tensor,
  TransposeGate, UnaryGate, tensor,
} from "gradlab";

describe("scalar gates give plain numbers", () => {
  test("MultiplyGate: forward(3, -4) = -12, backward(2) = [-8, 6]", () => {
    const g = new MultiplyGate();
    expect(g.forward(3, -4)).toBe(-12);
    expect(g.backward(2)).toEqual([-8, 6]);
  });

  test("add distributes, max routes, multiply switches", () => {
    const add = new AddGate();
    add.forward(2, 7);
    expect(add.backward(5)).toEqual([5, 5]);
    const max = new MaxGate();
    expect(max.forward(2, -1)).toBe(2);
    expect(max.backward(3)).toEqual([3, 0]);
    const min = new MinGate();
    expect(min.forward(2, -1)).toBe(-1);
    expect(min.backward(3)).toEqual([0, 3]);
  });

  test("max and min ties route the gradient to the first input", () => {
    const max = new MaxGate();
    max.forward(1.5, 1.5);
    expect(max.backward(1)).toEqual([1, 0]);
  });

  test("subtract, divide, pow, negate", () => {
    const sub = new SubtractGate();
    expect(sub.forward(5, 3)).toBe(2);
    expect(sub.backward(2)).toEqual([2, -2]);
    const div = new DivideGate();
    expect(div.forward(6, 3)).toBe(2);
    const [dx, dy] = div.backward(1) as number[];
    expect(dx).toBeCloseTo(1 / 3, 15);
    expect(dy).toBeCloseTo(-6 / 9, 15);
    const pow = new PowGate();
    expect(pow.forward(2, 3)).toBe(8);
    const [db, de] = pow.backward(1) as number[];
    expect(db).toBe(12);
    expect(de).toBeCloseTo(8 * Math.log(2), 14);
    const neg = new NegateGate();
    expect(neg.forward(4)).toBe(-4);
    expect(neg.backward(3)).toEqual([-3]);
  });

  test("pow at a zero base gives exponent gradient 0, not NaN", () => {
    const pow = new PowGate();
    expect(pow.forward(0, 2)).toBe(0);
    expect(pow.backward(1)).toEqual([0, 0]);
  });

  test("unary gates: known local gradients", () => {
    const cases: [UnaryGate, number, number, number][] = [
      [new ExpGate(), 1, Math.E, Math.E],
      [new LogGate(), 2, Math.log(2), 0.5],
      [new SinGate(), 0, 0, 1],
      [new CosGate(), 0, 1, -0],
      [new TanhGate(), 0, 0, 1],
      [new SigmoidGate(), 0, 0.5, 0.25],
      [new ReLUGate(), -2, 0, 0],
      [new ReLUGate(), 3, 3, 1],
      [new ReLUGate(), 0, 0, 0],
      [new AbsGate(), -3, 3, -1],
      [new SqrtGate(), 4, 2, 0.25],
      [new SquareGate(), -3, 9, -6],
      [new ClipGate(-1, 1), 0.5, 0.5, 1],
      [new ClipGate(-1, 1), 2, 1, 0],
    ];
    for (const [gate, x, y, dydx] of cases) {
      expect(gate.forward(x)).toBeCloseTo(y, 15);
      expect(gate.backward(1)[0]).toBeCloseTo(dydx, 15);
    }
  });

  test("sigmoid: σ'(x) = σ(x)(1 - σ(x)) on a range of x, finite for |x| up to 1000", () => {
    const g = new SigmoidGate();
    for (let x = -1000; x <= 1000; x += 7.5) {
      const s = g.forward(x) as number;
      const ds = g.backward(1)[0] as number;
      expect(Number.isFinite(s) && Number.isFinite(ds)).toBe(true);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
      expect(ds).toBeCloseTo(s * (1 - s), 15);
    }
    // e^-1000 underflows to 0 in float64: the exact answers are 0 and 1, reached without Infinity/Infinity.
    expect(g.forward(-1000)).toBe(0);
    expect(g.forward(1000)).toBe(1);
    // Against the textbook formula where it does not overflow.
    for (const x of [-30, -2.5, -0.1, 0.3, 4, 30]) {
      const s = 1 / (1 + Math.exp(-x));
      expect(g.forward(x)).toBeCloseTo(s, 15);
      expect(g.backward(1)[0]).toBeCloseTo(s * (1 - s), 15);
    }
  });

  test("every gate exposes a name and a label", () => {
    expect(new MultiplyGate().name).toBe("MultiplyGate");
    expect(new MultiplyGate().label).toBe("*");
    expect(new SumGate({ axis: 1 }).label).toBe("sum(axis=1)");
    expect(new ClipGate(0, 6).label).toBe("clip[0, 6]");
  });
});

describe("tensor gates", () => {
  test("broadcasting is summed back to each input's shape", () => {
    const g = new AddGate();
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    const b = tensor([10, 20, 30]);
    expect((g.forward(x, b) as Tensor).toArray()).toEqual([[11, 22, 33], [14, 25, 36]]);
    const [dx, db] = g.backward(tensor([[1, 1, 1], [2, 2, 2]])) as Tensor[];
    expect(dx.toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(db.toArray()).toEqual([3, 3, 3]);
  });

  test("a number broadcast against a tensor receives the summed gradient as a number", () => {
    const g = new MultiplyGate();
    g.forward(tensor([1, 2, 3]), 2);
    const [dx, ds] = g.backward(tensor([1, 1, 1]));
    expect((dx as Tensor).toArray()).toEqual([2, 2, 2]);
    expect(ds).toBe(6);
  });

  test("matmul: dA = dOut·Bᵀ, dB = Aᵀ·dOut", () => {
    const g = new MatMulGate();
    const A = tensor([[1, 2], [3, 4]]), B = tensor([[5, 6], [7, 8]]);
    expect((g.forward(A, B) as Tensor).toArray()).toEqual([[19, 22], [43, 50]]);
    const [dA, dB] = g.backward(Tensor.ones([2, 2])) as Tensor[];
    expect(dA.toArray()).toEqual([[11, 15], [11, 15]]);
    expect(dB.toArray()).toEqual([[4, 4], [6, 6]]);
  });

  test("matmul of a matrix and a vector, and of two vectors", () => {
    const g = new MatMulGate();
    const W = tensor([[1, 2, 3], [4, 5, 6]]), v = tensor([1, 0, -1]);
    expect((g.forward(W, v) as Tensor).toArray()).toEqual([-2, -2]);
    const [dW, dv] = g.backward(tensor([1, 2])) as Tensor[];
    expect(dW.toArray()).toEqual([[1, 0, -1], [2, 0, -2]]);
    expect(dv.toArray()).toEqual([9, 12, 15]);
    const dot = new MatMulGate();
    expect((dot.forward(v, v) as Tensor).item()).toBe(2);
    expect((dot.backward(3)[0] as Tensor).toArray()).toEqual([3, 0, -3]);
  });

  test("sum, mean, max and min over an axis", () => {
    const x = tensor([[1, 5, 2], [7, 0, 7]]);
    const sum = new SumGate({ axis: 1 });
    expect((sum.forward(x) as Tensor).toArray()).toEqual([8, 14]);
    expect((sum.backward(tensor([1, 2]))[0] as Tensor).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    const mean = new MeanGate({ axis: 0, keepdims: true });
    expect((mean.forward(x) as Tensor).toArray()).toEqual([[4, 2.5, 4.5]]);
    expect((mean.backward(tensor([[2, 4, 6]]))[0] as Tensor).toArray()).toEqual([[1, 2, 3], [1, 2, 3]]);
    const max = new MaxReduceGate({ axis: 1 });
    expect((max.forward(x) as Tensor).toArray()).toEqual([5, 7]);
    // The tie between the two 7s shares the gradient.
    expect((max.backward(tensor([1, 4]))[0] as Tensor).toArray()).toEqual([[0, 1, 0], [2, 0, 2]]);
    const min = new MinReduceGate();
    expect((min.forward(x) as Tensor).item()).toBe(0);
    expect((min.backward(1)[0] as Tensor).toArray()).toEqual([[0, 0, 0], [0, 1, 0]]);
  });

  test("reshape, transpose, broadcast, slice, take, concat put gradients back where they came from", () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    const r = new ReshapeGate([3, 2]);
    r.forward(x);
    expect((r.backward(tensor([[1, 2], [3, 4], [5, 6]]))[0] as Tensor).toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    const t = new TransposeGate([1, 0]);
    expect((t.forward(x) as Tensor).shape).toEqual([3, 2]);
    expect((t.backward(tensor([[1, 2], [3, 4], [5, 6]]))[0] as Tensor).toArray()).toEqual([[1, 3, 5], [2, 4, 6]]);
    const b = new BroadcastGate([2, 3]);
    b.forward(tensor([1, 2, 3]));
    expect((b.backward(x)[0] as Tensor).toArray()).toEqual([5, 7, 9]);
    const s = new SliceGate([null, [1, 3]]);
    expect((s.forward(x) as Tensor).toArray()).toEqual([[2, 3], [5, 6]]);
    expect((s.backward(tensor([[1, 2], [3, 4]]))[0] as Tensor).toArray()).toEqual([[0, 1, 2], [0, 3, 4]]);
    const take = new TakeGate([1, 0, 1]);
    expect((take.forward(x) as Tensor).toArray()).toEqual([[4, 5, 6], [1, 2, 3], [4, 5, 6]]);
    expect((take.backward(Tensor.ones([3, 3]))[0] as Tensor).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    const c = new ConcatGate(1);
    expect((c.forward(x, tensor([[7], [8]])) as Tensor).toArray()).toEqual([[1, 2, 3, 7], [4, 5, 6, 8]]);
    const [d1, d2] = c.backward(tensor([[1, 2, 3, 4], [5, 6, 7, 8]])) as Tensor[];
    expect(d1.toArray()).toEqual([[1, 2, 3], [5, 6, 7]]);
    expect(d2.toArray()).toEqual([[4], [8]]);
  });
});

describe("errors name the gate, the problem and the shapes", () => {
  test("backward before forward", () => {
    expect(() => new MultiplyGate().backward(1)).toThrow("MultiplyGate.backward called before forward");
    expect(() => new SigmoidGate().jvp([1])).toThrow("SigmoidGate.jvp called before forward");
  });

  test("wrong number of inputs", () => {
    expect(() => new AddGate().forward(1)).toThrow("AddGate: forward expects 2 input(s) (x, y), got 1");
    expect(() => new ExpGate().forward(1, 2)).toThrow("ExpGate: forward expects 1 input(s) (x), got 2");
  });

  test("inputs that are neither numbers nor tensors", () => {
    expect(() => new AddGate().forward(1, "2" as any)).toThrow("AddGate: input y must be a number or a Tensor, got a string");
    expect(() => new AddGate().forward([1, 2] as any, 1)).toThrow("wrap it with tensor(...)");
  });

  test("shapes that do not broadcast", () => {
    expect(() => new AddGate().forward(Tensor.zeros([2, 3]), Tensor.zeros([4]))).toThrow(
      "AddGate: cannot combine x of shape [2, 3] with y of shape [4]",
    );
  });

  test("matmul with mismatched inner dimensions", () => {
    expect(() => new MatMulGate().forward(Tensor.zeros([2, 3]), Tensor.zeros([4, 5]))).toThrow(
      "MatMulGate: cannot multiply a of shape [2, 3] by b of shape [4, 5]: a has 3 columns but b has 4 rows",
    );
  });

  test("upstream gradient of the wrong shape", () => {
    const g = new MultiplyGate();
    g.forward(Tensor.zeros([2, 3]), 2);
    expect(() => g.backward(Tensor.zeros([3]))).toThrow("MultiplyGate: upstream gradient has shape [3] but should have shape [2, 3]");
  });

  test("tensor-only gates reject plain numbers", () => {
    expect(() => new SumGate().forward(3)).toThrow("SumGate: input x must be a Tensor, got the number 3");
    expect(() => new MatMulGate().forward(Tensor.zeros([2]), 3)).toThrow("MatMulGate: input b must be a Tensor");
  });

  test("bad reshape, axis and clip bounds", () => {
    expect(() => new ReshapeGate([4]).forward(Tensor.zeros([2, 3]))).toThrow(/ReshapeGate: .*\[2, 3\].*\[4\]/);
    expect(() => new SumGate({ axis: 2 }).forward(Tensor.zeros([2, 3]))).toThrow("SumGate: axis 2 is out of range");
    expect(() => new ClipGate(1, 0)).toThrow("ClipGate: lower bound 1 is above upper bound 0");
  });
});

test("layout gates name the problem and the input's shape once", () => {
  expect(() => new SliceGate([5]).forward(Tensor.zeros([2, 3]))).toThrow(/^SliceGate: index 5 is out of range for axis 0 of size 2 \(shape \[2, 3\]\)$/);
  expect(() => new TakeGate([3], 1).forward(Tensor.zeros([2, 3]))).toThrow("TakeGate: index 3 is out of range for axis 1 of size 3");
  expect(() => new TransposeGate([0]).forward(Tensor.zeros([2, 3]))).toThrow("TransposeGate: axes [0] are not a permutation");
  expect(() => new BroadcastGate([4]).forward(Tensor.zeros([2, 3]))).toThrow("BroadcastGate: cannot broadcast x of shape [2, 3] to [4]");
  expect(() => new ConcatGate(0).forward(Tensor.zeros([2, 3]), Tensor.zeros([2, 2]))).toThrow("ConcatGate: concat along axis 0: shapes [2, 3], [2, 2] differ");
});
