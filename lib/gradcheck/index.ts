/** Gradient checking: numerical derivatives, relative error, gradcheck for tensor functions, checkGate for gates. */
export { numericGradient, relError, relErrors } from "./numeric";
export { gradcheck } from "./gradcheck";
export type { GradcheckOptions, GradcheckResult, GradcheckMismatch } from "./gradcheck";
export { checkGate } from "./check-gate";
export type { CheckGateOptions, GateCheckResult, InputCheck } from "./check-gate";
