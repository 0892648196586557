/**
 * `t`, the object every test receives: the student's program and the reference, a seeded generator,
 * and judgements. Each judgement records one check with a message a student can act on ("the gradient
 * of input y is wrong at index [1, 0]: expected -4, got 4: did the gate swap its inputs?"); the engine
 * turns the checks into points. Everything compared here is plain data that came back from a program.
 */
import { Random } from "../../lib/tensor/random";
import { Tensor } from "../../lib/tensor/tensor";
import { unravelIndex } from "../../lib/tensor/shape";
import type { Tolerance } from "../config/assignment";
import { BatchCall, ChildFailure, Program, StudentError } from "../sandbox/program";
import { gradientHint } from "./hints";
import { atIndex, compareNumeric, describeValue, formatNumber, kindOf, numeric, relativeError } from "./values";

export interface Check {
  ok: boolean;
  message: string;
  /** Visible tests only: the call that was made, the expected and the received value, a hint. */
  input?: string;
  expected?: string;
  got?: string;
  hint?: string;
}

/** Stops a test whose remaining checks make no sense (forward returned the wrong kind of value). */
export class CheckStop extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckStop";
  }
}

/** A common mistake, computed by the instructor in the grader: when the student's gradients match it, say `hint`. */
export interface Mistake {
  hint: string;
  grads(inputs: unknown[], upstream: unknown): unknown[];
}

export interface GradientOptions {
  /** Gate or layer name, for messages and gate-specific hints. */
  gate?: string;
  /** Input names in order; default x, y (or input 0, 1, …). */
  inputs?: string[];
  upstream?: unknown;
  mistakes?: Mistake[];
  /** The inputs, for evaluating `mistakes`. */
  inputValues?: unknown[];
  /** What was called, for the check's `input` field. */
  call?: string;
}

export interface CheckGateOptions {
  /** Constructor arguments. */
  ctor?: unknown[];
  /** Upstream gradient (default: seeded normal of the output's shape). */
  upstream?: unknown;
  /** Inputs of earlier forward calls on the same gate: backward must use the last ones. */
  twoForwards?: unknown[][];
  /** Compare backward with centred differences of the student's own forward (default true; off at kinks). */
  gradcheck?: boolean;
  inputs?: string[];
  mistakes?: Mistake[];
  /** At most this many elements per input in the gradient check (default 16). */
  sample?: number;
}

export interface CheckLayerOptions {
  inputs?: string[];
  upstream?: unknown;
  gradcheck?: boolean;
  mistakes?: Mistake[];
  sample?: number;
  /** Which inputs have gradients (default all); e.g. [0] for a loss of (scores, y). */
  differentiable?: number[];
}

const H = 1e-5;

function defaultNames(n: number): string[] {
  if (n === 1) return ["x"];
  if (n === 2) return ["x", "y"];
  return Array.from({ length: n }, (_, i) => `input ${i}`);
}

function label(name: string): string {
  return name.startsWith("input") ? name : `input ${name}`;
}

/** sum(out ⊙ upstream): the scalar whose gradient backward computes. */
function weightedSum(out: unknown, upstream: unknown): number {
  const o = numeric(out), u = numeric(upstream);
  if (!o || !u || o.data.length !== u.data.length) return NaN;
  let s = 0;
  for (let k = 0; k < o.data.length; k++) s += o.data[k] * u.data[k];
  return s;
}

function withElement(x: unknown, k: number, value: number): unknown {
  if (typeof x === "number") return value;
  const t = (x as Tensor).astype("float64").clone();
  t.data[k] = value;
  return t;
}

export class TestContext {
  readonly checks: Check[] = [];
  readonly logs: string[] = [];
  readonly rng: Random;

  constructor(
    readonly student: Program,
    readonly reference: Program,
    readonly tolerance: Tolerance,
    seed: number,
  ) {
    this.rng = new Random(seed);
  }

  /** A seeded standard-normal Tensor (times `scale`). */
  randn(shape: number[], scale = 1): Tensor {
    const t = Tensor.zeros(shape);
    for (let i = 0; i < t.size; i++) t.data[i] = scale * this.rng.normal();
    return t;
  }

