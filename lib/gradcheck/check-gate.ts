/**
 * checkGate: does a gate's backward (and jvp) agree with centred differences of its own forward?
 * Written for students implementing gates: on a mismatch it says which input, at which index, the
 * analytic and numeric values, the relative error, and a hint about the likely mistake.
 */
import { Random } from "../tensor/random";
import { formatShape, sameShape, unravelIndex } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { Num, describe, isTensor, mul, shapeOf, total } from "../gates/arith";
import { GateLike, gateInputName, gateName } from "../gates/gate-like";
import { centredDifference, elementDifference, float64Copy, relErrors } from "./numeric";

export interface CheckGateOptions {
  /** Finite-difference step (default 1e-5). */
  h?: number;
  /** Largest acceptable relative error (default 1e-7; float64). */
  tol?: number;
  /** Differences smaller than this in absolute terms always pass (default 1e-10): rounding noise near 0. */
  atol?: number;
  /** Seed for the random upstream gradient and tangents (default 0). */
  seed?: number;
  /** Upstream gradient to use instead of a random one (must have the output's shape). */
  upstream?: Num;
  /** Also check jvp against a centred directional difference (default true). */
  jvp?: boolean;
}

export interface InputCheck {
  /** Input name, e.g. "y". */
  input: string;
  ok: boolean;
  /** Worst relative error over the input's elements. */
  relError: number;
  /** Where the worst element is ([] for a plain number). */
  index: number[];
  analytic: number;
  numeric: number;
  /** A suggestion when the check fails. */
  hint?: string;
}

export interface GateCheckResult {
  ok: boolean;
  gate: string;
  /** Worst relative error over every input (NaN when a gradient could not be compared). */
  maxRelError: number;
  inputs: InputCheck[];
  /** Relative error of jvp against a centred directional difference (undefined when not checked). */
  jvpRelError?: number;
  jvpOk?: boolean;
  /** One paragraph, for a person. */
  message: string;
}

function randomLike(like: Num, rng: Random): Num {
  if (!isTensor(like)) return rng.normal();
  const t = Tensor.zeros(like.shape);
  for (let i = 0; i < t.size; i++) t.data[i] = rng.normal();
  return t;
}

function elements(x: Num): number[] {
  return typeof x === "number" ? [x] : Array.from(x.data);
}

const fmt = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(6)).toString() : String(v));

/** Both lists agree to within a loose tolerance (used only to recognise a mistake's pattern). */
function near(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= 1e-4 * (Math.abs(v) + Math.abs(b[i])) + 1e-9);
}

export function checkGate(gate: GateLike, inputs: Num[], opts: CheckGateOptions = {}): GateCheckResult {
  const h = opts.h ?? 1e-5, tol = opts.tol ?? 1e-7, atol = opts.atol ?? 1e-10;
  const rng = new Random(opts.seed ?? 0);
  const xs: Num[] = inputs.map((x) => (isTensor(x) ? float64Copy(x) : x));
  const pass = runBackward(gate, xs, opts.upstream, rng);
  if (typeof pass === "string") {
    return { ok: false, gate: gateName(gate), maxRelError: NaN, inputs: [], message: `${gateName(gate)}: ${pass}` };
  }
  const { out, dout, analytic } = pass;
  // L(x) = sum(forward(x) * dout): its gradient with respect to each input is what backward returns.
  const loss = (args: Num[]) => total(mul(gate.forward(...args), dout));
  const numeric = xs.map((x, i) => numericOfInput(loss, xs, i, h));
  const tolerance = { tol, atol };
  const checks = xs.map((x, i) => checkInput(gate, i, { xs, analytic, numeric, loss, h, dout, out }, tolerance));
  const maxRelError = checks.reduce((m, c) => (Number.isNaN(c.relError) || Number.isNaN(m) ? NaN : Math.max(m, c.relError)), 0);
  // Gates written without a forward-mode rule (a student's own class) are checked in reverse mode only.
  const jvp = opts.jvp !== false && typeof gate.jvp === "function" ? checkJvp(gate, xs, rng, h, tolerance) : {};
  gate.forward(...xs); // leave the gate cached at the point that was checked
  const ok = checks.every((c) => c.ok) && jvp.jvpOk !== false;
  const message = describeResult(gateName(gate), ok, checks, maxRelError, jvp, tol);
  return { ok, gate: gateName(gate), maxRelError, inputs: checks, jvpRelError: jvp.jvpRelError, jvpOk: jvp.jvpOk, message };
}

interface BackwardPass {
  out: Num;
  dout: Num;
  /** Each input's gradient from backward, as a flat list. */
  analytic: number[][];
}

/** "input x" for named inputs, "input 0" for unnamed ones. */
function inputLabel(gate: GateLike, i: number): string {
  const name = gateInputName(gate, i);
  return name.startsWith("input") ? name : `input ${name}`;
}

