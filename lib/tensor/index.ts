/** The numeric core: n-d tensors, their raw kernels, broadcasting and the seeded generator. */
// Tensor's elementwise methods (add, exp, ...) are declared once, in the op table, which installs them.
import "../gates/table";
export { Tensor, tensor } from "./tensor";
export type { DType, TypedData, TensorLike, TensorOptions, Operand } from "./tensor";
export { Random, seed, defaultRandom } from "./random";
export { broadcastShapes } from "./broadcast";
export { sumToShape } from "./ops/reduce";
export { noGrad, isGradEnabled, setAutogradHook } from "./autograd-hook";
export type { AutogradHook, DifferentiableOp } from "./autograd-hook";
export * as ops from "./ops";
