/**
 * The per-call budget against real children: it is the child's CPU time (read through /proc), so an
 * endless loop stops after about its budget of computing, a child that is stopped (no CPU) is not timed
 * out however long it waits, a call that waits without computing ends at the wall-clock cap, and where
 * CPU time cannot be read, a wall-clock limit takes over. Runs under the strongest isolation here and
 * with none. Bounds on times are loose on purpose: two shared cores, other jobs. Spawns dist/.
 */
import { readFileSync } from "fs";
import { dirname } from "path";
import { processTree } from "../../grader/sandbox/child-cpu";
import { describeSandbox } from "../../grader/sandbox/launcher";
import { ChildFailure } from "../../grader/sandbox/program";
import { SandboxedProgram, sandboxStats } from "../../grader/sandbox/sandboxed-program";
import { isolationModes, processesMentioning, STRONGEST, TEST_LIMITS, testOptions, writeProgram } from "./sandbox-support";

jest.setTimeout(120_000);

const PROGRAM = `
const spinCpu = (ms) => { // computes until it has used ms of CPU time, however long that takes
  const start = process.cpuUsage();
  for (;;) {
    const u = process.cpuUsage(start);
    if ((u.user + u.system) / 1000 >= ms) return ms;
  }
};
module.exports.__gradlab_exports = {
  ok: () => 42,
  spinCpu,
  loop: () => { for (;;) {} },
  waitForTimer: () => new Promise((resolve) => setTimeout(resolve, 1e9)),
  waitBlocked: () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0),
  // Nothing keeps the process alive: without the harness's own hold, Node would simply exit.
  waitForever: () => new Promise(() => {}),
};
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every process of the program's sandbox: those naming its folder (bubblewrap, or node) and their descendants. */
function sandboxProcesses(p: SandboxedProgram): number[] {
  const roots = processesMentioning(dirname(p.programFile)).map((r) => r.pid);
  return [...new Set(roots.flatMap((pid) => processTree(pid)))];
}

/** CPU time (utime + stime) of `pids` now, in ms, read here rather than through the grader's meter. */
function cpuMsOf(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // gone
    }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** Sends `signal` to each of `pids` that is still there (a timed-out child is gone by the time it is continued). */
function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch (e) {
      if ((e as { code?: string }).code !== "ESRCH") throw e;
    }
  }
}

async function failureOf(call: Promise<unknown>): Promise<ChildFailure> {
  const e = await call.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ChildFailure);
  return e as ChildFailure;
}

const modes = isolationModes({ unshare: true });

describe.each(modes)("the call budget under %s", (_mode, env) => {
  let p: SandboxedProgram;
  afterEach(async () => {
    await p.close();
  });

  test("an endless loop is stopped after about its budget of CPU time", async () => {
    p = new SandboxedProgram(writeProgram(PROGRAM), testOptions(env, { timeoutMs: 1000 }));
    await p.load();
    const pids = sandboxProcesses(p);
    expect(pids.length).toBeGreaterThan(0);
    const before = cpuMsOf(pids);
    let last = before;
    const sampler = setInterval(() => (last = Math.max(last, cpuMsOf(pids))), 20);
    try {
      const failure = await failureOf(p.call("loop"));
      expect(failure.outcome).toBe("timeout");
      expect(failure.message).toBe("used 1 s of CPU time without finishing (an endless loop?)");
    } finally {
      clearInterval(sampler);
    }
    // What the child had used when last seen alive (sampled every 20 ms, in 10 ms ticks).
    expect(last - before).toBeGreaterThanOrEqual(900);
    expect(last - before).toBeLessThan(3500); // late only by how late the grader's timer ran on a busy machine
    expect(await p.call("ok")).toBe(42); // a fresh child
  });

  test("sandboxStats counts the children started and the CPU they used (what the class benchmark reports)", async () => {
    const before = { ...sandboxStats };
    p = new SandboxedProgram(writeProgram(PROGRAM), testOptions(env, { timeoutMs: 5000 }));
    expect(await p.call("spinCpu", 300)).toBe(300);
    await p.reset(); // ends this child: its CPU is read then
    expect(await p.call("ok")).toBe(42);
    await p.close();
    expect(sandboxStats.started - before.started).toBe(2);
    expect(sandboxStats.cpuMs - before.cpuMs).toBeGreaterThanOrEqual(300);
    expect(sandboxStats.cpuMs - before.cpuMs).toBeLessThan(5000);
  });

  test("a stopped child is not timed out: waiting is not computing, however long (CPU time, not wall-clock)", async () => {
    p = new SandboxedProgram(writeProgram(PROGRAM), testOptions(env, { timeoutMs: 1000 }));
    await p.load();
    const pids = sandboxProcesses(p);
    const started = Date.now();
    const answer = p.call("spinCpu", 300);
    signalAll(pids, "SIGSTOP");
    await sleep(2500); // two and a half budgets of wall-clock time, no CPU time
    signalAll(pids, "SIGCONT");
    expect(await answer).toBe(300);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2500);
  });

  test.each(["waitForTimer", "waitBlocked", "waitForever"])("a call that waits without computing (%s) ends at the wall-clock cap", async (name) => {
    p = new SandboxedProgram(writeProgram(PROGRAM), testOptions(env, { timeoutMs: 300 })); // cap: 5 s
    await p.load();
    const started = Date.now();
    const failure = await failureOf(p.call(name));
    expect(Date.now() - started).toBeGreaterThanOrEqual(4900);
    expect(failure.outcome).toBe("timeout");
    expect(failure.message).toBe("waited 5 s without an answer, computing (almost) nothing (waiting for something that never happens?)");
    expect(await p.call("ok")).toBe(42);
  });
});

describe("where the child's CPU time cannot be read (an injected meter that has none)", () => {
  let p: SandboxedProgram;
  beforeEach(() => {
    p = new SandboxedProgram(writeProgram(PROGRAM), testOptions(STRONGEST, { timeoutMs: 300, cpuMeter: () => null }));
  });
  afterEach(async () => {
    await p.close();
  });

  test("an endless loop ends after a wall-clock limit of 3× the budget, and the message says wall-clock", async () => {
    await p.load();
    const failure = await failureOf(p.call("loop"));
    expect(failure.outcome).toBe("timeout");
    expect(failure.message).toBe("did not finish within 0.9 s (wall-clock time: this machine cannot measure the CPU time it used)");
    expect(await p.call("ok")).toBe(42);
  });

  test("a stopped child is timed out there: the wall-clock limit cannot tell waiting from computing", async () => {
    await p.load();
    const pids = sandboxProcesses(p);
    const answer = failureOf(p.call("spinCpu", 100));
    signalAll(pids, "SIGSTOP");
    await sleep(2000);
    signalAll(pids, "SIGCONT");
    expect((await answer).message).toMatch(/^did not finish within 0.9 s \(wall-clock time/);
  });

  test("the report's sandbox line says which clock the budgets use", () => {
    expect(describeSandbox(TEST_LIMITS, { GRADLAB_SANDBOX: "none" }, false)).toMatch(/; call budgets in wall-clock time \(3× the budget: CPU time cannot be measured on this machine\)$/);
    expect(describeSandbox(TEST_LIMITS, { GRADLAB_SANDBOX: "none" }, true)).toMatch(/; call budgets in CPU time \(a call that waits ends after 10× its budget, at least 5 s\)$/);
  });
});
