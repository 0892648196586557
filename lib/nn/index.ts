/** Layers, losses and networks with hand-written forward/backward (CS231n style), in float64. */
export { Module } from "./module";
export { Linear } from "./linear";
export type { LinearOptions, WeightInit } from "./linear";
export { ReLU, LeakyReLU, Sigmoid, Tanh } from "./activations";
export { Dropout } from "./dropout";
export { Sequential } from "./sequential";
export { softmax, softmaxCrossEntropy, svmLoss, mseLoss, bceWithLogits, l2Regularization } from "./losses";
export type { LossResult, Labels } from "./losses";
export { accuracy, predictClasses } from "./model";
export type { Model } from "./model";
export { MLP } from "./mlp";
export type { MLPOptions, Activation } from "./mlp";
export { TwoLayerNet } from "./two-layer-net";
export type { TwoLayerNetOptions } from "./two-layer-net";
