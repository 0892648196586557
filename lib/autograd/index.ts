/** Plugs reverse-mode autodiff into Tensor: importing this module registers the hook. */
import { setAutogradHook } from "../tensor/autograd-hook";
import { tensorAutograd } from "./engine";

setAutogradHook(tensorAutograd);

export { creatorOf, isLeaf, topologicalOrder } from "./engine";
export type { Creator } from "./engine";
export { gateForOp } from "./gate-for-op";
