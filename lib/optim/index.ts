/** Update rules (SGD, momentum, Nesterov, RMSProp, Adam), learning-rate decay, and the Trainer. */
export { Optimizer } from "./optimizer";
export type { ParamSet, GradSet } from "./optimizer";
export { SGD, Momentum, Nesterov, RMSProp, Adam, makeOptimizer } from "./rules";
export type { OptimizerName } from "./rules";
export { LRSchedule, ExponentialDecay, StepDecay } from "./schedule";
export { Trainer, checkAccuracy } from "./trainer";
export type { TrainerOptions, TrainResult, History, StepInfo, EpochInfo } from "./trainer";
export type { ProgressMode } from "./progress";
