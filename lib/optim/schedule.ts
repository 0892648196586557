import { Optimizer } from "./optimizer";

/**
 * Learning-rate decay, stepped once per epoch: `step()` sets the optimizer's lr for the next epoch
 * from the initial lr, so the schedule is a pure function of the epoch count (`lrAt(epoch)`).
 */
export abstract class LRSchedule {
  readonly initialLR: number;
  epoch = 0;
  constructor(readonly optimizer: Optimizer) {
    this.initialLR = optimizer.lr;
  }
  abstract lrAt(epoch: number): number;
  step(): number {
    this.epoch++;
    this.optimizer.lr = this.lrAt(this.epoch);
    return this.optimizer.lr;
  }
}

/** lr · γ^epoch (CS231n's Solver: lr_decay applied after every epoch). */
export class ExponentialDecay extends LRSchedule {
  constructor(optimizer: Optimizer, readonly gamma: number) {
    super(optimizer);
    if (!(gamma > 0 && gamma <= 1)) throw new RangeError(`ExponentialDecay: gamma must be in (0, 1], got ${gamma}`);
  }
  lrAt(epoch: number): number {
    return this.initialLR * this.gamma ** epoch;
  }
}

/** lr · γ^⌊epoch / every⌋: drop by γ every `every` epochs. */
export class StepDecay extends LRSchedule {
  constructor(optimizer: Optimizer, readonly every: number, readonly gamma = 0.1) {
    super(optimizer);
    if (!Number.isInteger(every) || every < 1) throw new RangeError(`StepDecay: every must be a whole number of epochs >= 1, got ${every}`);
    if (!(gamma > 0 && gamma <= 1)) throw new RangeError(`StepDecay: gamma must be in (0, 1], got ${gamma}`);
  }
  lrAt(epoch: number): number {
    return this.initialLR * this.gamma ** Math.floor(epoch / this.every);
  }
}
