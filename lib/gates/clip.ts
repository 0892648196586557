/** ClipGate: the one elementwise gate with attributes (its bounds), so it is written by hand, not in the op table. */
import { Num, clip, gtMask, ltMask, mul, sub } from "./arith";
import { UnaryGate } from "./elementwise";

/** Clamps into [lo, hi]; the gradient passes where lo <= x <= hi and is 0 outside. */
export class ClipGate<V extends Num = Num> extends UnaryGate<V> {
  readonly name = "ClipGate";
  readonly symbol = "clip";
  constructor(readonly lo: number, readonly hi: number) {
    super();
    if (typeof lo !== "number" || typeof hi !== "number" || Number.isNaN(lo) || Number.isNaN(hi)) {
      throw new TypeError(`ClipGate: bounds must be numbers, got lo=${String(lo)}, hi=${String(hi)}`);
    }
    if (lo > hi) throw new RangeError(`ClipGate: lower bound ${lo} is above upper bound ${hi}`);
  }
  get label() { return `clip[${this.lo}, ${this.hi}]`; }
  protected apply(x: Num) { return clip(x, this.lo, this.hi); }
  protected local(x: Num) { return mul(sub(1, ltMask(x, this.lo)), sub(1, gtMask(x, this.hi))); }
}
