import { Random, Tensor } from "../tensor";
import { Dataset, subset } from "../data/dataset";
import { batchIndices } from "../data/batches";
import { accuracy } from "../nn/model";
import type { Model } from "../nn/model";
import { makeOptimizer, OptimizerName } from "./rules";
import { Optimizer } from "./optimizer";
import { ExponentialDecay } from "./schedule";
import { explainNonFinite, firstNonFinite, firstNonFiniteRow } from "./non-finite";
import { makeProgress, ProgressMode } from "./progress";

export interface StepInfo {
  /** Iterations done so far (1 after the first update). */
  iteration: number;
  epoch: number;
  loss: number;
  lr: number;
}

export interface EpochInfo {
  epoch: number;
  trainAcc: number;
  valAcc: number | null;
  lr: number;
  /** The history so far (e.g. to redraw a live loss curve). */
  history: History;
}

export interface History {
  /** Loss of every iteration (mini-batch), including regularisation. */
  loss: number[];
  /** Accuracy after each epoch on (a sample of) the training set and on the validation set. */
  trainAcc: number[];
  valAcc: number[];
  /** Learning rate used in each epoch. */
  lr: number[];
}

export interface TrainerOptions {
  train: Dataset;
  val?: Dataset;
  /** An Optimizer over model.params, or a rule's name (default "sgd"). */
  optimizer?: Optimizer | OptimizerName;
  /** Learning rate when `optimizer` is a name (default: the rule's own default). */
  lr?: number;
  /** Multiply the learning rate by this after every epoch (CS231n's lr_decay; default 1). */
  lrDecay?: number;
  /** Rows per mini-batch, or "full" for full-batch gradient descent (default 100). */
  batchSize?: number | "full";
  epochs?: number;
  /** Seed of the mini-batch shuffles and of the training-accuracy sample. */
  seed?: number;
  /** Training accuracy is measured on at most this many training rows per epoch (default 1000; CS231n's num_train_samples). */
  accuracySamples?: number;
  /** Keep the parameters of the best validation (or training, without val) accuracy and restore them at the end (default true). */
  restoreBest?: boolean;
  /** Called after every update, e.g. to feed a live plot. */
  onStep?: (info: StepInfo) => void;
  /** Called after every epoch's accuracy check (`trainAsync` awaits it when it returns a Promise). */
  onEpoch?: (info: EpochInfo) => unknown;
  /** Where progress lines go (default process.stdout); `quiet` silences them. */
  stream?: { write(s: string): unknown };
  quiet?: boolean;
  /**
   * How progress shows (default "auto"): "lines" (CS231n's text lines; what a given `stream` gets, and
   * where there is no terminal), "bar" (one line redrawn in place: a terminal's default), "display"
   * (one notebook output updated in place: the default in a notebook), "none" (as `quiet`).
   */
  progress?: ProgressMode;
  /** In "lines" mode, print the loss every this many iterations (default: about 10 lines per run). */
  printEvery?: number;
}

export interface TrainResult {
  history: History;
  bestAcc: number;
  bestEpoch: number;
  /** Copies of the parameters at the best epoch. */
  bestParams: Record<string, Tensor>;
}

/**
 * Mini-batch training in the manner of CS231n's Solver: each epoch visits the training set in a
 * fresh seeded permutation, cut into batches; each batch is one `model.loss(X, y)` and one optimizer
 * step. After every epoch it measures training and validation accuracy, keeps the best parameters,
 * and applies the learning-rate decay. The same seed gives bit-identical losses.
 */
export class Trainer {
  readonly optimizer: Optimizer;
  readonly history: History = { loss: [], trainAcc: [], valAcc: [], lr: [] };
  private readonly opts: TrainerOptions;

