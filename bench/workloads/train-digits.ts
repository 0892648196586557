import { data, nn, optim } from "../../lib";
import { gradlabImpls } from "../backends";
import { numpyImpl } from "../python";
import { Workload } from "../types";

/**
 * Train CS231n's TwoLayerNet (64-100-10, ReLU, softmax, L2 1e-3) on the digits with Adam (lr 1e-2,
 * batch 100, 20 epochs, best epoch by validation accuracy); report the test accuracy (target >= 96%).
 * Split: stratified 80/20 train/test, 10% of train for validation, standardised (seed 0). The timed
 * part is the training and the test evaluation, not loading the file.
 */
export const RECIPE = { hidden: 100, weightScale: 1e-2, reg: 1e-3, lr: 1e-2, batchSize: 100, epochs: 20, seed: 0 };

function trainOnce(split: ReturnType<typeof data.trainValTestSplit>): { accuracy: number } {
  const model = new nn.TwoLayerNet(64, RECIPE.hidden, 10, { weightScale: RECIPE.weightScale, reg: RECIPE.reg, seed: RECIPE.seed });
  new optim.Trainer(model, {
    train: split.train, val: split.val, optimizer: "adam", lr: RECIPE.lr,
    batchSize: RECIPE.batchSize, epochs: RECIPE.epochs, seed: RECIPE.seed, quiet: true,
  }).train();
  return { accuracy: optim.checkAccuracy(model, split.test) };
}

let split: ReturnType<typeof data.trainValTestSplit> | undefined;

export const workload: Workload = {
  name: "train-digits",
  description: "TwoLayerNet 64-100-10 on the digits, Adam, 20 epochs; test accuracy (>= 96%)",
  defaultRuns: 3,
  impls: [
    ...gradlabImpls(() => () => trainOnce((split ??= data.trainValTestSplit(data.loadDigits(), { seed: 0 }))), { warmup: 0 }),
    numpyImpl("train_digits.py", Object.entries(RECIPE).flatMap(([k, v]) => [`--${k}`, String(v)])),
  ],
};
