/** Forward mode (dual numbers, jvp) and a reverse-mode grad helper. */
export { Dual } from "./dual";
export type { DualLike } from "./dual";
export { jvp, grad } from "./jvp";
export type { JvpResult } from "./jvp";
