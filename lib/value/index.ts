/** Value: define-by-run scalar autodiff on the gates. */
export { Value } from "./value";
export type { ValueLike, BackwardOptions } from "./value";