  /** A seeded uniform Tensor in [lo, hi). */
  rand(shape: number[], lo = 0, hi = 1): Tensor {
    const t = Tensor.zeros(shape);
    for (let i = 0; i < t.size; i++) t.data[i] = this.rng.uniform(lo, hi);
    return t;
  }

  /** Adds a line to the test's output (shown to students for visible tests only). */
  log(text: string): void {
    this.logs.push(text);
  }

  private record(check: Check): boolean {
    this.checks.push(check);
    return check.ok;
  }

  expectTrue(condition: boolean, message: string, detail: Omit<Check, "ok" | "message"> = {}): boolean {
    return this.record({ ok: !!condition, message, ...detail });
  }

  /** `got` equals `expected` within the assignment's tolerance (numbers, Tensors, or arrays of them). */
  expectClose(got: unknown, expected: unknown, what: string, opts: { rel?: number; atol?: number; input?: string } = {}): boolean {
    const tol = { rel: opts.rel ?? this.tolerance.relError, atol: opts.atol ?? this.tolerance.atol };
    const detail = { input: opts.input, expected: describeValue(expected), got: describeValue(got) };
    if (Array.isArray(expected)) {
      if (!Array.isArray(got) || got.length !== expected.length) {
        return this.record({ ok: false, message: `${what}: expected ${kindOf(expected)}, got ${kindOf(got)}`, ...detail });
      }
      return expected.every((e, i) => this.expectClose(got[i], e, `${what}[${i}]`, opts));
    }
    const c = compareNumeric(got, expected, tol);
    if (c.ok) return this.record({ ok: true, message: `${what} is correct`, ...detail });
    if (c.index === undefined) return this.record({ ok: false, message: `${what}: ${c.reason}`, ...detail });
    return this.record({
      ok: false,
      message: `${what} is wrong${atIndex(c.index)}: expected ${formatNumber(c.expected!)}, got ${formatNumber(c.got!)}`,
      ...detail,
    });
  }

  expectShape(got: unknown, shape: number[], what: string): boolean {
    const n = numeric(got);
    const ok = !!n && n.shape.length === shape.length && n.shape.every((d, i) => d === shape[i]);
    return this.record({
      ok,
      message: ok ? `${what} has shape [${shape.join(", ")}]` : `${what} should have shape [${shape.join(", ")}], got ${kindOf(got)}`,
    });
  }

  /** One check per input: the student's gradients against the expected ones, with a hint when they differ. */
  expectGradients(got: unknown, expected: unknown[], opts: GradientOptions = {}): boolean {
    const names = opts.inputs ?? defaultNames(expected.length);
    if (!Array.isArray(got)) {
      return this.record({
        ok: false,
        message: `backward must return an array with one gradient per input (${names.join(", ")}), in input order; got ${kindOf(got)}`,
        input: opts.call,
      });
    }
    if (got.length !== expected.length) {
      return this.record({
        ok: false,
        message: `backward returned ${got.length} gradient(s) but there are ${expected.length} input(s) (${names.join(", ")}): return one per input, in input order`,
        input: opts.call,
      });
    }
    let all = true;
    expected.forEach((e, i) => {
      const c = compareNumeric(got[i], e, { rel: this.tolerance.relError, atol: this.tolerance.atol });
      const detail = { input: opts.call, expected: describeValue(e), got: describeValue(got[i]) };
      if (c.ok) {
        this.record({ ok: true, message: `the gradient of ${label(names[i])} is correct`, ...detail });
        return;
      }
      all = false;
      const hint = this.mistakeHint(i, got, opts) ?? gradientHint(i, got, expected, { gate: opts.gate, inputs: names, upstream: opts.upstream });
      const what = c.index === undefined
        ? `the gradient of ${label(names[i])} is wrong: ${c.reason}`
        : `the gradient of ${label(names[i])} is wrong${atIndex(c.index)}: expected ${formatNumber(c.expected!)}, got ${formatNumber(c.got!)}`;
      this.record({ ok: false, message: hint ? `${what}: ${hint}` : what, hint, ...detail });
    });
    return all;
  }

