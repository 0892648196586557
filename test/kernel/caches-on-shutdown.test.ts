/**
 * What makes a kernel start fast (the TypeScript code cache with its prepared text, and the analysis that
 * lets @types/node load lazily) is written 200 ms after the first cell; a kernel shut down sooner (a quick
 * "restart", a script that runs one cell) writes it on shutdown instead, so the next start has it. Runs the
 * compiled kernel (dist/): `npm run build` first.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { KernelClient } from "../../kernel/client";

describe("the kernel's start-up caches", () => {
  test("are written when the kernel is shut down right after its first cell, and the next start uses them", async () => {
    const root = mkdtempSync(join(tmpdir(), "gradlab-caches-"));
    const cache = join(root, "cache");
    const notebook = join(root, "notebook");
    mkdirSync(notebook);
    const env = { ...process.env, GRADLAB_CACHE_DIR: cache };
    const oneCell = async () => {
      const kernel = await KernelClient.launch({ cwd: notebook, env, startupTimeoutMs: 60_000 });
      try {
        const r = await kernel.execute("1 + 1");
        expect(r.reply.status).toBe("ok");
        await kernel.shutdown(); // at once: well within the 200 ms after the first cell
      } finally {
        await kernel.close();
      }
    };
    try {
      await oneCell();
      const files = readdirSync(cache);
      const codeCache = files.filter((f) => f.endsWith(".v8cache"));
      expect(codeCache).toHaveLength(1);
      expect(files.filter((f) => /^typescript-.*\.js$/.test(f))).toHaveLength(1);
      expect(files.filter((f) => /^node-types-.*\.json$/.test(f))).toHaveLength(1);
      // The next start finds the cache valid (V8 accepts it: it is not written again).
      const written = statSync(join(cache, codeCache[0])).mtimeMs;
      await oneCell();
      expect(readdirSync(cache).sort()).toEqual(files.sort());
      expect(statSync(join(cache, codeCache[0])).mtimeMs).toBe(written);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
