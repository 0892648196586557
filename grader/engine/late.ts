/**
 * Late penalties from assignment.json's late policy: a grace period, then a fraction of the score per
 * started day, and nothing after max_days.
 */
import type { LatePolicy } from "../config/assignment";

export interface Lateness {
  /** Started days late after the grace period (0 when on time). */
  days: number;
  /** Fraction of the score taken (0 to 1). */
  penalty: number;
}

export function lateness(submittedAt: string | undefined, due: string | undefined, policy: LatePolicy): Lateness {
  if (!submittedAt || !due) return { days: 0, penalty: 0 };
  const submitted = Date.parse(submittedAt), deadline = Date.parse(due);
  if (Number.isNaN(submitted)) throw new Error(`submission time "${submittedAt}" is not an ISO 8601 time`);
  const lateMs = submitted - deadline - policy.graceMinutes * 60_000;
  if (lateMs <= 0) return { days: 0, penalty: 0 };
  const days = Math.ceil(lateMs / 86_400_000);
  if (days > policy.maxDays) return { days, penalty: 1 };
  return { days, penalty: Math.min(1, days * policy.perDay) };
}