/** Runs forward and backward once; returns what went wrong (in words) if either breaks the gate contract. */
function runBackward(gate: GateLike, xs: Num[], upstream: Num | undefined, rng: Random): BackwardPass | string {
  let out: Num;
  try {
    out = gate.forward(...xs);
  } catch (e) {
    return `forward threw an error on the given inputs: ${(e as Error).message}`;
  }
  if (typeof out !== "number" && !isTensor(out)) return `forward must return a number or a Tensor, got ${describe(out)}`;
  const dout = upstream ?? randomLike(out, rng);
  let grads: unknown;
  try {
    grads = gate.backward(dout);
  } catch (e) {
    return `backward threw an error: ${(e as Error).message}`;
  }
  if (!Array.isArray(grads)) return `backward must return an array with one gradient per input, got ${describe(grads)}`;
  if (grads.length !== xs.length) {
    return `backward returned ${grads.length} gradient(s) but the gate has ${xs.length} input(s); return one per input, in input order`;
  }
  for (let i = 0; i < xs.length; i++) {
    const g = grads[i] as Num, x = xs[i];
    if (typeof g !== "number" && !isTensor(g)) return `the gradient for ${inputLabel(gate, i)} is ${describe(g)}, not a number or Tensor`;
    if (!sameShape(shapeOf(g), shapeOf(x))) {
      return (
        `the gradient for ${inputLabel(gate, i)} has shape ${formatShape(shapeOf(g))} but ${gateInputName(gate, i)} has shape ${formatShape(shapeOf(x))}: ` +
        `a gradient always has its input's shape (if the input was broadcast in forward, sum the gradient over the broadcast axes)`
      );
    }
  }
  return { out, dout, analytic: (grads as Num[]).map(elements) };
}

/** The numeric gradient of loss with respect to every element of input i (on a copy: xs is not changed). */
function numericOfInput(loss: (args: Num[]) => number, xs: Num[], i: number, h: number): number[] {
  const x = xs[i], args = xs.slice();
  if (!isTensor(x)) {
    return [centredDifference((step) => {
      args[i] = x + step;
      return loss(args);
    }, h)];
  }
  const probe = float64Copy(x);
  args[i] = probe;
  return elements(x).map((_, k) => elementDifference(probe, k, () => loss(args), h));
}

interface Comparison {
  xs: Num[];
  analytic: number[][];
  numeric: number[][];
  loss: (args: Num[]) => number;
  h: number;
  dout: Num;
  out: Num;
}

/** Compares one input's analytic and numeric gradients; on a mismatch, adds a hint about the likely mistake. */
function checkInput(gate: GateLike, i: number, c: Comparison, { tol, atol }: { tol: number; atol: number }): InputCheck {
  const { xs, analytic, numeric } = c;
  // The reported error is the true one; for pass/fail, differences within atol are rounding noise
  // around an exact 0 (e.g. a max gate's losing input), not a wrong gradient.
  const errs = relErrors(analytic[i], numeric[i]);
  const bad = errs.map((e, k) => Number.isNaN(e) || (e > tol && Math.abs(analytic[i][k] - numeric[i][k]) > atol));
  let worstK = bad.indexOf(true);
  if (worstK < 0) worstK = errs.reduce((w, e, k) => (e > errs[w] ? k : w), 0);
  else errs.forEach((e, k) => { if (bad[k] && (Number.isNaN(e) || e > errs[worstK])) worstK = k; });
  const ok = !bad.includes(true);
  const inputName = (j: number) => gateInputName(gate, j);
  const check: InputCheck = {
    input: inputName(i), ok, relError: largest(errs), index: unravelIndex(worstK, shapeOf(xs[i])),
    analytic: analytic[i][worstK], numeric: numeric[i][worstK],
  };
  if (!ok) {
    check.hint = isKink(c, i, worstK) ? KINK : diagnose(i, analytic, numeric, elements(c.dout), shapeOf(c.out), shapeOf(xs[i]), inputName);
  }
  return check;
}

/**
 * A kink (a max tie, relu at 0): the one-sided slopes differ by a jump that does not shrink with
 * the step, whereas on a smooth function their difference is about h·f'' and doubles with 2h.
 */
function isKink({ xs, loss, numeric, h }: Comparison, i: number, k: number): boolean {
  /** L with element k of input i set to v. */
  const lossWith = (v: number): number => {
    const args = xs.slice(), x = xs[i];
    if (isTensor(x)) {
      const probe = float64Copy(x);
      probe.data[k] = v;
      args[i] = probe;
    } else args[i] = v;
    return loss(args);
  };
  const x0 = elements(xs[i])[k], f0 = loss(xs);
  const jump = (s: number) => (lossWith(x0 + s) - f0) / s - (f0 - lossWith(x0 - s)) / s;
  const j1 = jump(h), j2 = jump(2 * h);
  return Math.abs(j1) > 1e-6 * (1 + Math.abs(numeric[i][k])) && Math.abs(j2 - j1) < 0.25 * Math.abs(j1);
}

