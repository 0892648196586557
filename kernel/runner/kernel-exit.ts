/**
 * Why a kernel process ended, in the report's words. V8's own out-of-memory message comes before a
 * long native stack trace, so the last lines of the output alone never said it: it is looked for
 * everywhere in the output and named first, with the heap limit the kernel ran under.
 */
import { getHeapStatistics } from "v8";

const OUT_OF_MEMORY = /JavaScript heap out of memory|Reached heap limit|Ineffective mark-compacts near heap limit/;

export interface ProcessExit {
  code: number | null;
  signal: string | null;
}

export function describeExit(exit: ProcessExit, output: string, argv: string[] = [], env: NodeJS.ProcessEnv = process.env): string {
  const oom = outOfMemory(output, argv, env);
  if (oom) return `the kernel process ${oom}`;
  const how = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const tail = output.trim().split("\n").slice(-10).join("\n");
  return `the kernel process ${how}${tail ? `; its last output:\n${tail}` : ""}`;
}

/** "ran out of memory (heap limit N MB)" when the output holds V8's out-of-memory message, else null. */
export function outOfMemory(output: string, argv: string[] = [], env: NodeJS.ProcessEnv = process.env): string | null {
  return OUT_OF_MEMORY.test(output) ? `ran out of memory (heap limit ${heapLimitMb(argv, env)} MB)` : null;
}

/**
 * The heap limit of a Node kernel started with `argv` and `env`: its --max-old-space-size (the last
 * one given, command line over NODE_OPTIONS), else Node's default, which is this process's own.
 */
export function heapLimitMb(argv: string[], env: NodeJS.ProcessEnv): number {
  const given = [...(env.NODE_OPTIONS ?? "").split(/\s+/), ...argv]
    .map((a) => /^--max[-_]old[-_]space[-_]size=(\d+)$/.exec(a)?.[1])
    .filter((v): v is string => v !== undefined);
  if (given.length) return Number(given[given.length - 1]);
  return Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
}
