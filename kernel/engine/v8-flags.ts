/**
 * V8 flags the kernel sets for its own process (docs/kernel-performance.md, change 10).
 *
 * TypeScript is 10 MB of JavaScript, thousands of functions, and each cell runs a little of a lot of
 * them. With V8's default tiering, a function is optimized by TurboFan once it has run for a while,
 * so every cell makes a few more of them "hot": measured over cells 50–150 of a kernel, 184 TurboFan
 * compiles (2.6 s of compiler time) on V8's background threads, 15–30 ms of CPU per pair of cells,
 * which on a 2-core machine competes with the cell itself and the messages around it. A 10× larger
 * interrupt budget optimizes only what is really hot: the checker's background compiling drops to
 * 8–11 ms per pair of cells, round trips drop by a quarter under load, and a notebook's own long
 * loops still reach TurboFan (training the digits network takes 2–4% longer, matmul the same).
 *
 * GRADLAB_KERNEL_INTERRUPT_BUDGET=v8 keeps V8's default; a number sets that budget instead.
 */
import { setFlagsFromString } from "v8";

/** V8's default interrupt budget (Node 20, V8 11.3), in bytecode-size units. */
const V8_DEFAULT_INTERRUPT_BUDGET = 67_584;
const KERNEL_INTERRUPT_BUDGET = 10 * V8_DEFAULT_INTERRUPT_BUDGET;

const applied: string[] = [];

/** Sets the kernel's V8 flags; call before TypeScript is loaded (V8's code cache check includes flags). */
export function applyKernelV8Flags(env: NodeJS.ProcessEnv = process.env): string[] {
  const setting = env.GRADLAB_KERNEL_INTERRUPT_BUDGET;
  if (setting === "v8") return [];
  const budget = setting && /^\d+$/.test(setting) ? Number(setting) : KERNEL_INTERRUPT_BUDGET;
  const flag = `--interrupt-budget=${budget}`;
  setFlagsFromString(flag);
  applied.push(flag);
  return [flag];
}

/**
 * The V8 flags in effect that this process chose (command line and applyKernelV8Flags): part of the
 * code cache's key, since V8 rejects a cache made under other flags.
 */
export function v8FlagsInEffect(): string {
  // Options, not the script of `node -e` or the modules of --require (their values are separate arguments).
  const options = process.execArgv.filter((a) => a.startsWith("--") && !/^--(eval|print|require|import|loader)\b/.test(a));
  return [...options, ...applied].join(" ");
}