interface JvpCheck {
  jvpRelError?: number;
  jvpOk?: boolean;
}

/** jvp along random tangents against the centred difference of forward along the same direction. */
function checkJvp(gate: GateLike, xs: Num[], rng: Random, h: number, { tol, atol }: { tol: number; atol: number }): JvpCheck {
  const tangents = xs.map((x) => randomLike(x, rng));
  const shifted = (s: number) => xs.map((x, i) => (isTensor(x) ? addScaled(x, tangents[i] as Tensor, s) : x + s * (tangents[i] as number)));
  const numericJvp = centredDifference((step) => elements(gate.forward(...shifted(step))), h);
  gate.forward(...xs);
  try {
    const jvpOut = elements(gate.jvp!(tangents));
    const errs = jvpOut.length === numericJvp.length ? relErrors(jvpOut, numericJvp) : [NaN];
    return {
      jvpRelError: largest(errs),
      jvpOk: errs.every((e, k) => !Number.isNaN(e) && (e <= tol || Math.abs(jvpOut[k] - numericJvp[k]) <= atol)),
    };
  } catch {
    return { jvpRelError: NaN, jvpOk: false };
  }
}

/** The result's paragraph: what matched, or each wrong gradient with its hint. */
function describeResult(name: string, ok: boolean, checks: InputCheck[], maxRelError: number, { jvpRelError, jvpOk }: JvpCheck, tol: number): string {
  const names = checks.map((c) => c.input).join(", ");
  if (ok) {
    return `${name}: backward matches centred differences for ${names} (max relative error ${fmt(maxRelError)})` +
      (jvpRelError !== undefined ? `; jvp matches too (relative error ${fmt(jvpRelError)})` : "");
  }
  const lines = checks.filter((c) => !c.ok).map((c) => {
    const where = c.index.length ? ` at index [${c.index.join(", ")}]` : "";
    const err = relErrors([c.analytic], [c.numeric])[0];
    const which = c.input.startsWith("input") ? c.input : `input ${c.input}`;
    return `the gradient of ${which} is wrong${where}: analytic ${fmt(c.analytic)}, numeric ${fmt(c.numeric)}, relative error ${fmt(err)} (> ${tol}). Hint: ${c.hint}`;
  });
  if (jvpOk === false && checks.some((c) => c.hint === KINK)) {
    lines.push(`jvp disagrees with a centred directional difference of forward, as expected at ${KINK}`);
  } else if (jvpOk === false) {
    lines.push(`jvp disagrees with a centred directional difference of forward (relative error ${fmt(jvpRelError!)}): check the forward-mode rule (tangent = sum over inputs of local derivative times input tangent).`);
  }
  return `${name}: ${lines.join("\n")}`;
}

const KINK = "a kink: the numeric gradient is not defined here (the slope jumps at this point, e.g. a max tie or relu at 0); check the gate at another point.";

/** The maximum, or NaN if any entry is NaN. */
function largest(xs: number[]): number {
  let m = 0;
  for (const x of xs) {
    if (Number.isNaN(x)) return NaN;
    if (x > m) m = x;
  }
  return m;
}

function addScaled(x: Tensor, t: Tensor, s: number): Tensor {
  const out = float64Copy(x);
  for (let k = 0; k < out.size; k++) out.data[k] += s * t.data[k];
  return out;
}

/** Recognises the usual mistakes from the pattern of analytic vs numeric values. */
function diagnose(
  i: number, analytic: number[][], numeric: number[][], dout: number[], outShape: number[], inShape: number[],
  inputName: (i: number) => string,
): string {
  const a = analytic[i], n = numeric[i];
  if (a.some(Number.isNaN)) return "the gradient contains NaN: look for 0/0, log of a non-positive number, or Infinity - Infinity.";
  if (a.every((v) => v === 0) && n.some((v) => v !== 0)) {
    return "the gradient is zero everywhere although the output does depend on this input: is this input's gradient returned at all (and multiplied by dout, not replaced)?";
  }
  if (near(a, n.map((v) => -v))) return "sign flipped? The analytic gradient is the negative of the numeric one.";
  if (near(a, n.map((v) => 2 * v))) return "off by a factor of 2? The analytic gradient is twice the numeric one.";
  if (near(a, n.map((v) => v / 2))) return "off by a factor of 2? The analytic gradient is half the numeric one.";
  for (let j = 0; j < numeric.length; j++) {
    if (j !== i && near(a, numeric[j])) return `looks like the gradient of another input (${inputName(j)}): are the returned gradients swapped?`;
  }
  if (sameShape(outShape, inShape) && dout.length === a.length && near(a.map((v, k) => v * dout[k]), n)) {
    return "forgot to multiply by the upstream gradient dout? (analytic × dout equals the numeric gradient)";
  }
  return "the local derivative formula does not match forward: re-derive d(output)/d(input) from the forward computation, then multiply by dout.";
}
