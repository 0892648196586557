/**
 * The budget of one call into the student's code, the way programming judges do it: CPU time of the
 * child, so a slow but correct submission on a loaded machine (less CPU per wall second) is not cut
 * short, and an endless loop is stopped after exactly its budget of computing; plus a wall-clock cap for a
 * call that waits without computing (a promise that never resolves, a stopped process).
 *
 * Where the child's CPU time cannot be read (no /proc), the call falls back to a wall-clock limit.
 */
import type { CpuMeter } from "./child-cpu";
import { ChildFailure } from "./program";

export interface CallLimits {
  /** CPU time the call may use (ms). */
  cpuMs: number;
  /** Wall-clock time after which a call that has not used its CPU time is ended anyway (ms). */
  wallMs: number;
  /** The wall-clock limit where CPU time cannot be measured (ms). */
  fallbackWallMs: number;
}

/**
 * The wall-clock cap is 10× the CPU budget, and at least 5 s: a computing child still finishes on a
 * machine loaded ten times over (a 2-core machine at load 20), and a call that waits for nothing costs
 * no CPU, only a grading slot, for a few seconds.
 */
export const WALL_CAP_FACTOR = 10;
export const MIN_WALL_CAP_MS = 5000;
/**
 * Without CPU time, a wall-clock limit of 3× the CPU budget: the budgets were set from CPU time, about a
 * third of the wall-clock time they replaced (Assignment 1: 0.5 s of CPU, 1.5 s of wall-clock before).
 */
export const FALLBACK_WALL_FACTOR = 3;
/** The shortest re-check: a loop nearly at its budget is not woken up every millisecond. */
const MIN_RECHECK_MS = 15;

/** The limits of a call with a budget of `budgetMs`, plus `startupMs` for starting the child first. */
export function callLimits(budgetMs: number, startupMs = 0): CallLimits {
  return {
    cpuMs: budgetMs + startupMs,
    wallMs: Math.max(WALL_CAP_FACTOR * budgetMs, MIN_WALL_CAP_MS) + startupMs,
    fallbackWallMs: FALLBACK_WALL_FACTOR * budgetMs + startupMs,
  };
}

/**
 * Watches one call from now: `expire` gets the timeout to report when the call has used its CPU time, or
 * waited its wall-clock cap (without a meter: its fallback limit). Returns the function that stops watching.
 */
export function watchCall(meter: CpuMeter | null, limits: CallLimits, expire: (failure: ChildFailure) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const stop = () => clearTimeout(timer);
  const startCpu = meter?.usedMs() ?? null;
  if (meter === null || startCpu === null) {
    const failure = new ChildFailure("timeout", `did not finish within ${seconds(limits.fallbackWallMs)} (wall-clock time: this machine cannot measure the CPU time it used)`);
    timer = setTimeout(() => expire(failure), limits.fallbackWallMs);
    return stop;
  }
  const startWall = Date.now();
  let lastCpu = startCpu;
  const check = () => {
    lastCpu = meter.usedMs() ?? lastCpu; // unreadable: the child is ending, and its exit will say why
    const used = lastCpu - startCpu;
    const waited = Date.now() - startWall;
    if (used >= limits.cpuMs) {
      expire(new ChildFailure("timeout", `used ${seconds(limits.cpuMs)} of CPU time without finishing (an endless loop?)`));
    } else if (waited >= limits.wallMs) {
      expire(new ChildFailure("timeout", used < limits.cpuMs / 2
        ? `waited ${seconds(limits.wallMs)} without an answer, computing (almost) nothing (waiting for something that never happens?)`
        : `waited ${seconds(limits.wallMs)} without an answer, still short of its ${seconds(limits.cpuMs)} of CPU time (the grading machine was very busy: tell the course staff)`));
    } else {
      timer = setTimeout(check, Math.max(MIN_RECHECK_MS, Math.min(limits.cpuMs - used, limits.wallMs - waited)));
    }
  };
  timer = setTimeout(check, Math.min(limits.cpuMs, limits.wallMs));
  return stop;
}

/** A duration for a message: "2 s", "0.5 s", "1.25 s" (a budget is a round number; no noise digits). */
export function seconds(ms: number): string {
  return `${+(ms / 1000).toFixed(2)} s`;
}
