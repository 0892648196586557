/** Which gate implements each differentiable Tensor method (the hook's `op` and `attrs`). */
import type { DifferentiableOp } from "../tensor/autograd-hook";
import type { SliceSpec } from "../tensor/ops/layout";
import {
  BroadcastGate, ClipGate, ConcatGate, Gate, MatMulGate, MaxReduceGate, MeanGate, MinReduceGate, ReshapeGate, SliceGate,
  SumGate, TakeGate, TransposeGate,
} from "../gates";
import { BINARY_GATES, UNARY_GATES } from "../gates/table";

type Attrs = Record<string, unknown>;
type Axis = number | number[] | null | undefined;

const FACTORIES: Record<DifferentiableOp, (a: Attrs) => Gate> = {
  // Every op of the op table, by its method name.
  ...factoriesOf(UNARY_GATES),
  ...factoriesOf(BINARY_GATES),
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

/** A factory per gate class: { exp: () => new ExpGate(), ... }. */
function factoriesOf<K extends string>(classes: Record<K, new () => Gate>): Record<K, () => Gate> {
  return Object.fromEntries(Object.entries<new () => Gate>(classes).map(([op, G]) => [op, () => new G()])) as Record<K, () => Gate>;
}

export function gateForOp(op: DifferentiableOp, attrs: Attrs = {}): Gate {
  const make = FACTORIES[op];
  if (!make) throw new Error(`autograd: no gate for the operation '${String(op)}'`);
  return make(attrs);
}
