/** The numeric core: n-d tensors, their raw kernels, broadcasting and the seeded generator. */
// Tensor's computing methods are installed by ./methods.ts and, for the elementwise ones (add, exp,
// ...), by the op table, where each is declared once.
import "./methods";
import "../gates/table";
export { Tensor, tensor } from "./tensor";
export type { DType, TypedData, TensorLike, TensorOptions, Operand } from "./tensor";
export { Random, seed, defaultRandom } from "./random";
export { broadcastShapes } from "./broadcast";
export { sumToShape } from "./ops/reduce";
export { noGrad, isGradEnabled, setAutogradHook } from "./autograd-hook";
export type { AutogradHook, DifferentiableOp } from "./autograd-hook";
export * as ops from "./ops";
