/**
 * Known-answer checks for notebooks and assignments: a wrong number stops the notebook with an error
 * that names it; a right one prints a ✓ line with only the digits the tolerance vouches for, so the
 * line reads the same on every machine (the notebook re-run test compares these lines).
 */

/** Throws unless |actual − expected| ≤ tol · max(1, |expected|); prints `✓ label = value` when it holds. */
export function assertClose(label: string, actual: number, expected: number, tol = 1e-9): void {
  if (!Number.isFinite(tol) || tol < 0) throw new Error(`assertClose(${JSON.stringify(label)}): tolerance must be a number ≥ 0, got ${tol}`);
  if (!(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)))) {
    throw new Error(`${label}: computed ${actual}, expected ${expected} (relative tolerance ${tol})`);
  }
  if (expected === 0 && tol > 0) return console.log(`✓ ${label} ≈ 0 (within ${tol})`);
  console.log(`✓ ${label} = ${Number(actual.toPrecision(vouchedDigits(tol)))}`);
}

/** Throws unless actual ≥ minimum; prints the measured value and `✓ label ≥ minimum` (the bound that held). */
export function assertAtLeast(label: string, actual: number, minimum: number): void {
  if (!(actual >= minimum)) throw new Error(`${label}: got ${actual}, expected at least ${minimum}`);
  console.log(`${label}: ${Number(actual.toPrecision(4))}\n✓ ${label} ≥ ${minimum}`);
}

/** Significant digits a relative tolerance vouches for: one fewer than its exponent, between 2 and 7. */
function vouchedDigits(tol: number): number {
  return tol === 0 ? 7 : Math.min(7, Math.max(2, Math.round(-Math.log10(tol)) - 1));
}
