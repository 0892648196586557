/**
 * The kernel's speed as a notebook user feels it, for the gradlab kernel and tslab's own kernel side by
 * side, both driven by the same client (kernel/client) over ZeroMQ from a fresh, empty notebook folder:
 *
 * - kernel-start: launching the process until the first cell's first output arrives (what a user
 *   waits for after "Restart & Run All"; tslab sends a result as stdout, gradlab as execute_result);
 * - kernel-trivial-cell: the round trip of `1` (execute_request sent until its reply and idle are in);
 * - kernel-typed-cell: the same for a cell that declares a typed variable from an earlier cell's one
 *   (`const yN: number = x * N; yN`), so type checking across cells is part of the time.
 *
 * Every run checks the value that comes back, so a kernel that answers wrongly fails the benchmark
 * instead of looking fast.
 */
import { existsSync, mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { defaultKernelArgv, KernelClient } from "../../kernel/client/client";
import type { JupyterMessage } from "../../kernel/protocol/message";
import { Impl, Measurement, Workload } from "../types";

interface KernelUnderTest {
  name: "gradlab" | "tslab";
  argv(): string[];
  unavailable(): string | null;
}

const GRADLAB: KernelUnderTest = {
  name: "gradlab",
  argv: defaultKernelArgv,
  unavailable: () => (existsSync(defaultKernelArgv()[1]) ? null : `${defaultKernelArgv()[1]} is missing (run npm run build)`),
};

function tslabBin(): string | null {
  try {
    return require.resolve("tslab/bin/tslab");
  } catch {
    return null;
  }
}

/** tslab's kernelspec argv (tslab/python/install.py), run with this Node. */
const TSLAB: KernelUnderTest = {
  name: "tslab",
  argv: () => [process.execPath, tslabBin()!, "kernel", "--config-path", "{connection_file}"],
  unavailable: () => (tslabBin() ? null : "the tslab package is not installed"),
};

/** Untimed cells before the round-trip runs: the first cells of a kernel warm up the type checker. */
const WARMUP_CELLS = 5;

/** The text a cell's output shows: execute_result's text/plain, or a stream's text (tslab prints results). */
function shownText(msg: JupyterMessage): string | null {
  const c = msg.content as { data?: Record<string, unknown>; text?: string; ename?: string; evalue?: string };
  if (msg.header.msg_type === "error") return `${c.ename}: ${c.evalue}`;
  if (typeof c.data?.["text/plain"] === "string") return c.data["text/plain"] as string;
  return typeof c.text === "string" ? c.text.trim() : null;
}

/** Runs `code` and fails unless it succeeds and its outputs show exactly `expected`. */
async function expectResult(kernel: KernelClient, who: string, code: string, expected: string,
                            onOutput?: (msg: JupyterMessage) => void): Promise<void> {
  const r = await kernel.execute(code, { onOutput, timeoutMs: 30_000 });
  const shown = r.outputs.map(shownText).filter((t): t is string => t !== null);
  if (r.reply.status !== "ok" || shown.join("\n") !== expected) {
    throw new Error(`${who} kernel: cell ${JSON.stringify(code)} gave status ${r.reply.status} and output ` +
      `${JSON.stringify(shown)}, expected ${JSON.stringify(expected)}${r.reply.evalue ? ` (${r.reply.evalue})` : ""}`);
  }
}

/** Starts the kernel in a fresh empty folder (a student's notebook folder), runs `job`, shuts it down. */
async function withKernel<T>(k: KernelUnderTest, job: (kernel: KernelClient) => Promise<T>, onLaunched?: () => void): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "gradlab-bench-kernel-"));
  let kernel: KernelClient | null = null;
  try {
    kernel = await KernelClient.launch({ argv: k.argv(), cwd: dir, startupTimeoutMs: 30_000 });
    onLaunched?.();
    return await job(kernel);
  } finally {
    if (kernel) {
      await kernel.shutdown().catch(() => kernel!.kill());
      await kernel.close();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

function startImpl(k: KernelUnderTest): Impl {
  return {
    name: k.name,
    unavailable: k.unavailable,
    async measure(runs: number): Promise<Measurement> {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const start = now();
        let firstOutput = 0;
        await withKernel(k, (kernel) => expectResult(kernel, k.name, "1 + 1", "2", () => (firstOutput ||= now())));
        times.push(firstOutput - start);
      }
      return { times_ms: times };
    },
  };
}

/** Round trips of `cell(i)` (expected output `expected(i)`) after `setup` and the warm-up cells. */
function roundTripImpl(k: KernelUnderTest, setup: string | null, cell: (i: number) => string, expected: (i: number) => string): Impl {
  return {
    name: k.name,
    unavailable: k.unavailable,
    measure: (runs: number) => withKernel(k, async (kernel) => {
      if (setup) await expectResult(kernel, k.name, setup, "");
      for (let i = 0; i < WARMUP_CELLS; i++) await expectResult(kernel, k.name, cell(1000 + i), expected(1000 + i));
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const start = now();
        await expectResult(kernel, k.name, cell(i), expected(i));
        times.push(now() - start);
      }
      return { times_ms: times };
    }),
  };
}

const KERNELS = [GRADLAB, TSLAB];
const X = 41;

export const workloads: Workload[] = [
  {
    name: "kernel-start",
    description: "launch a kernel until the first output of `1 + 1` (gradlab vs tslab)",
    defaultRuns: 5,
    impls: KERNELS.map(startImpl),
  },
  {
    name: "kernel-trivial-cell",
    description: "round trip of the cell `1` (execute_request to reply and idle)",
    defaultRuns: 25,
    impls: KERNELS.map((k) => roundTripImpl(k, null, () => "1", () => "1")),
  },
  {
    name: "kernel-typed-cell",
    description: `round trip of \`const yN: number = x * N; yN\` with \`const x: number = ${X}\` from an earlier cell`,
    defaultRuns: 25,
    impls: KERNELS.map((k) => roundTripImpl(k, `const x: number = ${X};`, (i) => `const y${i}: number = x * ${i}; y${i}`, (i) => String(X * i))),
  },
];