  private mistakeHint(i: number, got: unknown[], opts: GradientOptions): string | undefined {
    if (!opts.mistakes || !opts.inputValues) return undefined;
    for (const m of opts.mistakes) {
      const wrong = m.grads(opts.inputValues, opts.upstream);
      if (wrong[i] !== undefined && compareNumeric(got[i], wrong[i], { rel: 1e-6, atol: 1e-9 }).ok) return m.hint;
    }
    return undefined;
  }

  /** The call must throw an error whose message matches `pattern` (where the handout says it throws). */
  async expectThrows(call: () => Promise<unknown>, pattern: RegExp, what: string): Promise<boolean> {
    let value: unknown;
    try {
      value = await call();
    } catch (e) {
      if (e instanceof ChildFailure) throw e;
      if (e instanceof StudentError) {
        if (/^not implemented yet/.test(e.message)) throw e;
        const ok = pattern.test(e.message);
        return this.record({
          ok,
          message: ok
            ? `${what} throws an error, as the handout asks`
            : `${what} throws, but its message "${e.message}" should mention ${pattern.source}`,
          input: what,
        });
      }
      throw e;
    }
    return this.record({
      ok: false,
      message: `${what} should throw an error (the handout says so), but it returned ${describeValue(value)}`,
      input: what,
      got: describeValue(value),
    });
  }

  /**
   * The whole gate: forward against the reference (inputs left unchanged), backward against the
   * reference for every input, and backward against centred differences of the student's own forward.
   */
  async checkGate(name: string, inputs: unknown[], opts: CheckGateOptions = {}): Promise<void> {
    const ctor = opts.ctor ?? [];
    const names = opts.inputs ?? defaultNames(inputs.length);
    const call = `${name}.forward(${inputs.map((x) => describeValue(x, 6)).join(", ")})`;
    const s = await this.student.new(name, ...ctor);
    const r = await this.reference.new(name, ...ctor);
    for (const earlier of opts.twoForwards ?? []) {
      await this.student.callMethod(s, "forward", earlier);
      await this.reference.callMethod(r, "forward", earlier);
    }
    const forward = await this.student.callMethod(s, "forward", inputs, { echoArgs: true });
    const expectedOut = (await this.reference.callMethod(r, "forward", inputs)).value;
    this.expectUnchanged(inputs, forward.args, names, `${name}.forward`);
    if (!this.expectClose(forward.value, expectedOut, `${name}.forward`, { input: call }) && !numeric(forward.value)) {
      throw new CheckStop(`${name}.forward must return a number or a Tensor`);
    }
    const upstream = opts.upstream ?? this.randomLike(expectedOut);
    const backCall = opts.twoForwards?.length
      ? `${name}.backward(${describeValue(upstream, 6)}) after forward(${opts.twoForwards.map((a) => a.map((x) => describeValue(x, 4)).join(", ")).join("), forward(")}) and ${call}`
      : `${call} then backward(${describeValue(upstream, 6)})`;
    const backward = await this.student.callMethod(s, "backward", [upstream], { echoArgs: true });
    const expected = (await this.reference.callMethod(r, "backward", [upstream])).value as unknown[];
    this.expectUnchanged([upstream], backward.args, ["dout"], `${name}.backward`);
    const good = this.expectGradients(backward.value, expected, {
      gate: name, inputs: names, upstream, mistakes: opts.mistakes, inputValues: inputs, call: backCall,
    });
    if (opts.gradcheck !== false && Array.isArray(backward.value) && backward.value.length === inputs.length) {
      // A fresh gate, so probing does not disturb the one whose backward was checked.
      const fresh = await this.student.new(name, ...ctor);
      await this.gradcheckWith(
        (args) => ({ target: fresh, method: "forward", args }), (v) => v,
        inputs, backward.value, upstream, names, inputs.map((_, i) => i), opts.sample ?? 16, `${name}.backward`, good,
      );
    }
  }