  constructor(readonly model: Model, opts: TrainerOptions) {
    if (!model || typeof model.loss !== "function" || typeof model.params !== "object") {
      throw new TypeError("Trainer: model must have params and loss(X, y?) (see nn.Model)");
    }
    if (!opts?.train?.X || !opts.train.y) throw new TypeError("Trainer: opts.train must be a data set { X, y }");
    const n = opts.train.X.shape[0];
    if (opts.train.y.size !== n) throw new RangeError(`Trainer: train.X has ${n} rows but train.y has ${opts.train.y.size} labels`);
    if (n === 0) throw new RangeError("Trainer: the training set has no rows");
    if (opts.val && !(opts.val.X?.shape[0] > 0)) throw new RangeError("Trainer: the validation set has no rows (leave out val to choose the best epoch by training accuracy)");
    const bs = opts.batchSize ?? 100;
    if (bs !== "full" && !(Number.isInteger(bs) && bs >= 1)) throw new RangeError(`Trainer: batchSize must be a whole number >= 1 or "full", got ${JSON.stringify(bs)}`);
    const epochs = opts.epochs ?? 10;
    if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`Trainer: epochs must be a whole number >= 1, got ${epochs}`);
    this.opts = opts;
    const chosen = opts.optimizer ?? "sgd";
    this.optimizer = chosen instanceof Optimizer ? chosen : makeOptimizer(chosen, model.params, opts.lr === undefined ? {} : { lr: opts.lr });
  }

  /** Trains to the end in one go (the event loop does not run until it returns). */
  train(): TrainResult {
    const epochs = this.run();
    for (;;) {
      const step = epochs.next();
      if (step.done) return step.value;
    }
  }

  /**
   * The same training, but yielding to the event loop after every epoch (and awaiting what `onEpoch`
   * returns), so that a notebook's live plot, whose SVG is rendered asynchronously, updates as it goes.
   * Results are identical to `train()`.
   */
  async trainAsync(): Promise<TrainResult> {
    const epochs = this.run();
    for (;;) {
      const step = epochs.next();
      if (step.done) return step.value;
      await step.value;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** The training loop; yields once per epoch with whatever onEpoch returned. */
  private *run(): Generator<unknown, TrainResult> {
    const o = this.opts, { train, val } = o;
    const n = train.X.shape[0];
    const batchSize = o.batchSize === "full" ? n : Math.min(o.batchSize ?? 100, n);
    const epochs = o.epochs ?? 10;
    const rng = new Random(o.seed ?? 0);
    const sampleRng = rng.fork(); // separate stream: the accuracy sample never shifts the batches
    const decay = o.lrDecay !== undefined && o.lrDecay !== 1 ? new ExponentialDecay(this.optimizer, o.lrDecay) : null;
    const perEpoch = Math.ceil(n / batchSize);
    const total = perEpoch * epochs;
    const printEvery = o.printEvery ?? Math.max(1, Math.round(total / 10));
    const progress = makeProgress(o.quiet ? "none" : o.progress ?? "auto", o.stream, printEvery);

    let best = { acc: -Infinity, epoch: 0, params: {} as Record<string, Tensor> };
    let iteration = 0;
    try {
      for (let epoch = 1; epoch <= epochs; epoch++) {
        this.history.lr.push(this.optimizer.lr);
        this.model.train?.(true);
        const batches = batchSize === n ? [Array.from({ length: n }, (_, i) => i)] : batchIndices(n, batchSize, { rng });
        for (const idx of batches) {
          const batch = idx.length === n ? train : subset(train, idx);
          const { loss, grads } = this.model.loss(batch.X, batch.y);
          const where = `iteration ${iteration + 1} (epoch ${epoch})`;
          if (!Number.isFinite(loss)) {
            throw new Error(explainNonFinite(loss, where, this.optimizer.lr, this.model.params, grads, firstNonFiniteRow(batch.X, idx)));
          }
          this.optimizer.step(grads);
          // A finite loss can still leave a weight NaN (a NaN gradient that the loss did not see).
          const bad = firstNonFinite(this.model.params);
          if (bad) throw new Error(`Trainer: a parameter is not finite after ${where}: ${bad}`);
          iteration++;
          this.history.loss.push(loss);
          o.onStep?.({ iteration, epoch, loss, lr: this.optimizer.lr });
          progress.iteration({ epoch, epochs, iteration, iterations: total, loss, lr: this.optimizer.lr });
        }
        this.model.train?.(false);
        const sample = n > (o.accuracySamples ?? 1000) ? subset(train, sampleRng.permutation(n).slice(0, o.accuracySamples ?? 1000)) : train;
        const trainAcc = checkAccuracy(this.model, sample);
        const valAcc = val ? checkAccuracy(this.model, val) : null;
        this.history.trainAcc.push(trainAcc);
        if (valAcc !== null) this.history.valAcc.push(valAcc);
        progress.epoch({ epoch, epochs, iteration, iterations: total, loss: this.history.loss[this.history.loss.length - 1], trainAcc, valAcc, lr: this.optimizer.lr });
        const score = valAcc ?? trainAcc;
        if (score > best.acc) best = { acc: score, epoch, params: copyParams(this.model.params) };
        const after = o.onEpoch?.({ epoch, trainAcc, valAcc, lr: this.optimizer.lr, history: this.history });
        decay?.step();
        yield after;
      }
    } finally {
      progress.end(); // a bar ends its line also when training stops with an error
    }
    if (o.restoreBest ?? true) {
      for (const [name, p] of Object.entries(this.model.params)) p.data.set(best.params[name].data);
    }
    return { history: this.history, bestAcc: best.acc, bestEpoch: best.epoch, bestParams: best.params };
  }
}

/** Accuracy of a model on a data set, scoring at most 1000 rows at a time. */
export function checkAccuracy(model: Model, ds: Dataset, chunk = 1000): number {
  const n = ds.X.shape[0];
  if (n === 0) return NaN;
  let right = 0;
  for (let s = 0; s < n; s += chunk) {
    const part = s === 0 && n <= chunk ? ds : subset(ds, Array.from({ length: Math.min(chunk, n - s) }, (_, i) => s + i));
    right += accuracy(model.loss(part.X), part.y) * part.X.shape[0];
  }
  return right / n;
}

function copyParams(params: Record<string, Tensor>): Record<string, Tensor> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.clone()]));
}
