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
import { float64Copy, relErrors } from "./numeric";

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
  const name = gateName(gate);
  const inputName = (i: number) => gateInputName(gate, i);
  /** "input x" for named inputs, "input 0" for unnamed ones. */
  const inputLabel = (i: number) => (inputName(i).startsWith("input") ? inputName(i) : `input ${inputName(i)}`);
  const xs: Num[] = inputs.map((x) => (isTensor(x) ? float64Copy(x) : x));
  const fail = (message: string, partial: Partial<GateCheckResult> = {}): GateCheckResult => ({
    ok: false, gate: name, maxRelError: NaN, inputs: [], ...partial, message: `${name}: ${message}`,
  });

  let out: Num;
  try {
    out = gate.forward(...xs);
  } catch (e) {
    return fail(`forward threw an error on the given inputs: ${(e as Error).message}`);
  }
  if (typeof out !== "number" && !isTensor(out)) return fail(`forward must return a number or a Tensor, got ${describe(out)}`);
  const dout = opts.upstream ?? randomLike(out, rng);
  let grads: unknown;
  try {
    grads = gate.backward(dout);
  } catch (e) {
    return fail(`backward threw an error: ${(e as Error).message}`);
  }
  if (!Array.isArray(grads)) return fail(`backward must return an array with one gradient per input, got ${describe(grads)}`);
  if (grads.length !== xs.length) {
    return fail(`backward returned ${grads.length} gradient(s) but the gate has ${xs.length} input(s); return one per input, in input order`);
  }
  for (let i = 0; i < xs.length; i++) {
    const g = grads[i] as Num, x = xs[i];
    if (typeof g !== "number" && !isTensor(g)) return fail(`the gradient for ${inputLabel(i)} is ${describe(g)}, not a number or Tensor`);
    if (!sameShape(shapeOf(g), shapeOf(x))) {
      return fail(
        `the gradient for ${inputLabel(i)} has shape ${formatShape(shapeOf(g))} but ${inputName(i)} has shape ${formatShape(shapeOf(x))}: ` +
          `a gradient always has its input's shape (if the input was broadcast in forward, sum the gradient over the broadcast axes)`,
      );
    }
  }
  const analytic = (grads as Num[]).map(elements);

  // Numeric gradient of L(x) = sum(forward(x) * dout) for every element of every input.
  const loss = (args: Num[]) => total(mul(gate.forward(...args), dout));
  const numeric: number[][] = xs.map((x, i) => {
    const probe = isTensor(x) ? float64Copy(x) : x;
    const args = xs.slice();
    const at = (k: number, v: number): Num => {
      if (!isTensor(probe)) return v;
      probe.data[k] = v;
      return probe;
    };
    const base = elements(x);
    const result = new Array<number>(base.length);
    for (let k = 0; k < base.length; k++) {
      const old = base[k];
      args[i] = at(k, old + h);
      const plus = loss(args);
      args[i] = at(k, old - h);
      const minus = loss(args);
      at(k, old);
      result[k] = (plus - minus) / (2 * h);
    }
    return result;
  });

  /** L with element k of input i set to v. */
  const lossWith = (i: number, k: number, v: number): number => {
    const args = xs.slice(), x = xs[i];
    if (isTensor(x)) {
      const probe = float64Copy(x);
      probe.data[k] = v;
      args[i] = probe;
    } else args[i] = v;
    return loss(args);
  };
  /**
   * A kink (a max tie, relu at 0): the one-sided slopes differ by a jump that does not shrink with
   * the step, whereas on a smooth function their difference is about h·f'' and doubles with 2h.
   */
  const isKink = (i: number, k: number): boolean => {
    const x0 = elements(xs[i])[k], f0 = loss(xs);
    const jump = (s: number) => (lossWith(i, k, x0 + s) - f0) / s - (f0 - lossWith(i, k, x0 - s)) / s;
    const j1 = jump(h), j2 = jump(2 * h);
    return Math.abs(j1) > 1e-6 * (1 + Math.abs(numeric[i][k])) && Math.abs(j2 - j1) < 0.25 * Math.abs(j1);
  };

  const checks: InputCheck[] = xs.map((x, i) => {
    // The reported error is the true one; for pass/fail, differences within atol are rounding noise
    // around an exact 0 (e.g. a max gate's losing input), not a wrong gradient.
    const errs = relErrors(analytic[i], numeric[i]);
    const bad = errs.map((e, k) => Number.isNaN(e) || (e > tol && Math.abs(analytic[i][k] - numeric[i][k]) > atol));
    let worstK = bad.indexOf(true);
    if (worstK < 0) worstK = errs.reduce((w, e, k) => (e > errs[w] ? k : w), 0);
    else errs.forEach((e, k) => { if (bad[k] && (Number.isNaN(e) || e > errs[worstK])) worstK = k; });
    const worst = largest(errs);
    const ok = !bad.includes(true);
    const check: InputCheck = {
      input: inputName(i), ok, relError: worst, index: unravelIndex(worstK, shapeOf(x)),
      analytic: analytic[i][worstK], numeric: numeric[i][worstK],
    };
    if (!ok) check.hint = isKink(i, worstK) ? KINK : diagnose(i, analytic, numeric, elements(dout), shapeOf(out), shapeOf(x), inputName);
    return check;
  });
  const maxRelError = checks.reduce((m, c) => (Number.isNaN(c.relError) || Number.isNaN(m) ? NaN : Math.max(m, c.relError)), 0);

  let jvpRelError: number | undefined, jvpOk: boolean | undefined;
  // Gates written without a forward-mode rule (a student's own class) are checked in reverse mode only.
  if (opts.jvp !== false && typeof gate.jvp === "function") {
    const tangents = xs.map((x) => randomLike(x, rng));
    const shifted = (s: number) => xs.map((x, i) => (isTensor(x) ? addScaled(x, tangents[i] as Tensor, s) : x + s * (tangents[i] as number)));
    const plus = elements(gate.forward(...shifted(h)));
    const minus = elements(gate.forward(...shifted(-h)));
    const numericJvp = plus.map((p, k) => (p - minus[k]) / (2 * h));
    gate.forward(...xs);
    try {
      const jvpOut = elements(gate.jvp!(tangents));
      const errs = jvpOut.length === numericJvp.length ? relErrors(jvpOut, numericJvp) : [NaN];
      jvpRelError = largest(errs);
      jvpOk = errs.every((e, k) => !Number.isNaN(e) && (e <= tol || Math.abs(jvpOut[k] - numericJvp[k]) <= atol));
    } catch {
      jvpRelError = NaN;
      jvpOk = false;
    }
  }
  gate.forward(...xs); // leave the gate cached at the point that was checked

  const ok = checks.every((c) => c.ok) && jvpOk !== false;
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
  const names = checks.map((c) => c.input).join(", ");
  const message = ok
    ? `${name}: backward matches centred differences for ${names} (max relative error ${fmt(maxRelError)})` +
      (jvpRelError !== undefined ? `; jvp matches too (relative error ${fmt(jvpRelError)})` : "")
    : `${name}: ${lines.join("\n")}`;
  return { ok, gate: name, maxRelError, inputs: checks, jvpRelError, jvpOk, message };
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