  /** CS231n layers: forward(...inputs) → [out, cache]; backward(dout, cache) → gradients (or one gradient). */
  async checkLayer(forwardName: string, backwardName: string, inputs: unknown[], opts: CheckLayerOptions = {}): Promise<void> {
    const names = opts.inputs ?? defaultNames(inputs.length);
    const { got: [out, cache], want: ref, call } = await this.pairFromBoth(forwardName, inputs, names, "[out, cache]");
    if (!this.expectClose(out, ref[0], `the output of ${forwardName}`, { input: call }) && !numeric(out)) {
      throw new CheckStop(`${forwardName} must return a Tensor`);
    }
    const upstream = opts.upstream ?? this.randomLike(ref[0]);
    const back = await this.student.callFunction(backwardName, [upstream, cache], { echoArgs: true });
    const refBack = (await this.reference.callFunction(backwardName, [upstream, ref[1]])).value;
    this.expectUnchanged([upstream], back.args?.slice(0, 1), ["dout"], backwardName);
    const differentiable = opts.differentiable ?? inputs.map((_, i) => i);
    const single = !Array.isArray(refBack);
    const expected = single ? [refBack] : (refBack as unknown[]);
    const got = single && !Array.isArray(back.value) ? [back.value] : back.value;
    const gradNames = differentiable.map((i) => names[i]);
    const good = this.expectGradients(got, expected, {
      gate: backwardName, inputs: gradNames, upstream, mistakes: opts.mistakes, inputValues: inputs,
      call: `${call} then ${backwardName}(${describeValue(upstream, 6)}, cache)`,
    });
    if (opts.gradcheck !== false && Array.isArray(got) && got.length === expected.length) {
      await this.gradcheckFunction(forwardName, inputs, got, upstream, names, differentiable, opts.sample ?? 16, good, (v) => (Array.isArray(v) ? v[0] : v));
    }
  }

  /** Losses: name(scores, y) → [loss, dscores]; the loss and its gradient against the reference and numerics. */
  async checkLoss(name: string, inputs: unknown[], opts: { inputs?: string[]; sample?: number; gradcheck?: boolean; mistakes?: Mistake[] } = {}): Promise<void> {
    const names = opts.inputs ?? ["scores", "y"];
    const { got: [loss, dscores], want: ref, call } = await this.pairFromBoth(name, inputs, names, "[loss, dscores]");
    this.expectClose(loss, ref[0], `the loss of ${name}`, { input: call });
    const good = this.expectGradients([dscores], [ref[1]], {
      gate: name, inputs: [names[0]], mistakes: opts.mistakes, inputValues: inputs, call,
    });
    if (opts.gradcheck !== false) {
      await this.gradcheckFunction(name, inputs, [dscores], 1, names, [0], opts.sample ?? 16, good, (v) => (Array.isArray(v) ? v[0] : v));
    }
  }

  /**
   * `name(...inputs)` in both programs, for functions that return a pair ([out, cache] of a layer,
   * [loss, dscores] of a loss): the student's must be a pair and must leave its inputs unchanged.
   */
  private async pairFromBoth(name: string, inputs: unknown[], names: string[], pair: string): Promise<{ got: unknown[]; want: unknown[]; call: string }> {
    const call = `${name}(${inputs.map((x) => describeValue(x, 6)).join(", ")})`;
    const mine = await this.student.callFunction(name, inputs, { echoArgs: true });
    const want = (await this.reference.callFunction(name, inputs)).value as unknown[];
    this.expectUnchanged(inputs, mine.args, names, name);
    if (!Array.isArray(mine.value) || mine.value.length !== 2) {
      this.record({ ok: false, message: `${name} must return ${pair}, got ${kindOf(mine.value)}`, input: call });
      throw new CheckStop(`${name} must return ${pair}`);
    }
    return { got: mine.value, want, call };
  }

  private randomLike(like: unknown): unknown {
    const n = numeric(like);
    if (!n) return 1;
    return n.shape.length === 0 && typeof like === "number" ? this.rng.normal() : this.randn(n.shape);
  }

