/**
 * Gradient checks: numericGradient, relError, gradcheck, and checkGate on every gate (seeded random
 * inputs away from kinks, float64) plus forward mode agreeing with reverse mode gate by gate.
 */
import {
  AbsGate, AddGate, BroadcastGate, ClipGate, ConcatGate, CosGate, DivideGate, ExpGate, Gate, LogGate, MatMulGate,
  MaxGate, MaxReduceGate, MeanGate, MinGate, MinReduceGate, MultiplyGate, NegateGate, PowGate, Random, ReLUGate,
  ReshapeGate, SigmoidGate, SinGate, SliceGate, SqrtGate, SquareGate, SubtractGate, SumGate, TakeGate, TanhGate, Tensor,
  TransposeGate, checkGate, gradcheck, noGrad, numericGradient, relError, tensor,
} from "gradlab";
import type { Num } from "gradlab";

let rng = new Random(2024);
/** Each test draws from its own seeded stream, so results do not depend on which tests run (-t). */
function reseed(name: string): void {
  let h = 2024;
  for (const c of name) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  rng = new Random(h);
}
/** Uniform in [lo, hi) with the given shape ([] = a plain number). */
function uniform(shape: number[], lo: number, hi: number): Num {
  if (shape.length === 0) return lo + (hi - lo) * rng.random();
  return Tensor.rand(shape, rng).mul(hi - lo).add(lo);
}
/** Random values of either sign, kept at least 0.2 away from 0 (the kink of relu, abs, ...). */
function awayFromZero(shape: number[]): Num {
  const magnitude = uniform(shape, 0.2, 2);
  const sign = shape.length === 0 ? (rng.random() < 0.5 ? -1 : 1) : Tensor.rand(shape, rng).gt(0.5).mul(2).sub(1);
  return typeof magnitude === "number" ? magnitude * (sign as number) : magnitude.mul(sign as Tensor);
}
/** Two tensors whose elements differ by at least 0.2 (away from the kink of max/min). */
function distinctPair(shape: number[]): [Num, Num] {
  const a = awayFromZero(shape);
  const gap = uniform(shape, 0.2, 1);
  const side = awayFromZero(shape);
  const b = typeof a === "number" ? a + Math.sign(side as number) * (gap as number) : (a as Tensor).add((gap as Tensor).mul((side as Tensor).sign()));
  return [a, b];
}

type Case = [string, () => Gate, () => Num[]];
const scalarAndTensor = (name: string, make: () => Gate, inputs: (shape: number[]) => Num[]): Case[] => [
  [`${name} (numbers)`, make, () => inputs([])],
  [`${name} (tensors)`, make, () => inputs([2, 3])],
];

