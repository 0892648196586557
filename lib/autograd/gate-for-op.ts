/** Which gate implements each differentiable Tensor method (the hook's `op` and `attrs`). */
import type { DifferentiableOp } from "../tensor/autograd-hook";
import type { SliceSpec } from "../tensor/ops/layout";
import {
  AbsGate, AddGate, BroadcastGate, ClipGate, ConcatGate, CosGate, DivideGate, ExpGate, Gate, LogGate, MatMulGate,
  MaxGate, MaxReduceGate, MeanGate, MinGate, MinReduceGate, MultiplyGate, NegateGate, PowGate, ReLUGate, ReshapeGate,
  SigmoidGate, SinGate, SliceGate, SqrtGate, SquareGate, SubtractGate, SumGate, TakeGate, TanhGate, TransposeGate,
} from "../gates";

type Attrs = Record<string, unknown>;
type Axis = number | number[] | null | undefined;

const FACTORIES: Record<DifferentiableOp, (a: Attrs) => Gate> = {
  add: () => new AddGate(),
  sub: () => new SubtractGate(),
  mul: () => new MultiplyGate(),
  div: () => new DivideGate(),
  pow: () => new PowGate(),
  maximum: () => new MaxGate(),
  minimum: () => new MinGate(),
  neg: () => new NegateGate(),
  exp: () => new ExpGate(),
  log: () => new LogGate(),
  sin: () => new SinGate(),
  cos: () => new CosGate(),
  tanh: () => new TanhGate(),
  sigmoid: () => new SigmoidGate(),
  relu: () => new ReLUGate(),
  abs: () => new AbsGate(),
  sqrt: () => new SqrtGate(),
  square: () => new SquareGate(),
  clip: (a) => new ClipGate(a.lo as number, a.hi as number),
  matmul: () => new MatMulGate(),
  sum: (a) => new SumGate({ axis: a.axis as Axis, keepdims: a.keepdims as boolean }),
  mean: (a) => new MeanGate({ axis: a.axis as Axis, keepdims: a.keepdims as boolean }),
  max: (a) => new MaxReduceGate({ axis: a.axis as Axis, keepdims: a.keepdims as boolean }),
  min: (a) => new MinReduceGate({ axis: a.axis as Axis, keepdims: a.keepdims as boolean }),
  reshape: (a) => new ReshapeGate(a.shape as number[]),
  transpose: (a) => new TransposeGate(a.axes as number[] | undefined),
  broadcastTo: (a) => new BroadcastGate(a.shape as number[]),
  slice: (a) => new SliceGate(a.specs as SliceSpec[]),
  take: (a) => new TakeGate(a.indices as number[], (a.axis as number | undefined) ?? 0),
  concat: (a) => new ConcatGate((a.axis as number | undefined) ?? 0),
};

export function gateForOp(op: DifferentiableOp, attrs: Attrs = {}): Gate {
  const make = FACTORIES[op];
  if (!make) throw new Error(`autograd: no gate for the operation '${String(op)}'`);
  return make(attrs);
}
