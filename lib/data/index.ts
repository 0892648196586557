/** Data sets for the lectures: Playground generators, the CS231n spiral, the shipped digits and iris, and preprocessing. */
export { dataset, subset, numClasses } from "./dataset";
export type { Dataset, Split } from "./dataset";
export { circle, xor, gauss, spiral } from "./playground";
export type { PlaygroundOptions, PlaygroundData } from "./playground";
export { cs231nSpiral } from "./cs231n-spiral";
export type { SpiralOptions } from "./cs231n-spiral";
export { loadDigits, loadIris } from "./shipped";
export { stratifiedSplit, trainValTestSplit } from "./split";
export type { SplitOptions, TrainValTestOptions } from "./split";
export { Standardizer, standardizeSplit, oneHot } from "./preprocess";
export { batches, batchIndices } from "./batches";
export { packageRoot, dataFile } from "./package-root";