const cases: Case[] = [
  ...scalarAndTensor("AddGate", () => new AddGate(), (s) => [awayFromZero(s), awayFromZero(s)]),
  ...scalarAndTensor("SubtractGate", () => new SubtractGate(), (s) => [awayFromZero(s), awayFromZero(s)]),
  ...scalarAndTensor("MultiplyGate", () => new MultiplyGate(), (s) => [awayFromZero(s), awayFromZero(s)]),
  ...scalarAndTensor("DivideGate", () => new DivideGate(), (s) => [awayFromZero(s), awayFromZero(s)]),
  ...scalarAndTensor("MaxGate", () => new MaxGate(), (s) => distinctPair(s)),
  ...scalarAndTensor("MinGate", () => new MinGate(), (s) => distinctPair(s)),
  // Bases away from 1, where the exponent gradient x^y·ln x passes through 0 (relative error means nothing there).
  ...scalarAndTensor("PowGate", () => new PowGate(), (s) => [uniform(s, 1.2, 2.5), uniform(s, -2, 3)]),
  ...scalarAndTensor("NegateGate", () => new NegateGate(), (s) => [awayFromZero(s)]),
  ...scalarAndTensor("ExpGate", () => new ExpGate(), (s) => [awayFromZero(s)]),
  ...scalarAndTensor("LogGate", () => new LogGate(), (s) => [uniform(s, 0.3, 3)]),
  ...scalarAndTensor("SinGate", () => new SinGate(), (s) => [awayFromZero(s)]),
  ...scalarAndTensor("CosGate", () => new CosGate(), (s) => [awayFromZero(s)]),
  ...scalarAndTensor("TanhGate", () => new TanhGate(), (s) => [awayFromZero(s)]),
  ...scalarAndTensor("SigmoidGate", () => new SigmoidGate(), (s) => [awayFromZero(s)]),
  ...scalarAndTensor("ReLUGate", () => new ReLUGate(), (s) => [awayFromZero(s)]),
  ...scalarAndTensor("AbsGate", () => new AbsGate(), (s) => [awayFromZero(s)]),
  ...scalarAndTensor("SqrtGate", () => new SqrtGate(), (s) => [uniform(s, 0.3, 3)]),
  ...scalarAndTensor("SquareGate", () => new SquareGate(), (s) => [awayFromZero(s)]),
  ...scalarAndTensor("ClipGate", () => new ClipGate(-1, 1), (s) => [awayFromZero(s)]),
  ["AddGate (broadcast bias)", () => new AddGate(), () => [awayFromZero([4, 3]), awayFromZero([3])]],
  ["MultiplyGate (tensor × number)", () => new MultiplyGate(), () => [awayFromZero([2, 2]), awayFromZero([])]],
  ["DivideGate (broadcast column)", () => new DivideGate(), () => [awayFromZero([3, 2]), awayFromZero([3, 1])]],
  ["MatMulGate (matrix · matrix)", () => new MatMulGate(), () => [awayFromZero([3, 4]), awayFromZero([4, 2])]],
  ["MatMulGate (matrix · vector)", () => new MatMulGate(), () => [awayFromZero([3, 4]), awayFromZero([4])]],
  ["MatMulGate (vector · matrix)", () => new MatMulGate(), () => [awayFromZero([4]), awayFromZero([4, 2])]],
  ["MatMulGate (batched, broadcast)", () => new MatMulGate(), () => [awayFromZero([2, 3, 4]), awayFromZero([4, 2])]],
  ["SumGate (all)", () => new SumGate(), () => [awayFromZero([2, 3])]],
  ["SumGate (axis 0, keepdims)", () => new SumGate({ axis: 0, keepdims: true }), () => [awayFromZero([2, 3])]],
  ["MeanGate (axis -1)", () => new MeanGate({ axis: -1 }), () => [awayFromZero([2, 3, 2])]],
  ["MaxReduceGate (axis 1)", () => new MaxReduceGate({ axis: 1 }), () => [awayFromZero([3, 4])]],
  ["MinReduceGate (all)", () => new MinReduceGate(), () => [awayFromZero([3, 4])]],
  ["ReshapeGate", () => new ReshapeGate([3, -1]), () => [awayFromZero([2, 3])]],
  ["TransposeGate (default)", () => new TransposeGate(), () => [awayFromZero([2, 3])]],
  ["TransposeGate (axes 2, 0, 1)", () => new TransposeGate([2, 0, 1]), () => [awayFromZero([2, 3, 4])]],
  ["BroadcastGate", () => new BroadcastGate([4, 2, 3]), () => [awayFromZero([2, 1])]],
  ["BroadcastGate (number)", () => new BroadcastGate([2, 2]), () => [awayFromZero([])]],
  ["SliceGate", () => new SliceGate([[1, 3], 0, null]), () => [awayFromZero([3, 2, 2])]],
  ["TakeGate (repeats)", () => new TakeGate([2, 0, 2, 1], 1), () => [awayFromZero([2, 3])]],
  ["ConcatGate", () => new ConcatGate(0), () => [awayFromZero([1, 3]), awayFromZero([2, 3]), awayFromZero([1, 3])]],
];

describe("checkGate: every gate's backward and jvp match centred differences of its forward", () => {
  test.each(cases)("%s", (name, make, inputs) => {
    reseed(name);
    const result = checkGate(make(), inputs());
    if (!result.ok) throw new Error(result.message);
    expect(result.maxRelError).toBeLessThan(1e-7);
    expect(result.jvpRelError).toBeLessThan(1e-7);
  });
});

describe("forward and reverse mode agree gate by gate: <backward(u), v> = <u, jvp(v)>", () => {
  const dot = (a: Num, b: Num) => (typeof a === "number" ? a * (b as number) : noGrad(() => (a as Tensor).mul(b).sum().item()));
  const randomLike = (x: Num): Num => (typeof x === "number" ? rng.normal() : Tensor.randn(x.shape, rng));
  test.each(cases)("%s", (name, make, inputs) => {
    reseed(`adjoint ${name}`);
    const gate = make();
    const xs = inputs();
    const out = gate.forward(...xs);
    const u = randomLike(out);
    const vs = xs.map(randomLike);
    const grads = gate.backward(u);
    const lhs = grads.reduce((s: number, g, i) => s + dot(g, vs[i]), 0);
    const rhs = dot(u, gate.jvp(vs));
    expect(Math.abs(lhs - rhs)).toBeLessThan(1e-12 * (1 + Math.abs(lhs)));
  });
});

