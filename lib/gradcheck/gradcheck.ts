/**
 * gradcheck for functions of tensors: reverse-mode gradients from autograd against centred
 * differences. A non-scalar output is reduced with a fixed random weighting (a random vector-Jacobian
 * product), which checks every output at once. For large inputs, `sparse: k` checks k random elements
 * per input instead of all of them.
 */
import "../autograd";
import { noGrad } from "../tensor/autograd-hook";
import { Random } from "../tensor/random";
import { formatShape, unravelIndex } from "../tensor/shape";
import { Tensor } from "../tensor/tensor";
import { describe, isTensor } from "../gates/arith";
import { elementDifference, float64Copy } from "./numeric";

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance (default 1e-3): an element passes when |a - n| <= atol + rtol·|n|. */
  rtol?: number;
  /** Check only this many randomly chosen elements of each input (default: all). */
  sparse?: number;
  /** Seed for the output weighting and the sparse indices (default 0). */
  seed?: number;
}

export interface GradcheckMismatch {
  /** Which input (0-based, in the order given). */
  input: number;
  index: number[];
  analytic: number;
  numeric: number;
  relError: number;
}

export interface GradcheckResult {
  ok: boolean;
  /** Largest |a - n| / max(1e-8, |a| + |n|) over the checked elements. */
  maxRelError: number;
  /** How many elements were compared. */
  checked: number;
  mismatches: GradcheckMismatch[];
  message: string;
}

/** Distinct random element indices (all of them when k >= n), in increasing order. */
function pick(n: number, k: number | undefined, rng: Random): number[] {
  if (k === undefined || k >= n) return [...Array(n).keys()];
  return rng.permutation(n).slice(0, k).sort((a, b) => a - b);
}

export function gradcheck(
  f: (...inputs: Tensor[]) => Tensor | number,
  inputs: Tensor | Tensor[],
  opts: GradcheckOptions = {},
): GradcheckResult {
  const eps = opts.eps ?? 1e-6, atol = opts.atol ?? 1e-5, rtol = opts.rtol ?? 1e-3;
  const rng = new Random(opts.seed ?? 0);
  const list = Array.isArray(inputs) ? inputs : [inputs];
  list.forEach((t, i) => {
    if (!isTensor(t)) throw new TypeError(`gradcheck: input ${i} must be a Tensor, got ${describe(t)}`);
  });
  if (opts.sparse !== undefined && !(Number.isInteger(opts.sparse) && opts.sparse > 0)) {
    throw new RangeError(`gradcheck: sparse must be a positive whole number of elements, got ${opts.sparse}`);
  }

  // float64 leaves of our own, so the caller's tensors and their .grad stay untouched.
  const xs = list.map((t) => float64Copy(t).requireGrad());
  const out = f(...xs);
  if (!isTensor(out)) throw new TypeError(`gradcheck: f must return a Tensor computed from its inputs, got ${describe(out)}`);
  if (!out.requiresGrad) {
    throw new Error("gradcheck: f's output is not connected to its inputs (does f use the tensors it is given, through Tensor methods?)");
  }
  const weights = Tensor.zeros(out.shape);
  for (let i = 0; i < weights.size; i++) weights.data[i] = out.size === 1 ? 1 : rng.normal();
  out.backward(weights);
  const analytic = xs.map((x) => x.grad ?? Tensor.zeros(x.shape));

  const weighted = (args: Tensor[]): number => {
    const y = f(...args);
    if (!isTensor(y) || y.size !== weights.size) {
      throw new RangeError(`gradcheck: f returned ${describe(y)} on a perturbed input but ${formatShape(out.shape)} before`);
    }
    let s = 0;
    for (let i = 0; i < y.size; i++) s += y.data[i] * weights.data[i];
    return s;
  };

  const mismatches: GradcheckMismatch[] = [];
  let maxRelError = 0, checked = 0;
  noGrad(() => {
    const probes = xs.map((x) => float64Copy(x));
    probes.forEach((probe, i) => {
      for (const k of pick(probe.size, opts.sparse, rng)) {
        const n = elementDifference(probe, k, () => weighted(probes), eps), a = analytic[i].data[k];
        const rel = Math.abs(a - n) / Math.max(1e-8, Math.abs(a) + Math.abs(n));
        checked++;
        maxRelError = Number.isNaN(rel) || Number.isNaN(maxRelError) ? NaN : Math.max(maxRelError, rel);
        if (!(Math.abs(a - n) <= atol + rtol * Math.abs(n))) {
          mismatches.push({ input: i, index: unravelIndex(k, probe.shape), analytic: a, numeric: n, relError: rel });
        }
      }
    });
  });

  const ok = mismatches.length === 0;
  const show = mismatches.slice(0, 5).map(
    (m) => `input ${m.input} at [${m.index.join(", ")}]: analytic ${m.analytic.toPrecision(6)}, numeric ${m.numeric.toPrecision(6)} (relative error ${m.relError.toExponential(2)})`,
  );
  const message = ok
    ? `gradcheck passed: ${checked} element(s) of ${xs.length} input(s), max relative error ${maxRelError.toExponential(2)}`
    : `gradcheck failed at ${mismatches.length} of ${checked} element(s):\n  ${show.join("\n  ")}` +
      (mismatches.length > 5 ? `\n  ... and ${mismatches.length - 5} more` : "");
  return { ok, maxRelError, checked, mismatches, message };
}
