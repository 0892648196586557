/** Gates: the lecture's modular forward / backward / jvp units, for plain numbers and Tensors. */
export { Gate } from "./gate";
export { isGateLike, gateName, gateLabel, asGate, ForeignGate } from "./gate-like";
export type { GateLike } from "./gate-like";
export type { Num } from "./arith";
export { UnaryGate, BinaryGate } from "./elementwise";
export {
  AddGate, SubtractGate, MultiplyGate, DivideGate, MaxGate, MinGate, PowGate,
  NegateGate, ExpGate, LogGate, SinGate, CosGate, TanhGate, SigmoidGate, ReLUGate, AbsGate, SqrtGate, SquareGate,
  SoftplusGate, AtanGate,
} from "./table";
export { ClipGate } from "./clip";
export { MatMulGate } from "./matmul";
export { SumGate, MeanGate, MaxReduceGate, MinReduceGate } from "./reduce";
export type { ReduceOptions } from "./reduce";
export { ReshapeGate, TransposeGate, BroadcastGate, SliceGate, TakeGate, ConcatGate } from "./layout";