describe("checkGate explains mistakes in words", () => {
  /** A multiply gate with a configurable bug in backward. */
  class BuggyMultiply extends MultiplyGate {
    constructor(private readonly bug: (dout: number, x: number, y: number) => Num[]) {
      super();
    }
    backward(dout: Num): Num[] {
      const [x, y] = this.cached!.inputs as number[];
      return this.bug(dout as number, x, y);
    }
  }

  test("a correct gate passes with a one-line summary", () => {
    const r = checkGate(new MultiplyGate(), [3, -4]);
    expect(r.ok).toBe(true);
    expect(r.message).toMatch(/^MultiplyGate: backward matches centred differences for x, y \(max relative error .*\); jvp matches too/);
  });

  test("sign flipped", () => {
    const r = checkGate(new BuggyMultiply((d, x, y) => [-d * y, d * x]), [3, -4]);
    expect(r.ok).toBe(false);
    expect(r.inputs[0]).toMatchObject({ input: "x", ok: false });
    expect(r.inputs[1].ok).toBe(true);
    expect(r.message).toContain("the gradient of input x is wrong: analytic");
    expect(r.message).toContain("Hint: sign flipped?");
  });

  test("off by a factor of 2", () => {
    const r = checkGate(new BuggyMultiply((d, x, y) => [d * y, 2 * d * x]), [3, -4]);
    expect(r.message).toContain("the gradient of input y is wrong");
    expect(r.message).toContain("off by a factor of 2? The analytic gradient is twice the numeric one.");
  });

  test("swapped gradients", () => {
    const r = checkGate(new BuggyMultiply((d, x, y) => [d * x, d * y]), [3, -4]);
    expect(r.message).toContain("looks like the gradient of another input (y)");
  });

  test("upstream gradient forgotten", () => {
    const r = checkGate(new BuggyMultiply((_d, x, y) => [y, x]), [3, -4], { upstream: 1.7 });
    expect(r.message).toContain("forgot to multiply by the upstream gradient dout?");
  });

  test("wrong count and wrong shape of gradients", () => {
    const r1 = checkGate(new BuggyMultiply((d, _x, y) => [d * y]), [3, -4]);
    expect(r1.message).toBe("MultiplyGate: backward returned 1 gradient(s) but the gate has 2 input(s); return one per input, in input order");
    class NoSumBack extends AddGate {
      backward(dout: Num): Num[] {
        return [dout, dout];
      }
    }
    const r2 = checkGate(new NoSumBack(), [Tensor.ones([2, 3]), Tensor.ones([3])]);
    expect(r2.message).toContain("the gradient for input y has shape [2, 3] but y has shape [3]");
    expect(r2.message).toContain("sum the gradient over the broadcast axes");
  });

  test("a tensor mismatch names the index", () => {
    class OffByOne extends SquareGate {
      backward(dout: Num): Num[] {
        const [g] = super.backward(dout) as Tensor[];
        const bad = g.clone();
        bad.data[4] += 1;
        return [bad];
      }
    }
    const r = checkGate(new OffByOne(), [tensor([[1, 2, 3], [4, 5, 6]])]);
    expect(r.ok).toBe(false);
    expect(r.inputs[0].index).toEqual([1, 1]);
    expect(r.message).toContain("at index [1, 1]");
  });

  test("a wrong jvp is reported", () => {
    class BadJvp extends SinGate {
      jvp(...args: any[]): Num {
        return super.jvp(...args) as number + 1;
      }
    }
    const r = checkGate(new BadJvp(), [0.4]);
    expect(r.inputs[0].ok).toBe(true);
    expect(r.ok).toBe(false);
    expect(r.message).toContain("jvp disagrees with a centred directional difference of forward");
  });
});

