/**
 * The kernel's own V8 flags (kernel/engine/v8-flags.ts) and the TypeScript code cache beside them: V8
 * rejects a code cache made under other flags, so a process with the kernel's flags and one without
 * (a test, a tool loading TypeScript itself) must each keep their cache instead of rejecting and
 * replacing the other's on every start. Each case runs in a child process, since V8 flags are per
 * process. Runs the compiled kernel code (dist/): `npm run build` first.
 */
import { execFile } from "child_process";
import { mkdtempSync, readdirSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { promisify } from "util";

const run = promisify(execFile);
const engineDir = join(__dirname, "..", "..", "dist", "kernel", "engine");

async function inChild(script: string, env: Record<string, string> = {}): Promise<any> {
  const { stdout } = await run(process.execPath, ["-e", script], { env: { ...process.env, ...env }, timeout: 60_000 });
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

describe("the kernel's V8 flags", () => {
  test("a 10x interrupt budget by default, another number, or V8's own with GRADLAB_KERNEL_INTERRUPT_BUDGET=v8", async () => {
    const script = `
      const { applyKernelV8Flags, v8FlagsInEffect } = require(${JSON.stringify(join(engineDir, "v8-flags.js"))});
      console.log(JSON.stringify({ applied: applyKernelV8Flags(), inEffect: v8FlagsInEffect() }));`;
    const env = (value?: string) => ({ GRADLAB_KERNEL_INTERRUPT_BUDGET: value ?? "" });
    expect(await inChild(script, env())).toEqual({ applied: ["--interrupt-budget=675840"], inEffect: "--interrupt-budget=675840" });
    expect(await inChild(script, env("135168"))).toEqual({ applied: ["--interrupt-budget=135168"], inEffect: "--interrupt-budget=135168" });
    expect(await inChild(script, env("v8"))).toEqual({ applied: [], inEffect: "" });
  });

  test("processes with and without them keep a code cache each, and both hit it on the next start", async () => {
    const cache = mkdtempSync(join(tmpdir(), "gradlab-v8-flags-"));
    try {
      const load = (withKernelFlags: boolean) => inChild(`
        ${withKernelFlags ? `require(${JSON.stringify(join(engineDir, "v8-flags.js"))}).applyKernelV8Flags();` : ""}
        const { loadTypeScriptScript } = require(${JSON.stringify(join(engineDir, "ts-loader.js"))});
        const tsPath = require.resolve("@tslab/typescript-for-tslab", { paths: [require.resolve("tslab/package.json")] });
        const loaded = loadTypeScriptScript(tsPath);
        const before = loaded.cache;
        loaded.saveCompileCache();
        console.log(JSON.stringify({ before, after: loaded.cache }));`, { GRADLAB_CACHE_DIR: cache });
      expect(await load(false)).toEqual({ before: "miss", after: "hit" });
      expect(await load(true)).toEqual({ before: "miss", after: "hit" });
      expect(await load(false)).toEqual({ before: "hit", after: "hit" });
      expect(await load(true)).toEqual({ before: "hit", after: "hit" });
      const files = readdirSync(cache).sort();
      expect(files.filter((f) => f.endsWith(".v8cache"))).toHaveLength(2);
      expect(files.filter((f) => f.endsWith(".js"))).toHaveLength(1); // one prepared text serves both
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