  /** "forward must not change its inputs": compares what came back after the call with what was sent. */
  private expectUnchanged(sent: unknown[], after: unknown[] | undefined, names: string[], who: string): void {
    if (!after) return;
    sent.forEach((x, i) => {
      if (!numeric(x)) return;
      const c = compareNumeric(after[i], x, { rel: 0, atol: 0 });
      if (!c.ok) {
        this.record({
          ok: false,
          message: `${who} changed its ${label(names[i] ?? `input ${i}`)}${atIndex(c.index)}: a gate must not modify its inputs (copy before changing values in place)`,
        });
      }
    });
  }

  /** Indices of the elements to probe: all of a small input, a seeded sample of a large one. */
  private sampleIndices(size: number, sample: number): number[] {
    if (size <= sample) return Array.from({ length: size }, (_, k) => k);
    const picked = new Set<number>();
    while (picked.size < sample) picked.add(this.rng.int(0, size));
    return [...picked].sort((a, b) => a - b);
  }

  private async gradcheckFunction(
    fn: string, inputs: unknown[], analytic: unknown[], upstream: unknown, names: string[],
    differentiable: number[], sample: number, matchesReference: boolean, pick: (v: unknown) => unknown,
  ): Promise<void> {
    await this.gradcheckWith(
      (args) => ({ name: fn, args }), pick, inputs, analytic, upstream, names, differentiable, sample, `the gradient from ${fn}`, matchesReference,
    );
  }

  /**
   * Centred differences of the student's own forward, (L(x+h) − L(x−h)) / 2h with L = sum(out ⊙ dout),
   * at a sample of elements, in one round trip per input.
   */
  private async gradcheckWith(
    request: (args: unknown[]) => BatchCall,
    pick: (v: unknown) => unknown, inputs: unknown[], analytic: unknown[], upstream: unknown, names: string[],
    differentiable: number[], sample: number, who: string, matchesReference: boolean,
  ): Promise<void> {
    for (let g = 0; g < differentiable.length; g++) {
      const i = differentiable[g];
      const x = inputs[i], a = numeric(analytic[g]), n = numeric(x);
      if (!a || !n || a.data.length !== n.data.length) continue;
      const ks = this.sampleIndices(n.data.length, sample);
      const calls = ks.flatMap((k) => [+1, -1].map((sign) => {
        const args = inputs.slice();
        args[i] = withElement(x, k, n.data[k] + sign * H);
        return request(args);
      }));
      const outcomes = await this.student.batch(calls);
      const failed = outcomes.find((o) => o.error);
      if (failed) throw failed.error;
      let worst = 0, worstK = -1, worstNum = 0;
      ks.forEach((k, j) => {
        const plus = weightedSum(pick(outcomes[2 * j].value), upstream);
        const minus = weightedSum(pick(outcomes[2 * j + 1].value), upstream);
        const num = (plus - minus) / (2 * H);
        const an = a.data[k];
        const err = relativeError(an, num);
        const bad = Number.isNaN(err) || (err > this.tolerance.gradcheckRelError && Math.abs(an - num) > 1e-7);
        if (bad && (worstK < 0 || !(err <= worst))) {
          worst = err;
          worstK = k;
          worstNum = num;
        }
      });
      const where = atIndex(n.shape.length ? unravelIndex(worstK, n.shape) : []);
      this.record(worstK < 0
        ? { ok: true, message: `${who} agrees with centred differences of your forward for ${label(names[i])}` }
        : {
          ok: false,
          message: `${who} disagrees with centred differences of your own forward for ${label(names[i])}${where}: backward gives ${formatNumber(a.data[worstK])}, numeric ${formatNumber(worstNum)} (relative error ${formatNumber(worst)})` +
            (matchesReference ? ": is forward computing what it should?" : ": re-derive the local gradient from your forward"),
          hint: "compare backward with a finite difference of forward: (f(x+h) − f(x−h)) / 2h",
        });
    }
  }
}