describe("numericGradient, relError, gradcheck", () => {
  test("numericGradient is centred: exact for quadratics up to rounding", () => {
    expect(numericGradient((x: number) => 3 * x * x + x, 2) as number).toBeCloseTo(13, 8);
    const g = numericGradient((t: Tensor) => t.square().sum(), tensor([1, -2, 3])) as Tensor;
    expect(g.allClose(tensor([2, -4, 6]), 1e-8)).toBe(true);
    expect(() => numericGradient((t: Tensor) => t, tensor([1, 2]))).toThrow("f must return a scalar, got a Tensor of shape [2]");
  });

  test("relError = |a - n| / max(1e-8, |a| + |n|), elementwise max", () => {
    expect(relError(1, 1)).toBe(0);
    expect(relError(1, -1)).toBe(1);
    expect(relError(0, 0)).toBe(0);
    expect(relError(1e-9, 0)).toBeCloseTo(0.1, 12);
    expect(relError(tensor([1, 2]), tensor([1, 3]))).toBeCloseTo(1 / 5, 15);
    expect(() => relError(tensor([1, 2]), tensor([1, 2, 3]))).toThrow("relError: analytic has shape [2] but numeric has shape [3]");
  });

  test("gradcheck catches a gradient that autograd cannot see", () => {
    // x * stopGradient(x): autograd sees only one of the two factors, so its gradient is half the true one.
    const f = (x: Tensor) => x.mul(noGrad(() => x.mul(1))).sum();
    const result = gradcheck(f, tensor([1, 2, 3]));
    expect(result.ok).toBe(false);
    expect(result.mismatches.map((m) => m.index)).toEqual([[0], [1], [2]]);
    expect(result.mismatches[1]).toMatchObject({ analytic: 2 });
    expect(result.mismatches[1].numeric).toBeCloseTo(4, 6);
    expect(result.message).toContain("gradcheck failed at 3 of 3 element(s)");
  });

  test("sparse mode checks a seeded random subset of a large input", () => {
    const W = Tensor.randn([50, 40], new Random(5));
    const f = (w: Tensor) => w.tanh().square().mean();
    const a = gradcheck(f, W, { sparse: 25, seed: 9 });
    const b = gradcheck(f, W, { sparse: 25, seed: 9 });
    expect(a.ok).toBe(true);
    expect(a.checked).toBe(25);
    expect(a.maxRelError).toBe(b.maxRelError);
    expect(() => gradcheck(f, W, { sparse: 0 })).toThrow("sparse must be a positive whole number");
  });

  test("gradcheck leaves the caller's tensors alone and reports disconnected outputs", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    gradcheck((t: Tensor) => t.exp().sum(), x);
    expect(x.grad).toBeNull();
    expect(() => gradcheck(() => tensor([1]), x)).toThrow("f's output is not connected to its inputs");
  });
});

describe("a student's own gate class (not extending Gate)", () => {
  /** Written the way the lecture writes gates: cache in forward, use the cache in backward. */
  class StudentMultiply {
    private x = 0;
    private y = 0;
    forward(x: Num, y: Num): Num {
      this.x = x as number;
      this.y = y as number;
      return this.x * this.y;
    }
    backward(dz: Num): Num[] {
      return [(dz as number) * this.y, (dz as number) * this.x];
    }
  }
  class StudentSigmoidWrong {
    private out = 0;
    forward(x: Num): Num {
      this.out = 1 / (1 + Math.exp(-(x as number)));
      return this.out;
    }
    backward(dz: Num): Num[] {
      return [(dz as number) * this.out]; // forgot (1 - out)
    }
  }

  test("checkGate checks backward (no jvp to check) and names the class", () => {
    const ok = checkGate(new StudentMultiply(), [3, -4]);
    expect(ok.ok).toBe(true);
    expect(ok.jvpRelError).toBeUndefined();
    expect(ok.message).toMatch(/^StudentMultiply: backward matches centred differences for input 0, input 1/);
    const bad = checkGate(new StudentSigmoidWrong(), [0.8]);
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain("StudentSigmoidWrong: the gradient of input 0 is wrong");
  });

  test("forward errors are reported, not thrown", () => {
    const broken = { forward: () => { throw new Error("boom"); }, backward: () => [0] };
    expect(checkGate(broken, [1]).message).toBe("gate: forward threw an error on the given inputs: boom");
  });
});

describe("numericGradient in CS231n style", () => {
  test("f may ignore its argument and read the perturbed tensor through a closure; x is restored exactly", () => {
    const W = tensor([[0.1, -0.2], [0.3, 0.4]]);
    const before = Array.from(W.data);
    const x = tensor([1.5, -2]);
    const loss = () => W.matmul(x).tanh().sum().item();
    const g = numericGradient(loss, W) as Tensor;
    const local = W.matmul(x).tanh().square().neg().add(1); // 1 - tanh²
    const expected = tensor([[local.get(0) * 1.5, local.get(0) * -2], [local.get(1) * 1.5, local.get(1) * -2]]);
    expect(g.allClose(expected, 1e-9, 1e-12)).toBe(true);
    expect(Array.from(W.data)).toEqual(before);
  });
});
