/**
 * gradlab: the public API (docs/design.md, "The library's public names").
 * Each folder is one part of the lecture; this file only gathers them.
 */
export * from "./tensor";     // Tensor, tensor, Random, seed, noGrad
export * from "./gates";      // AddGate, MultiplyGate, MaxGate, SigmoidGate, ... (forward / backward / jvp)
export * from "./graph";      // Graph: define-then-run computational graph
export * from "./value";      // Value: define-by-run scalar autodiff
export * from "./forward";    // forward mode: dual numbers, jvp, grad
export * from "./gradcheck";  // gradcheck, numericGradient, relError, checkGate
export * from "./check";      // assertClose, assertAtLeast: known-answer checks for notebooks
export * as nn from "./nn";
export * as optim from "./optim";
export * as data from "./data";
export * as plot from "./plot";
import "./autograd";          // plugs reverse-mode autodiff into Tensor (requiresGrad, backward)
