/**
 * The per-call budget's arithmetic with a scripted CPU meter and Jest's fake clock: a call ends when it
 * has used its CPU time, however long that takes on the wall clock, or when it has waited its wall-clock
 * cap; without a meter, a wall-clock limit. (The same against real processes: sandbox-cpu-budget.test.ts.)
 */
import { callLimits, seconds, watchCall } from "../../grader/sandbox/call-budget";
import type { CpuMeter } from "../../grader/sandbox/child-cpu";
import { ChildFailure } from "../../grader/sandbox/program";

/** A child that computes `share` of every wall-clock millisecond (1: a loop; 0: waiting). */
function meterAt(share: number): CpuMeter {
  const start = Date.now();
  return { usedMs: () => 1234 + share * (Date.now() - start), settle: () => undefined, close: () => undefined };
}

/** When (fake ms after the call started) and with what the call was ended, within `horizon` ms. */
function run(meter: CpuMeter | null, budgetMs: number, horizon = 600_000): { at: number; failure: ChildFailure } | null {
  const start = Date.now();
  let ended: { at: number; failure: ChildFailure } | null = null;
  const stop = watchCall(meter, callLimits(budgetMs), (failure) => (ended = { at: Date.now() - start, failure }));
  jest.advanceTimersByTime(horizon);
  stop();
  return ended;
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe("a call's budget of CPU time", () => {
  test("a loop ends after its budget of CPU time", () => {
    const ended = run(meterAt(1), 500)!;
    expect(ended.at).toBeGreaterThanOrEqual(500);
    expect(ended.at).toBeLessThan(600);
    expect(ended.failure.outcome).toBe("timeout");
    expect(ended.failure.message).toBe("used 0.5 s of CPU time without finishing (an endless loop?)");
  });

  test("a child that gets a quarter of a core (a loaded machine) computes for its whole budget: 4× the wall-clock time", () => {
    const ended = run(meterAt(0.25), 500)!;
    expect(ended.at).toBeGreaterThanOrEqual(2000);
    expect(ended.at).toBeLessThan(2100);
    expect(ended.failure.message).toMatch(/^used 0.5 s of CPU time/);
  });

  test("a call that waits without computing ends at the wall-clock cap: 10× the budget, at least 5 s", () => {
    const ended = run(meterAt(0), 500)!;
    expect(ended.at).toBeGreaterThanOrEqual(5000);
    expect(ended.at).toBeLessThan(5100);
    expect(ended.failure.message).toBe("waited 5 s without an answer, computing (almost) nothing (waiting for something that never happens?)");
    expect(run(meterAt(0), 2000)!.at).toBeGreaterThanOrEqual(20_000);
  });

  test("a child still computing at the wall-clock cap (a machine loaded beyond 10×) is told so, not blamed for waiting", () => {
    const ended = run(meterAt(0.08), 500)!;
    expect(ended.at).toBeGreaterThanOrEqual(5000);
    expect(ended.failure.message).toMatch(/^waited 5 s without an answer, still short of its 0.5 s of CPU time \(the grading machine was very busy/);
  });

  test("a call that answers in time is never ended, and its timer is gone", () => {
    const meter = meterAt(1);
    let ended = false;
    const stop = watchCall(meter, callLimits(500), () => (ended = true));
    jest.advanceTimersByTime(499);
    stop();
    jest.advanceTimersByTime(10_000);
    expect(ended).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });

  test("starting the child adds its allowance to both limits", () => {
    expect(callLimits(500, 5000)).toEqual({ cpuMs: 5500, wallMs: 10_000, fallbackWallMs: 6500 });
  });
});

describe("where CPU time cannot be measured", () => {
  test("no meter: a wall-clock limit of 3× the budget, and the message says it is wall-clock time", () => {
    const ended = run(null, 500)!;
    expect(ended.at).toBe(1500);
    expect(ended.failure.message).toBe("did not finish within 1.5 s (wall-clock time: this machine cannot measure the CPU time it used)");
  });

  test("a meter that cannot read the child at the start falls back the same way", () => {
    expect(run({ usedMs: () => null, settle: () => undefined, close: () => undefined }, 500)!.at).toBe(1500);
  });
});

test("durations in messages have no noise digits", () => {
  expect([500, 1500, 2000, 1250, 30_000].map(seconds)).toEqual(["0.5 s", "1.5 s", "2 s", "1.25 s", "30 s"]);
});
