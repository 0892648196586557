/**
 * Helpers for the sandbox tests: programs written as small JS files in folders of their own (the
 * program's folder is what the child may read), short limits so that bombs and loops end quickly, and a
 * look into /proc for processes that should be gone.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from "fs";
import { join } from "path";
import type { Limits } from "../../grader/sandbox/launcher";
import { SandboxedProgram, type SandboxOptions } from "../../grader/sandbox/sandboxed-program";
import { requirements, unmet } from "../support/requirements";
import { tempDir } from "../support/temp";

/** Small limits for tests: a heap bomb or an oversized typed array fails in well under a second. */
export const TEST_LIMITS: Limits = { heapMB: 64, memoryMB: 1200, cpuSeconds: 30 };

/** Generous start-up allowance and a 2 s request budget (CPU time): a loop is cut after 2 s of computing. */
export function testOptions(env: NodeJS.ProcessEnv, extra: SandboxOptions = {}): SandboxOptions {
  return { timeoutMs: 2000, startupMs: 20000, outputCap: 100 * 1024, limits: TEST_LIMITS, env, ...extra };
}

/** The environment that asks for the strongest isolation here (under GRADLAB_FULL=1, a real sandbox or an error). */
export const STRONGEST: NodeJS.ProcessEnv = { GRADLAB_FULL: process.env.GRADLAB_FULL };

/**
 * The isolations to run a sandbox suite under, for describe.each: the strongest this machine has (under
 * GRADLAB_FULL=1 that must be a real sandbox), none, and `unshare -rn` where it works (what a machine
 * without bubblewrap falls back to; the spawned process execs into node, a process tree of one).
 */
export function isolationModes(opts: { unshare: boolean }): Array<[string, NodeJS.ProcessEnv]> {
  const modes: Array<[string, NodeJS.ProcessEnv]> = [
    ["the strongest isolation here", STRONGEST],
    ["no isolation (GRADLAB_SANDBOX=none)", { GRADLAB_SANDBOX: "none" }],
  ];
  if (opts.unshare && !unmet(requirements.unshare)) modes.push(["unshare -rn (GRADLAB_SANDBOX=unshare)", { GRADLAB_SANDBOX: "unshare" }]);
  return modes;
}

/** Writes `source` as program.js in a fresh folder (call from a hook or test, not at collection time). */
export function writeProgram(source: string, name = "program.js"): string {
  const file = join(tempDir("sandbox-prog"), name);
  writeFileSync(file, source);
  return file;
}

export function sandboxed(source: string, env: NodeJS.ProcessEnv, extra: SandboxOptions = {}): SandboxedProgram {
  return new SandboxedProgram(writeProgram(source), testOptions(env, extra));
}

/** Pids of live processes whose command line mentions `text`, with their working folders. */
export function processesMentioning(text: string): Array<{ pid: number; cwd: string | null }> {
  const out: Array<{ pid: number; cwd: string | null }> = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(text)) continue;
      let cwd: string | null = null;
      try {
        cwd = readlinkSync(`/proc/${entry}/cwd`);
      } catch {
        // gone meanwhile
      }
      out.push({ pid: Number(entry), cwd });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Waits until no process mentions `text` (a killed process may take a moment to be reaped). */
export async function noProcessesLeft(text: string, ms = 5000): Promise<Array<{ pid: number }>> {
  const end = Date.now() + ms;
  for (;;) {
    const left = processesMentioning(text);
    if (left.length === 0 || Date.now() > end) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export { existsSync };
